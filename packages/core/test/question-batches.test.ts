import { describe, expect, it } from "vitest";
import {
  mergeImportReports,
  QuestionImportTally,
  type QuestionRow,
  questionBatches,
  type RejectedQuestionRow,
  type ValidQuestionRow,
} from "../src/index.js";
import { generatedRows } from "./support/generated-questions.js";

// What a client (the CLI) uses to send a file in batches and add up the
// answers: no database here.

const rejected = (index: number): RejectedQuestionRow => ({
  index,
  line: index + 10,
  ok: false,
  errors: [{ path: "", message: `bad ${index}` }],
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("questionBatches", () => {
  it("cuts valid rows into batches of at most maxQuestions, in order, carrying local rejections", async () => {
    const rows: QuestionRow[] = [...generatedRows(7)];
    rows.splice(3, 0, rejected(100));
    rows.push(rejected(101));
    const batches = await collect(questionBatches(rows, { maxQuestions: 3 }));
    expect(
      batches.map((b) => [b.rows.map((r) => r.index), b.rejected.map((r) => r.index)]),
    ).toEqual([
      [[0, 1, 2], [100]],
      [[3, 4, 5], []],
      [[6], [101]],
    ]);
  });

  it("also closes a batch before it would pass maxBytes of question JSON", async () => {
    const rows = [...generatedRows(10)];
    const one = Buffer.byteLength(JSON.stringify(rows[0]?.ok && rows[0].question)) + 1;
    const batches = await collect(questionBatches(rows, { maxQuestions: 1000, maxBytes: one * 4 }));
    expect(batches.map((b) => b.rows.length)).toEqual([4, 4, 2]);
    for (const batch of batches) expect(batch.bytes).toBeLessThanOrEqual(one * 4 + 4);
  });

  it("a file with only rejections yields one batch of rejections; an empty file none", async () => {
    expect(await collect(questionBatches([rejected(0), rejected(1)]))).toEqual([
      { rows: [], rejected: [rejected(0), rejected(1)], bytes: 0 },
    ]);
    expect(await collect(questionBatches([]))).toEqual([]);
  });

  it("never exceeds the route's maximum, whatever is asked", async () => {
    const batches = await collect(questionBatches(generatedRows(2_500), { maxQuestions: 5_000 }));
    expect(batches.map((b) => b.rows.length)).toEqual([1_000, 1_000, 500]);
  });
});

describe("QuestionImportTally", () => {
  it("maps a batch's rejected[].index (position in the batch) back to the file's index, line and externalId", () => {
    const sent = [...generatedRows(40)].slice(30) as ValidQuestionRow[];
    const tally = new QuestionImportTally();
    tally.reject([rejected(2), rejected(7)]);
    tally.addBatch(sent, {
      inserted: 6,
      updated: 1,
      unchanged: 1,
      rejected: [
        { index: 4, errors: [{ path: "type", message: "not in this bank" }] },
        { index: 0, externalId: "ignored", errors: [{ path: "answer", message: "x" }] },
      ],
    });
    expect(tally.counts).toEqual({ inserted: 6, updated: 1, unchanged: 1, rejected: 4 });
    expect(tally.report()).toEqual({
      inserted: 6,
      updated: 1,
      unchanged: 1,
      rejected: [
        { index: 2, line: 12, errors: [{ path: "", message: "bad 2" }] },
        { index: 7, line: 17, errors: [{ path: "", message: "bad 7" }] },
        {
          index: 30,
          line: 31,
          externalId: "gen-000030",
          errors: [{ path: "answer", message: "x" }],
        },
        {
          index: 34,
          line: 35,
          externalId: "gen-000034",
          errors: [{ path: "type", message: "not in this bank" }],
        },
      ],
    });
  });

  it("refuses a report that names an index it was not sent (the wrong batch was passed)", () => {
    const tally = new QuestionImportTally();
    const sent = [...generatedRows(2)] as ValidQuestionRow[];
    expect(() =>
      tally.addBatch(sent, {
        inserted: 0,
        updated: 0,
        unchanged: 0,
        rejected: [{ index: 2, errors: [] }],
      }),
    ).toThrow(RangeError);
  });

  it("mergeImportReports sums counts and orders rejections by index", () => {
    const a = {
      inserted: 1,
      updated: 2,
      unchanged: 3,
      rejected: [{ index: 9, line: 10, errors: [] }],
    };
    const b = {
      inserted: 10,
      updated: 0,
      unchanged: 1,
      rejected: [{ index: 2, line: 3, errors: [] }],
    };
    expect(mergeImportReports(a, b)).toEqual({
      inserted: 11,
      updated: 2,
      unchanged: 4,
      rejected: [
        { index: 2, line: 3, errors: [] },
        { index: 9, line: 10, errors: [] },
      ],
    });
  });
});
