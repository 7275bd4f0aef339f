/**
 * The hint ladder. A session starts at level 0; a message asking for help
 * (or pushing for the answer) moves it up one rung, to at most 3. The level
 * shapes the prompt and the safe hint used when a reply cannot be trusted —
 * and at no level does the tutor state the answer or do the decisive step.
 */
export const MAX_HINT_LEVEL = 3;

export const HINT_LEVELS: readonly string[] = [
  "Level 0 (orient): help the student restate what the problem asks and what it gives. Ask; do not hint at methods yet.",
  "Level 1 (strategy): point toward the relevant idea or rule with a question; let the student choose how to use it.",
  "Level 2 (one step): guide the student through the next single step, asking them to carry it out; never the decisive step.",
  "Level 3 (check): have the student walk through their own work line by line to find and fix mistakes; still never state the result.",
];

export function nextHintLevel(current: number, wantsMoreHelp: boolean): number {
  const level = Math.max(0, Math.min(MAX_HINT_LEVEL, Math.trunc(current)));
  return wantsMoreHelp ? Math.min(MAX_HINT_LEVEL, level + 1) : level;
}

/**
 * Safe hints per level, in several wordings: the guard checks each against the
 * answer and the first that passes is used. No digits, no option letters.
 */
export const SAFE_HINTS: readonly (readonly string[])[] = [
  [
    "Let's slow down and read the problem together. What is it asking you to find, and what information does it give you?",
    "Before calculating anything, put the question in your own words. What do you know, and what do you need?",
  ],
  [
    "Think about which idea or rule connects what you know to what you need. Which seems to fit here, and why?",
    "Have you solved a problem like this before? What method did you use then, and could it work here?",
  ],
  [
    "Take just the next small step with the rule you chose. What do you get when you apply it once? Show me that step.",
    "Write down the very next line of your work, and tell me why that move is allowed.",
  ],
  [
    "You're close. Walk me through your work line by line and check each step. What do you notice about your last step?",
    "Read your own work back slowly. Is every step allowed? Where might a small slip have crept in?",
  ],
];

/** The opener for a reply to a push for the answer (jailbreaks, demands, "just confirm"). */
export const PRESSURE_OPENERS: readonly string[] = [
  "I can't hand you the answer, but I can help you reach it yourself.",
  "Finding it yourself is the point, so I'll keep guiding rather than telling.",
];

/** The last resort: no letters or digits at all, so it cannot state any answer. */
export const LAST_RESORT_HINT = "🤔 … ?";
