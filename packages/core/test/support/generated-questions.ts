import type { QuestionRow } from "../../src/index.js";

/** `count` distinct, valid SAT grid-in rows, the same on every call (ids `gen-000000`…). */
export function* generatedRows(count: number): Generator<QuestionRow> {
  for (let i = 0; i < count; i++) {
    const externalId = `gen-${String(i).padStart(6, "0")}`;
    yield {
      index: i,
      line: i + 1,
      externalId,
      ok: true,
      question: {
        externalId,
        bank: "sat",
        type: "grid_in",
        prompt: `What is ${i} + 1?`,
        topic: `topic-${i % 20}`,
        difficulty: (i % 5) + 1,
        answer: [String(i + 1)],
      },
    };
  }
}
