import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { QuestionInput } from "../src/contracts/index.js";
import {
  type ImportProgress,
  importQuestions,
  type QuestionRow,
  readQuestionFile,
  type SkillBridgeDatabase,
  score,
  validateQuestion,
  withPlatform,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { greQuestions, satQuestions } from "./support/questions.js";

// The database importer on both engines: idempotent upserts, whole batches
// only when an import dies part-way, strict and dry runs, and the samples.

const SAMPLES = join(import.meta.dirname, "../../../examples/question-banks");

/** Valid rows as readQuestionFile yields them (line = index + 1). */
function rowsOf(inputs: readonly QuestionInput[], bank: "sat" | "gre"): QuestionRow[] {
  return inputs.map((input, index) => {
    const result = validateQuestion(input, bank);
    if (!result.ok)
      throw new Error(`bad fixture ${input.externalId}: ${JSON.stringify(result.errors)}`);
    return {
      index,
      line: index + 1,
      externalId: input.externalId,
      ok: true,
      question: result.question,
    };
  });
}

/** `count` distinct SAT grid-ins. */
function many(count: number, prefix = "n"): QuestionRow[] {
  return rowsOf(
    Array.from({ length: count }, (_, i) => ({
      externalId: `${prefix}-${String(i).padStart(4, "0")}`,
      type: "grid_in" as const,
      prompt: `What is ${i} + 1?`,
      topic: "arithmetic",
      difficulty: 1,
      answer: [String(i + 1)],
    })),
    "sat",
  );
}

/** Yields `rows`, then dies as a killed process would: no more rows, ever. */
async function* dyingAfter(
  rows: readonly QuestionRow[],
  count: number,
): AsyncGenerator<QuestionRow> {
  yield* rows.slice(0, count);
  throw new Error("the importing process was killed");
}

describe.each(ENGINES)("question import on %s", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;

  const count = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from exam_questions`.execute(db.kysely))
      .rows[0]?.n ?? 0;
  /** Each row's version (xmin changes on every write) and updated_at. */
  const versions = async () =>
    (
      await sql<{ bank: string; external_id: string; xmin: string; updated_at: Date }>`
        select bank, external_id, xmin::text as xmin, updated_at from exam_questions
        order by bank, external_id`.execute(db.kysely)
    ).rows;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterAll(async () => {
    await dispose?.();
  });
  beforeEach(async () => {
    await sql`truncate exam_questions`.execute(db.kysely);
  });

  it("imports each sample file, and the same questions in JSON, NDJSON and CSV are one set", async () => {
    for (const bank of ["sat", "gre"] as const) {
      const file = (ext: string) => readQuestionFile(join(SAMPLES, `${bank}.${ext}`), { bank });
      const size = bank === "sat" ? 6 : 12;
      expect(await importQuestions(db, file("json"))).toEqual({
        inserted: size,
        updated: 0,
        unchanged: 0,
        rejected: [],
      });
      expect(await importQuestions(db, file("ndjson"))).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: size,
        rejected: [],
      });
      expect(await importQuestions(db, file("csv"))).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: size,
        rejected: [],
      });
      expect(await importQuestions(db, file("gift"))).toEqual({
        inserted: 5,
        updated: 0,
        unchanged: 0,
        rejected: [],
      });
      expect(await importQuestions(db, file("aiken"))).toEqual({
        inserted: 3,
        updated: 0,
        unchanged: 0,
        rejected: [],
      });
    }
    const types = await sql<{ bank: string; type: string; n: number }>`
      select bank, type, count(*)::int as n from exam_questions group by bank, type order by bank, type`.execute(
      db.kysely,
    );
    expect(types.rows.map((r) => `${r.bank}:${r.type}`)).toEqual([
      "gre:multi_select",
      "gre:multiple_choice",
      "gre:numeric_entry",
      "gre:quantitative_comparison",
      "gre:select_in_passage",
      "gre:sentence_equivalence",
      "gre:text_completion",
      "sat:grid_in",
      "sat:multiple_choice",
    ]);
  });

  it("re-importing the same file reports everything unchanged and writes nothing", async () => {
    const file = () => readQuestionFile(join(SAMPLES, "gre.json"), { bank: "gre" });
    await importQuestions(db, file());
    const before = await versions();
    expect(before).toHaveLength(12);
    expect(await importQuestions(db, file())).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 12,
      rejected: [],
    });
    // Same row versions: not one row was rewritten, not even with equal values.
    expect(await versions()).toEqual(before);
  });

  it("a changed question is updated in place (its hash differs), never duplicated", async () => {
    const questions = greQuestions("chg");
    await importQuestions(db, rowsOf(questions, "gre"));
    const before = await versions();
    const edited = questions.map((q, i) => (i === 2 ? { ...q, difficulty: 5 } : q));
    expect(await importQuestions(db, rowsOf(edited, "gre"))).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 6,
      rejected: [],
      updates: [{ index: 2, line: 3, externalId: "chg-qc", fields: ["difficulty"] }],
    });
    const after = await versions();
    expect(after).toHaveLength(7);
    const changed = after
      .filter((row, i) => row.xmin !== before[i]?.xmin)
      .map((r) => r.external_id);
    expect(changed).toEqual(["chg-qc"]);
    const row = await sql<{
      difficulty: number;
    }>`select difficulty from exam_questions where external_id = 'chg-qc'`.execute(db.kysely);
    expect(row.rows[0]?.difficulty).toBe(5);
  });

  it("imports the valid rows and reports each rejected one with its index, line and externalId", async () => {
    const text = [
      JSON.stringify(satQuestions()[0]),
      JSON.stringify({ ...satQuestions()[1], answer: ["one third"] }),
      "not json",
      JSON.stringify(satQuestions()[1]),
      JSON.stringify({ ...satQuestions()[0], prompt: "Duplicate" }),
    ].join("\n");
    const source = readQuestionFile([text], { bank: "sat", format: "ndjson" });
    expect(await importQuestions(db, source)).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
      rejected: [
        {
          index: 1,
          line: 2,
          externalId: "sat-grid",
          errors: [{ path: "answer.0", message: expect.stringMatching(/number or a fraction/) }],
        },
        {
          index: 2,
          line: 3,
          errors: [{ path: "", message: expect.stringMatching(/Not valid JSON/) }],
        },
        // An id counts once it is read, even on a rejected row: two rows claiming it is a mistake either way.
        {
          index: 3,
          line: 4,
          externalId: "sat-grid",
          errors: [
            { path: "externalId", message: expect.stringMatching(/already used on line 2/) },
          ],
        },
        {
          index: 4,
          line: 5,
          externalId: "sat-mc",
          errors: [
            { path: "externalId", message: expect.stringMatching(/already used on line 1/) },
          ],
        },
      ],
    });
    expect(await count()).toBe(1);
  });

  it("strict: one rejected row anywhere means nothing is written, and every rejection is reported", async () => {
    const rows = [
      ...many(25),
      { index: 25, line: 26, ok: false as const, errors: [{ path: "", message: "bad" }] },
      ...many(5, "late"),
    ];
    const report = await importQuestions(db, rows, { strict: true, batchSize: 10 });
    expect(report).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: [{ index: 25, line: 26, errors: [{ path: "", message: "bad" }] }],
    });
    expect(await count()).toBe(0);
    expect(await importQuestions(db, many(25), { strict: true, batchSize: 10 })).toMatchObject({
      inserted: 25,
    });
  });

  it("dryRun classifies against the bank and writes nothing", async () => {
    await importQuestions(db, many(10));
    const before = await versions();
    const [changed] = many(9).slice(8);
    if (!changed?.ok) throw new Error("fixture");
    const edited: QuestionRow = {
      ...changed,
      question: { ...changed.question, prompt: "Changed" },
    };
    const rows = [...many(8), edited, ...many(3, "new")];
    const report = await importQuestions(db, rows, { dryRun: true, batchSize: 4 });
    expect(report).toEqual({
      inserted: 3,
      updated: 1,
      unchanged: 8,
      rejected: [],
      updates: [{ index: 8, line: 9, externalId: edited.externalId, fields: ["prompt"] }],
    });
    expect(await versions()).toEqual(before);
  });

  it("a database error rolls back its own batch only: earlier batches stay whole, and re-running finishes", async () => {
    const rows = many(35);
    // Past validation, as if a bug or an older validator let it through: the CHECK constraint refuses it.
    const broken = rows.map((row, i) =>
      i === 24 && row.ok ? { ...row, question: { ...row.question, difficulty: 9 } } : row,
    );
    await expect(importQuestions(db, broken, { batchSize: 10 })).rejects.toMatchObject({
      code: "23514",
    });
    expect(await count()).toBe(20);
    expect(await importQuestions(db, rows, { batchSize: 10 })).toEqual({
      inserted: 15,
      updated: 0,
      unchanged: 20,
      rejected: [],
    });
    expect(await count()).toBe(35);
  });

  it("an import that dies part-way leaves whole batches only, and re-running finishes it", async () => {
    const rows = many(47);
    const progress: ImportProgress[] = [];
    await expect(
      importQuestions(db, dyingAfter(rows, 33), {
        batchSize: 10,
        onProgress: (p) => progress.push(p),
      }),
    ).rejects.toThrow(/killed/);
    expect(await count()).toBe(30);
    expect(progress.map((p) => [p.batches, p.inserted])).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    expect(await importQuestions(db, rows, { batchSize: 10 })).toEqual({
      inserted: 17,
      updated: 0,
      unchanged: 30,
      rejected: [],
    });
  });

  it("a file-level error part-way keeps the batches before it, or nothing under strict", async () => {
    const good = many(12).map((r) => (r.ok ? JSON.stringify(r.question) : ""));
    const bytes = Buffer.concat([Buffer.from(`${good.join("\n")}\n`), Buffer.from([0xe9, 0x0a])]);
    const source = () => readQuestionFile([bytes], { bank: "sat", format: "ndjson" });
    await expect(
      importQuestions(db, source(), { strict: true, batchSize: 5 }),
    ).rejects.toMatchObject({
      code: "invalid_question_file",
      line: 13,
    });
    expect(await count()).toBe(0);
    await expect(importQuestions(db, source(), { batchSize: 5 })).rejects.toMatchObject({
      code: "invalid_question_file",
    });
    expect(await count()).toBe(10);
  });

  it("two imports of the same questions at once store each question once, and their reports add up", async () => {
    const rows = many(3_000, "both");
    const [a, b] = await Promise.all([
      importQuestions(db, rows, { batchSize: 250 }),
      importQuestions(db, rows, { batchSize: 250 }),
    ]);
    expect(await count()).toBe(3_000);
    for (const report of [a, b]) {
      expect(report.rejected).toEqual([]);
      expect(report.inserted + report.updated + report.unchanged).toBe(3_000);
      expect(report.updated).toBe(0);
    }
    expect((a?.inserted ?? 0) + (b?.inserted ?? 0)).toBe(3_000);
  });

  it("questions read back from the bank score their own answers right, and other answers wrong", async () => {
    await importQuestions(db, [
      ...rowsOf(greQuestions("sc"), "gre"),
      ...rowsOf(satQuestions("sc"), "sat"),
    ]);
    const services = fastServices();
    const page = await withPlatform(db, (trx) =>
      services.questions.list(trx, "full", { limit: 100 }),
    );
    expect(page.data).toHaveLength(9);
    for (const question of page.data) {
      if (!("answer" in question)) throw new Error("the full view has answers");
      const right = question.type === "grid_in" ? question.answer[0] : question.answer;
      expect(score(question, right), question.type).toMatchObject({ correct: true, score: 1 });
      const wrong =
        typeof right === "number"
          ? right + 1
          : Array.isArray(right)
            ? ["Z"]
            : right === "9"
              ? "8"
              : "9";
      expect(score(question, wrong).correct, question.type).toBe(false);
    }
  });

  it("reads back what it stored: every field of every type", async () => {
    await importQuestions(db, rowsOf(greQuestions("rt"), "gre"));
    const stored = await sql<{
      external_id: string;
      content: unknown;
      answer: unknown;
      tags: string[];
    }>`
      select external_id, content, answer, tags from exam_questions order by external_id`.execute(
      db.kysely,
    );
    const byId = Object.fromEntries(stored.rows.map((r) => [r.external_id, r]));
    expect(byId["rt-tc"]).toMatchObject({
      answer: ["A", "E"],
      content: { blanks: [{ options: [{ id: "A", text: "placid" }, {}, {}] }, {}] },
    });
    expect(byId["rt-sip"]).toMatchObject({
      answer: 1,
      content: { sentences: expect.arrayContaining([expect.stringMatching(/^Modern/)]) },
    });
    expect(byId["rt-ne"]).toMatchObject({ answer: "3/4", content: {} });
    expect(byId["rt-qc"]).toMatchObject({
      answer: "A",
      content: { quantityA: "x + 1", quantityB: "x" },
      tags: [],
    });
  });
});
