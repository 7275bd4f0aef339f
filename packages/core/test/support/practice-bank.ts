import type { QuestionInput } from "../../src/contracts/index.js";

/**
 * A bank for practice and mock-exam tests: every section of a test, a few
 * topics each, `perLevel` questions of every level 1-5 per topic. Answers
 * follow one rule per type so a test can answer right or wrong from the
 * learner's view alone (see {@link rightAnswer}): multiple choice and
 * quantitative comparison `B`, grid-ins and numeric entry `7`, text
 * completion `["B"]`.
 */
export const PRACTICE_TOPICS = {
  sat: { math: ["algebra", "geometry"], reading_writing: ["vocabulary", "transitions"] },
  gre: { quantitative: ["arithmetic", "algebra"], verbal: ["vocabulary", "reasoning"] },
} as const;

const options = [
  { id: "A", text: "a wrong choice" },
  { id: "B", text: "the right choice" },
  { id: "C", text: "another wrong choice" },
  { id: "D", text: "a last wrong choice" },
];

function question(
  bank: "sat" | "gre",
  section: string,
  topic: string,
  level: number,
  n: number,
  prefix: string,
): QuestionInput {
  const externalId = `${prefix}-${bank}-${section}-${topic}-${level}-${n}`;
  const common = {
    externalId,
    topic,
    difficulty: level,
    explanation: `Why ${externalId} is answered as it is.`,
  };
  if (bank === "sat" && section === "math")
    return n % 2 === 0
      ? { ...common, type: "grid_in", prompt: `${externalId}: what is 3 + 4?`, answer: ["7"] }
      : {
          ...common,
          type: "multiple_choice",
          section: "math",
          prompt: `${externalId}: which choice is right?`,
          options,
          answer: "B",
        };
  if (bank === "sat")
    return {
      ...common,
      type: "multiple_choice",
      section: "reading_writing",
      prompt: `${externalId}: which word fits?`,
      options,
      answer: "B",
    };
  if (section === "quantitative")
    return n % 2 === 0
      ? { ...common, type: "numeric_entry", prompt: `${externalId}: 3 + 4 = ?`, answer: "7" }
      : {
          ...common,
          type: "quantitative_comparison",
          prompt: `${externalId}: compare.`,
          quantityA: "1",
          quantityB: "2",
          answer: "B",
        };
  return {
    ...common,
    type: "text_completion",
    prompt: `${externalId}: the argument was (i) ____.`,
    blanks: [
      {
        options: [
          { id: "A", text: "weak" },
          { id: "B", text: "sound" },
          { id: "C", text: "loud" },
          { id: "D", text: "brief" },
          { id: "E", text: "plain" },
        ],
      },
    ],
    answer: ["B"],
  };
}

export function practiceBank(
  bank: "sat" | "gre",
  options: { readonly perLevel?: number; readonly prefix?: string } = {},
): QuestionInput[] {
  const perLevel = options.perLevel ?? 3;
  const prefix = options.prefix ?? "p";
  const out: QuestionInput[] = [];
  for (const [section, topics] of Object.entries(PRACTICE_TOPICS[bank]))
    for (const topic of topics)
      for (let level = 1; level <= 5; level++)
        for (let n = 0; n < perLevel; n++)
          out.push(question(bank, section, topic, level, n, prefix));
  return out;
}

/** The right answer to a practice-bank question, from what a learner sees of it. */
export function rightAnswer(q: { readonly type: string }): string | string[] {
  switch (q.type) {
    case "grid_in":
    case "numeric_entry":
      return "7";
    case "text_completion":
      return ["B"];
    default:
      return "B";
  }
}

/** A wrong (but well-formed) answer to a practice-bank question. */
export function wrongAnswer(q: { readonly type: string }): string | string[] {
  switch (q.type) {
    case "grid_in":
    case "numeric_entry":
      return "3";
    case "text_completion":
      return ["A"];
    default:
      return "A";
  }
}
