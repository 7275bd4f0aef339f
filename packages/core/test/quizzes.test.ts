import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LearnerQuiz, Quiz, QuizQuestionInput } from "../src/contracts/index.js";
import {
  ConflictError,
  createOfflineProvider,
  ForbiddenError,
  NotFoundError,
  type SkillBridgeDatabase,
  UnreadableFileError,
  ValidationError,
  withTenant,
} from "../src/index.js";
import { docxWithParagraphs, pdfWithoutText, pdfWithText } from "./support/document-fixtures.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { as, gradingWorld } from "./support/grading-world.js";
import { completion, type FakeGroq, startGroqServer } from "./support/groq-server.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";
import { groqAt, runnerFor } from "./support/tutor-world.js";

// Quizzes through their service on both engines: drafts generated from real
// PDF, DOCX and Markdown uploads (offline rules and groq-sdk against a local
// Groq-speaking server), reviewed and published by staff; learners see
// published quizzes only, without answers; another academy sees nothing.

const CELLS = [
  "The mitochondrion is the site of cellular respiration in eukaryotic cells.",
  "Photosynthesis takes place in the chloroplasts and releases oxygen as a by-product.",
  "A typical human cell contains about 2000 mitochondria, though the number varies widely.",
  "Ribosomes assemble proteins by reading the sequence of messenger RNA strands.",
];

const MANUAL: QuizQuestionInput[] = [
  {
    type: "multiple_choice",
    prompt: "What is 2 + 2?",
    options: [
      { id: "A", text: "3" },
      { id: "B", text: "4" },
    ],
    answer: "B",
    explanation: "Count them.",
    topic: "arithmetic",
    difficulty: 1,
  },
  { type: "numeric_entry", prompt: "Half of 3?", answer: "3/2", topic: "fractions", difficulty: 2 },
];

/** A model that writes one grounded question per sentence of the excerpt it is given. */
function groundedModel(call: { body: { messages: readonly { content: string }[] } }) {
  const user = call.body.messages[1]?.content ?? "";
  const excerpt = /<material>\n([\s\S]*)\n<\/material>/.exec(user)?.[1] ?? "";
  const sentences = excerpt.split(/(?<=\.)\s+/).filter((s) => s.length > 20);
  return completion(
    JSON.stringify({
      questions: sentences.map((sentence, i) => ({
        type: "multiple_choice",
        prompt: `Which statement does the material make (${i + 1})?`,
        options: [
          { id: "A", text: sentence },
          { id: "B", text: "Something the material never says." },
        ],
        answer: "A",
        explanation: "Stated in the material.",
        source: sentence,
      })),
    }),
  );
}

describe.each(ENGINES)("quizzes (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let fake: FakeGroq;
  let north: SeededAcademy;
  let south: SeededAcademy;
  let offline: ReturnType<typeof gradingWorld>;
  let groq: ReturnType<typeof gradingWorld>;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    const base = fastServices();
    north = await seedAcademy(db, base, "north");
    south = await seedAcademy(db, base, "south");
    fake = await startGroqServer(groundedModel);
    offline = gradingWorld(db, createOfflineProvider());
    groq = gradingWorld(db, groqAt(fake.url));
  });
  afterAll(async () => {
    await fake.close();
    await dispose();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  type Who = keyof SeededAcademy["users"];
  const generate = (
    world: ReturnType<typeof gradingWorld>,
    who: Who,
    file: { fileName: string; bytes: Uint8Array; mediaType?: string },
    fields: { title?: string; count?: number; courseId?: string | undefined } = {},
    seed = north,
  ) =>
    world.services.quizzes.generate(
      runnerFor(db, seed.academyId, seed.actor(who)),
      seed.academyId,
      { title: "Cells", courseId: seed.courses.c1, count: 3, ...fields },
      file,
    );
  const get = (id: string, who: Who, seed = north) =>
    as(db, seed, who, (trx, actor) => offline.services.quizzes.get(trx, actor, id));
  const update = (
    id: string,
    who: Who,
    body: Parameters<typeof offline.services.quizzes.update>[3],
  ) => as(db, north, who, (trx, actor) => offline.services.quizzes.update(trx, actor, id, body));
  const create = (who: Who, body: Parameters<typeof offline.services.quizzes.create>[2]) =>
    as(db, north, who, (trx, actor) => offline.services.quizzes.create(trx, actor, body));
  const listIds = async (who: Who) =>
    (
      await as(db, north, who, (trx, actor) =>
        offline.services.quizzes.list(trx, actor, { limit: 100 }),
      )
    ).data.map((q) => q.id);
  const quizCount = () =>
    withTenant(db, { tenantId: north.academyId, userId: null, role: "system" }, async (trx) =>
      Number(
        (
          await trx
            .selectFrom("quizzes")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirst()
        )?.n ?? 0,
      ),
    );

  describe("generating a draft", () => {
    it("from a PDF offline: a draft for review with labelled, grounded questions and how it was made", async () => {
      const bytes = pdfWithText([CELLS.slice(0, 2), CELLS.slice(2)]);
      const quiz = await generate(offline, "i1", { fileName: "cells.pdf", bytes });
      expect(quiz).toMatchObject({
        title: "Cells",
        courseId: north.courses.c1,
        status: "draft",
        createdBy: north.users.i1,
        publishedAt: null,
        generation: {
          provider: "offline",
          offline: true,
          model: "offline/rules",
          source: { fileName: "cells.pdf", kind: "pdf", bytes: bytes.length, pages: 2 },
          chunks: 1,
          requested: 3,
          accepted: 3,
        },
      });
      expect(quiz.questions).toHaveLength(3);
      for (const q of quiz.questions) {
        expect(q.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(q.prompt).toMatch(/^\[offline\] /);
        expect(CELLS.some((s) => q.source !== null && s.includes(q.source))).toBe(true);
      }
    });

    it("from a Word document through groq-sdk: the document's text reaches the model, usage is charged to the instructor", async () => {
      const quiz = await generate(groq, "i1", {
        fileName: "cells.docx",
        bytes: docxWithParagraphs(CELLS),
      });
      expect(fake.calls).toHaveLength(1);
      expect(fake.calls[0]?.body.messages[1]?.content).toContain(CELLS[3]);
      expect(quiz.generation).toMatchObject({ provider: "groq", offline: false, accepted: 3 });
      expect(quiz.generation?.dropped).toEqual({
        invalid: 0,
        unsupported: 0,
        duplicate: 0,
        surplus: 1,
      });
      const usage = await withTenant(
        db,
        { tenantId: north.academyId, userId: null, role: "system" },
        (trx) =>
          trx
            .selectFrom("ai_usage")
            .select("user_id")
            .where("task", "=", "quiz.generate")
            .execute(),
      );
      expect(usage).toEqual([{ user_id: north.users.i1 }]);
    });

    it("from Markdown, academy-wide (no course) by an admin", async () => {
      const markdown = `# Cells\n\n${CELLS.map((s) => `- ${s}`).join("\n")}\n`;
      const quiz = await generate(
        offline,
        "admin",
        { fileName: "cells.md", bytes: Buffer.from(markdown) },
        { courseId: undefined, count: 2 },
      );
      expect(quiz).toMatchObject({ courseId: null, generation: { source: { kind: "markdown" } } });
      expect(quiz.questions).toHaveLength(2);
    });

    it("an unreadable file is refused before any model call, and nothing is saved", async () => {
      const before = await quizCount();
      await expect(
        generate(groq, "i1", { fileName: "scan.pdf", bytes: pdfWithoutText() }),
      ).rejects.toBeInstanceOf(UnreadableFileError);
      expect(fake.calls).toHaveLength(0);
      expect(await quizCount()).toBe(before);
    });

    it("only staff generate, and instructors only for courses they teach, checked before the file is read", async () => {
      const file = { fileName: "cells.pdf", bytes: pdfWithText([CELLS]) };
      await expect(generate(groq, "s1", file)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        generate(groq, "i1", file, { courseId: north.courses.c2 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        generate(groq, "i1", file, { courseId: south.courses.c1 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(fake.calls).toHaveLength(0);
    });

    it("bad fields are a validation error naming the field", async () => {
      const file = { fileName: "cells.pdf", bytes: pdfWithText([CELLS]) };
      const error = await generate(offline, "i1", file, { count: 51 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([
        { path: "count", message: expect.stringMatching(/50/) },
      ]);
    });
  });

  describe("review, publication and who sees what", () => {
    it("a draft is staff-only; once published, learners get the questions without answers, explanations or sources", async () => {
      const draft = await generate(offline, "i1", {
        fileName: "cells.txt",
        bytes: Buffer.from(CELLS.join(" ")),
      });
      for (const who of ["s1", "s3", "p", "i2", "s2"] as const) {
        await expect(get(draft.id, who)).rejects.toBeInstanceOf(NotFoundError);
      }
      await expect(get(draft.id, "admin", south)).rejects.toBeInstanceOf(NotFoundError);
      await expect(update(draft.id, "s1", { status: "published" })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(update(draft.id, "i2", { status: "published" })).rejects.toBeInstanceOf(
        NotFoundError,
      );

      const published = await update(draft.id, "i1", { status: "published" });
      expect(published).toMatchObject({ status: "published", publishedAt: expect.any(String) });
      for (const who of ["s1", "s3", "p"] as const) {
        const seen = (await get(draft.id, who)) as LearnerQuiz;
        expect(seen.questions).toHaveLength(draft.questions.length);
        for (const q of seen.questions) {
          for (const hidden of ["answer", "explanation", "source"])
            expect(Object.hasOwn(q, hidden)).toBe(false);
        }
        expect(Object.hasOwn(seen, "generation")).toBe(false);
        expect(Object.hasOwn(seen, "createdBy")).toBe(false);
      }
      await expect(get(draft.id, "s2")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("a draft's questions are edited in review; a published quiz's are fixed", async () => {
      const quiz = (await create("i1", {
        title: "Arithmetic",
        courseId: north.courses.c1,
        questions: MANUAL,
      })) as Quiz;
      expect(quiz.questions.map((q) => [q.type, q.answer])).toEqual([
        ["multiple_choice", "B"],
        ["numeric_entry", "3/2"],
      ]);
      const kept = quiz.questions[0];
      const edited = await update(quiz.id, "i1", {
        title: "Arithmetic, reviewed",
        questions: [
          { ...MANUAL[0], id: kept?.id, prompt: "What is two plus two?" } as QuizQuestionInput,
        ],
      });
      expect(edited.questions).toMatchObject([{ id: kept?.id, prompt: "What is two plus two?" }]);
      await update(quiz.id, "i1", { status: "published" });
      await expect(update(quiz.id, "i1", { questions: MANUAL })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await update(quiz.id, "i1", { title: "Arithmetic, final" })).toMatchObject({
        title: "Arithmetic, final",
        status: "published",
      });
    });

    it("a hand-written question that contradicts itself is a validation error with its path", async () => {
      const error = await create("i1", {
        title: "Broken",
        questions: [{ ...MANUAL[0], answer: "Z" } as QuizQuestionInput],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([
        { path: "questions.0.answer", message: '"Z" is not one of the option ids.' },
      ]);
    });

    it("lists are role-filtered: drafts for staff, academy-wide quizzes for their author and learners once published", async () => {
      const c1Draft = await create("i1", {
        title: "c1 draft",
        courseId: north.courses.c1,
        questions: MANUAL,
      });
      const c2Published = await create("i2", {
        title: "c2",
        courseId: north.courses.c2,
        questions: MANUAL,
      });
      await update(c2Published.id, "i2", { status: "published" });
      const ownWide = await create("i1", { title: "i1 academy-wide", questions: MANUAL });
      const adminWide = await create("admin", { title: "admin academy-wide", questions: MANUAL });
      await update(adminWide.id, "admin", { status: "published" });

      const admin = await listIds("admin");
      expect(admin).toEqual(
        expect.arrayContaining([
          north.quizId,
          c1Draft.id,
          c2Published.id,
          ownWide.id,
          adminWide.id,
        ]),
      );
      const i1 = await listIds("i1");
      expect(i1).toEqual(expect.arrayContaining([north.quizId, c1Draft.id, ownWide.id]));
      expect(i1).not.toContain(c2Published.id);
      expect(i1).not.toContain(adminWide.id);
      expect(await listIds("i2")).not.toContain(ownWide.id);
      for (const who of ["s1", "p"] as const) {
        const seen = await listIds(who);
        expect(seen).toEqual(expect.arrayContaining([north.quizId, adminWide.id]));
        for (const hidden of [c1Draft.id, c2Published.id, ownWide.id])
          expect(seen).not.toContain(hidden);
      }
      expect(await listIds("s2")).toEqual(expect.arrayContaining([c2Published.id, adminWide.id]));
      await expect(update(ownWide.id, "i2", { title: "mine now" })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(update(adminWide.id, "i1", { title: "mine now" })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it("a soft-deleted course hides its quizzes from everyone", async () => {
      const courseId = await as(db, north, "admin", async (trx, actor) => {
        const course = await offline.services.courses.create(trx, actor, {
          title: "Short-lived",
          instructorId: north.users.i1,
        });
        return course.id;
      });
      const quiz = await create("i1", { title: "Doomed", courseId, questions: MANUAL });
      await as(db, north, "admin", (trx, actor) =>
        offline.services.courses.delete(trx, actor, courseId),
      );
      for (const who of ["admin", "i1"] as const) {
        await expect(get(quiz.id, who)).rejects.toBeInstanceOf(NotFoundError);
      }
      expect(await listIds("admin")).not.toContain(quiz.id);
    });
  });
});
