import { expect } from "vitest";
import { answerKey } from "../../src/ai/tutor/answer-key.js";
import { ADVERSARIAL, type TextMaker } from "./adversarial-text.js";
import { MAX_GROWTH, workGrowth } from "./work-growth.js";

// What the tutor's growth tests (linear-work-tutor*.test.ts) share.

export const PROBLEM = "What is 53 * 79? A farmer has 4187 apples.";
export const KEYS = {
  number: answerKey("4187", PROBLEM),
  fraction: answerKey("3/4"),
  choice: answerKey("B", "Which? A) digestion B) photosynthesis C) respiration D) fermentation"),
  word: answerKey("ephemeral"),
  phrase: answerKey("the mitochondria release energy stored in glucose through respiration"),
};

/** Every shape, n then 2n characters: `run` must grow under MAX_GROWTH on each. */
export async function expectLinear(
  name: string,
  run: (text: string) => unknown,
  shapes = ADVERSARIAL,
) {
  const slow: string[] = [];
  for (const [shape, make] of Object.entries(shapes) as [string, TextMaker][]) {
    const growth = await workGrowth(make, run, { start: 256, maxSize: 1 << 20 });
    if (growth.ratio >= MAX_GROWTH) slow.push(`${name} on ${shape}: ${growth.describe}`);
  }
  expect(slow).toEqual([]);
}
