import { join } from "node:path";
import {
  QuestionImportTally,
  questionBatches,
  readQuestionFile,
} from "@skillbridge/core/questions";
import { type QuestionInput, SkillBridge, ValidationError } from "@skillbridge/sdk";
import { startServer } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greQuestions, satQuestions } from "../packages/core/test/support/questions.js";
import {
  createTestApp,
  ENGINES,
  PLATFORM_ADMIN,
} from "../packages/server/test/support/test-app.js";

// The SDK's questions resource against the real server over a socket, and a
// file sent the way the CLI will send it: read and validated locally, posted
// in batches, the reports added up with rejections mapped back to file lines.

const SAMPLES = join(import.meta.dirname, "../examples/question-banks");
const PASSWORD = "correct-horse-battery";

describe.each(ENGINES)("the SDK's question bank against a live server on %s", (engine) => {
  let close: () => Promise<void>;
  let url: string;
  let platform: SkillBridge;
  let student: SkillBridge;
  let instructor: SkillBridge;

  async function signIn(credentials: { academy?: string; email: string; password: string }) {
    const client = new SkillBridge({ baseUrl: url, maxRetries: 0 });
    await client.auth.login(credentials);
    return client;
  }

  beforeAll(async () => {
    const t = await createTestApp(engine);
    const running = await startServer({ app: t.app, port: 0, handleSignals: false });
    close = async () => {
      await running.close();
      await t.dispose();
    };
    url = running.url;
    platform = await signIn(PLATFORM_ADMIN);
    await platform.academies.create({
      slug: "bank-north",
      name: "North",
      admin: { email: "ada@north.example", name: "Ada", password: PASSWORD },
    });
    const admin = await signIn({
      academy: "bank-north",
      email: "ada@north.example",
      password: PASSWORD,
    });
    for (const [role, email] of [
      ["student", "sam@north.example"],
      ["instructor", "ines@north.example"],
    ] as const)
      await admin.users.create({ email, name: email, role, password: PASSWORD });
    student = await signIn({
      academy: "bank-north",
      email: "sam@north.example",
      password: PASSWORD,
    });
    instructor = await signIn({
      academy: "bank-north",
      email: "ines@north.example",
      password: PASSWORD,
    });
  });
  afterAll(() => close());

  it("batch imports, and the same batch again is all unchanged", async () => {
    const body = { bank: "gre" as const, questions: greQuestions("sdk") };
    expect(await platform.questions.batch(body)).toEqual({
      inserted: 7,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    expect(await platform.questions.batch(body)).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 7,
      rejected: [],
    });
  });

  it("batch reports a rejected item by its position in the batch", async () => {
    const [mc, grid] = satQuestions("sdk-rej") as [QuestionInput, QuestionInput];
    const report = await platform.questions.batch({
      bank: "sat",
      questions: [mc, { ...grid, difficulty: 0 }],
    });
    expect(report).toMatchObject({
      inserted: 1,
      rejected: [{ index: 1, externalId: "sdk-rej-grid" }],
    });
  });

  it("a malformed batch is a typed ValidationError naming the field", async () => {
    const error = await platform.questions
      .batch({ bank: "act" as "sat", questions: satQuestions("x") })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problem?.errors?.map((e) => e.path)).toContain("bank");
  });

  it("list walks every page on its own, with filters", async () => {
    const all = await instructor.questions.list({ bank: "gre", limit: 2 }).toArray({ limit: 100 });
    expect(all.map((q) => q.externalId).sort()).toEqual(
      greQuestions("sdk")
        .map((q) => q.externalId)
        .sort(),
    );
    const vocabulary = await instructor.questions
      .list({ bank: "gre", topic: "vocabulary" })
      .toArray({ limit: 100 });
    expect(vocabulary.map((q) => q.type).sort()).toEqual([
      "sentence_equivalence",
      "text_completion",
    ]);
  });

  it("get answers the full question to staff and the learner view to a student", async () => {
    const [first] = await platform.questions
      .list({ bank: "gre", type: "multiple_choice" })
      .toArray({ limit: 1 });
    if (!first) throw new Error("no question");
    const full = await instructor.questions.get(first.id);
    expect("answer" in full && full.answer).toBe("B");
    const learner = await student.questions.get(first.id);
    expect(learner.id).toBe(first.id);
    expect("answer" in learner).toBe(false);
    expect("explanation" in learner).toBe(false);
    const page = await student.questions.list({ bank: "gre" }).firstPage();
    expect(page.data.every((q) => !("answer" in q))).toBe(true);
  });

  it("a file sent the CLI's way: local validation, batches, rejections mapped back to file lines", async () => {
    // Read as GRE but posted to the SAT bank: the server rejects what the SAT cannot hold,
    // by batch position; the tally turns those positions back into file lines.
    const tally = new QuestionImportTally();
    const sent: number[] = [];
    const rows = readQuestionFile(join(SAMPLES, "gre.ndjson"), { bank: "gre" });
    for await (const batch of questionBatches(rows, { maxQuestions: 5 })) {
      tally.reject(batch.rejected);
      if (batch.rows.length === 0) continue;
      sent.push(batch.rows.length);
      const report = await platform.questions.batch({
        bank: "sat",
        questions: batch.rows.map((row) => ({ ...row.question, bank: undefined })),
      });
      tally.addBatch(batch.rows, report);
    }
    expect(sent).toEqual([5, 5, 2]);
    const report = tally.report();
    expect(report.inserted).toBe(2);
    expect(report.rejected.map((r) => [r.index, r.line, r.externalId])).toEqual([
      [1, 2, "gre-002"],
      [2, 3, "gre-003"],
      [3, 4, "gre-004"],
      [4, 5, "gre-005"],
      [5, 6, "gre-006"],
      [6, 7, "gre-007"],
      [7, 8, "gre-008"],
      [8, 9, "gre-009"],
      [9, 10, "gre-010"],
      [10, 11, "gre-011"],
    ]);
    expect(report.rejected[0]?.errors[0]).toMatchObject({ path: "type" });

    // The right bank: everything in, and again, everything unchanged.
    for (const expected of [
      { inserted: 12, unchanged: 0 },
      { inserted: 0, unchanged: 12 },
    ]) {
      const again = new QuestionImportTally();
      for await (const batch of questionBatches(
        readQuestionFile(join(SAMPLES, "gre.csv"), { bank: "gre" }),
      )) {
        again.reject(batch.rejected);
        if (batch.rows.length > 0)
          again.addBatch(
            batch.rows,
            await platform.questions.batch({
              bank: "gre",
              questions: batch.rows.map((r) => r.question),
            }),
          );
      }
      expect(again.report()).toEqual({ ...expected, updated: 0, rejected: [] });
    }
  });
});
