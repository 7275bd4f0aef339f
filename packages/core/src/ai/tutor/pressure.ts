import { normaliseText } from "./text-normalise.js";

/**
 * Ways students (and prompt-injection copy-pastes) push a tutor to hand over
 * the answer. Spotting them does not decide safety — the output guard does —
 * but it tells the model, and the offline rules, to answer the push itself
 * Socratically instead of playing along.
 */
export type PressureKind =
  | "override"
  | "roleplay"
  | "encoding"
  | "confirm"
  | "demand"
  | "authority"
  | "emotional";

const PATTERNS: readonly (readonly [PressureKind, RegExp])[] = [
  [
    "override",
    /\b(ignore|forget|disregard|override|bypass)\b.{0,40}\b(instruction|rule|prompt|previous|above|system|guideline|polic)|\b(system prompt|developer mode|jailbreak|dan mode|new instructions?|no restrictions|unfiltered)\b/i,
  ],
  [
    "roleplay",
    /\b(pretend|role[- ]?play|act as|you are now|you're now|imagine (?:you|that you)|play the role|as my (?:grand)?(?:ma|mother|father|dad|mom)|simulate|in character|hypothetical(?:ly)?|story where)\b/i,
  ],
  [
    "encoding",
    /\b(spell|backwards?|revers\w*|encode|decode|base ?64|rot ?13|cipher|morse|binary|hex(?:adecimal)?|roman numerals?|letter by letter|one letter at a time|in (?:french|spanish|german|another language)|translate|acrostic|first letters?|emoji|rhyme|riddle|poem|code word)\b/i,
  ],
  [
    "confirm",
    /\b(just confirm|confirm (?:it|that|my|the)|i already (?:know|have|got|solved)|tell me if i'?m right|am i right|is it correct|yes or no|right\?|correct\?|check my answer)\b/i,
  ],
  [
    "demand",
    /\b(give me|tell me|what(?:'s| is) the (?:final )?(?:answer|solution|result)|just (?:the )?answer|final answer|solve it|solve this|do it for me|show me the (?:answer|solution)|the answer is\?|need the answer|answer key)\b/i,
  ],
  [
    "authority",
    /\b(i(?:'m| am) (?:the|a|your) (?:teacher|instructor|admin|developer|professor|parent)|my teacher (?:said|allowed|says)|i have permission|authori[sz]ed|i'?m allowed)\b/i,
  ],
  [
    "emotional",
    /\b(i'?ll fail|going to fail|please+ just|i'?m desperate|begging|my (?:life|grade) depends|running out of time|due in \d+ ?(?:min|minutes|hours?))\b/i,
  ],
];

/** The kinds of pressure a message carries (none for an ordinary question). */
export function detectPressure(message: string): PressureKind[] {
  const text = normaliseText(message);
  return PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind);
}

const HELP =
  /\b(help|hint|stuck|don'?t (?:know|get|understand)|no idea|confused|lost|how do i|where do i (?:start|begin)|what do i do|idk|clue|next step)\b/i;

/** Whether the student is asking for more help than they have had: moves the hint ladder up. */
export function asksForHelp(message: string): boolean {
  return HELP.test(normaliseText(message));
}
