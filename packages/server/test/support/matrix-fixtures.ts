import { randomUUID } from "node:crypto";
import {
  type Actor,
  type Services,
  type TenantDb,
  withPlatform,
  withTenant,
} from "@skillbridge/core";
import type { Placement } from "@skillbridge/core/contracts";
import { fastServices } from "../../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../../core/test/support/seed.js";
import { PLATFORM_ADMIN, type TestApp } from "./test-app.js";

/** The columns of the route matrix: who calls. */
export const CALLERS = [
  "anonymous",
  "admin",
  "instructor",
  "student",
  "parent",
  "platform_admin",
  "content_manager",
] as const;
export type Caller = (typeof CALLERS)[number];

/** Which seeded user of academy A each academy column acts as. */
const ACTS_AS = { admin: "admin", instructor: "i1", student: "s1", parent: "p" } as const;

export const isStaff = (who: Caller) => who === "admin" || who === "instructor";

/**
 * One academy of the matrix: the core seed (see core's `test/support/seed.ts`) plus
 * - `gone`: a soft-deleted student
 * - `p2`: a second parent, linked to s2 (so a parent's view of links is a real filter)
 * - `cGone`: a soft-deleted course taught by i1, with s1 and s2 enrolled, an assignment `aGone`
 *   and s1's submission `subGone` to it (all hidden while the course is deleted)
 * - tutor sessions: the seed's `ts1` (s1 on a1), `ts2` (s2 on a2), `ts3` (s3 on a1) and
 *   `tsGone` (s1 on aGone, hidden with its course)
 * - quizzes: the seed's published `q1` (c1, by i1), `qDraft` (c1 draft by i1), `q2` (c2,
 *   published, by i2), `qWide` (academy-wide, published, by the admin), `qMine` (academy-wide
 *   draft by i1), `qGone` (published, on cGone)
 * - quiz submissions: the seed's `qs1` (s1 on q1), `qs3` (s3 on q1), `qs2` (s2 on q2),
 *   `qsWide` (s1 on qWide), `qsMine` (s3 on i1's academy-wide qMine), `qsGone` (s1 on qGone);
 *   `q1:question` names the seed quiz's one question
 * - AI pre-grading: sub1 and sub2 hold a suggestion awaiting review (confidence 0.4 and 0.7);
 *   sub3 is still queued (no suggestion)
 * - names for rows the seed does not return: enrollments `c1:s1`, `c2:s2`, `c1:s3`, `c2:s3`,
 *   `cGone:s1`, `cGone:s2` and the parent links `p:s1`, `p2:s2`.
 * - practice: the seed's `ps0` and `me0` (s1's, on questions not in the bank); `ps1`, `ps2`, `ps3` (a practice set of s1, s2, s3, each waiting on the bank's
 *   qSat, answer "4") and `me1`, `me2`, `me3` (a GRE mock exam of each, at its last module,
 *   waiting on qGre, answer "B", with a day left).
 */
export interface MatrixAcademy {
  readonly key: "A" | "B";
  readonly academyId: string;
  readonly slug: string;
  /** The id of a named row; throws on an unknown name so a typo cannot pass as `undefined`. */
  id(name: string): string;
  /** A new user of this academy (for cells that delete, link or enroll). */
  freshUser(role: Actor["role"]): Promise<string>;
  /** A new course taught by i1. */
  freshCourse(): Promise<string>;
  /** A new course taught by i1, already soft-deleted. */
  freshDeletedCourse(): Promise<string>;
}

export interface MatrixWorld {
  readonly t: TestApp;
  readonly A: MatrixAcademy;
  readonly B: MatrixAcademy;
  /** A soft-deleted academy (name `D`), onboarded with its own admin (`D.admin`). */
  readonly deletedAcademyId: string;
  readonly deletedAcademyAdminId: string;
  /** Bearer token per column (`undefined` for anonymous). */
  readonly tokens: Readonly<Record<Caller, string | undefined>>;
  /** The user behind a column: academy roles in A, platform users on the platform; anonymous: A's admin. */
  userIdOf(who: Caller): string;
  /**
   * A row by name: first academy A's names (`c1`, `sub3`, `p:s1`…), then platform names:
   * academies `A`, `B`, `D`, the seed's audit events (`academy.create A`, `academy.delete D`,
   * `questions.import sat`…)
   * and the shared bank's questions `qSat` (a grid-in) and `qGre` (a quantitative comparison).
   */
  named(name: string): string;
  /** A new live academy, and a new soft-deleted one. */
  freshAcademy(): Promise<string>;
  freshDeletedAcademy(): Promise<string>;
  /**
   * A new retired question of the GRE bank, written straight to the table (no audit event):
   * retired, it shows in no list and no draw, so retiring it again changes nothing the other
   * rows see.
   */
  freshRetiredQuestion(): Promise<string>;
}

const fresh = () => randomUUID().slice(0, 8);

/** The one question of every matrix quiz (its answer must never reach a learner). */
export const MATRIX_QUESTION = {
  id: "7d4f1c1e-2a53-4c9f-9a55-1b0e0c3a9f10",
  type: "multiple_choice",
  prompt: "Which value solves 2x = 14?",
  options: [
    { id: "A", text: "6" },
    { id: "B", text: "7" },
  ],
  answer: "B",
  explanation: "Divide both sides by 2.",
  topic: "algebra",
  difficulty: 1,
  source: "2x = 14, so x = 7.",
};

/** A stored AI grade suggestion (staff only). */
const MATRIX_SUGGESTION = {
  grade: 7,
  maxPoints: 10,
  confidence: 0.5,
  feedback: "Shows the method.",
  criteria: [
    {
      criterionId: "method",
      points: 7,
      maxPoints: 10,
      evidence: ["Work by"],
      rationale: "Some method shown.",
      confidence: 0.5,
      flags: [],
    },
  ],
  flags: [],
  droppedEvidence: 0,
  provider: "groq",
  model: "llama-3.3-70b-versatile",
  offline: false,
};

async function extendAcademy(
  t: TestApp,
  services: Services,
  key: "A" | "B",
  seed: SeededAcademy,
  bank: { readonly qSat: string; readonly qGre: string },
): Promise<MatrixAcademy> {
  const admin: Actor = seed.actor("admin");
  const inTenant = <T>(fn: (trx: TenantDb) => Promise<T>) =>
    withTenant(t.db, { tenantId: seed.academyId, userId: seed.users.admin, role: "admin" }, fn);
  const names = new Map<string, string>();
  for (const [name, id] of Object.entries({
    ...seed.users,
    ...seed.courses,
    ...seed.assignments,
    ...seed.submissions,
    q1: seed.quizId,
  }))
    names.set(name, id);

  const freshUser = (role: Actor["role"]) =>
    inTenant(async (trx) => {
      const user = await services.users.create(trx, admin, {
        email: `${role}-${fresh()}@example.com`,
        name: `Fresh ${role}`,
        role,
        password: "fresh-password-1",
      });
      return user.id;
    });
  const freshCourse = () =>
    inTenant(async (trx) => {
      const course = await services.courses.create(trx, admin, {
        title: `Fresh course ${fresh()}`,
        instructorId: seed.users.i1,
      });
      return course.id;
    });
  const freshDeletedCourse = async () => {
    const id = await freshCourse();
    await inTenant((trx) => services.courses.delete(trx, admin, id));
    return id;
  };

  await inTenant(async (trx) => {
    const gone = await services.users.create(trx, admin, {
      email: "gone@example.com",
      name: "Gone Student",
      role: "student",
      password: "gone-password-1",
    });
    await services.users.delete(trx, admin, gone.id);
    names.set("gone", gone.id);

    const p2 = await services.users.create(trx, admin, {
      email: "p2@example.com",
      name: "Second Parent",
      role: "parent",
      password: "second-parent-1",
    });
    await services.parentLinks.create(trx, admin, { parentId: p2.id, studentId: seed.users.s2 });
    names.set("p2", p2.id);

    const cGone = await services.courses.create(trx, admin, {
      title: "Retired course",
      instructorId: seed.users.i1,
    });
    for (const studentId of [seed.users.s1, seed.users.s2])
      await services.enrollments.create(trx, admin, cGone.id, { studentId });
    const aGone = await services.assignments.create(trx, admin, cGone.id, {
      title: "Retired assignment",
      instructions: "Nobody should see this.",
      maxPoints: 10,
      referenceAnswer: "42",
    });
    const subGone = await services.submissions.create(trx, seed.actor("s1"), aGone.id, {
      content: "Work on a retired course",
    });
    const session = async (studentId: string, assignmentId: string) =>
      (
        await trx
          .insertInto("tutor_sessions")
          .values({ assignment_id: assignmentId, student_id: studentId, messages: "[]" })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const ts1 = await trx
      .selectFrom("tutor_sessions")
      .select("id")
      .where("student_id", "=", seed.users.s1)
      .where("assignment_id", "=", seed.assignments.a1)
      .executeTakeFirstOrThrow();
    names.set("ts1", ts1.id);
    names.set("ts2", await session(seed.users.s2, seed.assignments.a2));
    names.set("ts3", await session(seed.users.s3, seed.assignments.a1));
    names.set("tsGone", await session(seed.users.s1, aGone.id));
    const quiz = async (
      title: string,
      courseId: string | null,
      createdBy: string,
      status: "draft" | "published",
    ) =>
      (
        await trx
          .insertInto("quizzes")
          .values({
            title,
            course_id: courseId,
            created_by: createdBy,
            status,
            published_at: status === "published" ? new Date() : null,
            questions: JSON.stringify([MATRIX_QUESTION]),
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    names.set("qDraft", await quiz("Draft on c1", seed.courses.c1, seed.users.i1, "draft"));
    names.set("q2", await quiz("On c2", seed.courses.c2, seed.users.i2, "published"));
    names.set("qWide", await quiz("Academy-wide", null, seed.users.admin, "published"));
    names.set("qMine", await quiz("i1's academy-wide draft", null, seed.users.i1, "draft"));
    names.set("qGone", await quiz("On a retired course", cGone.id, seed.users.i1, "published"));
    const quizSubmission = async (quizId: string, studentId: string) =>
      (
        await trx
          .insertInto("quiz_submissions")
          .values({
            quiz_id: quizId,
            student_id: studentId,
            answers: JSON.stringify([{ questionId: MATRIX_QUESTION.id, answer: "B" }]),
            score: 1,
            max_score: 1,
            results: JSON.stringify([{ questionId: MATRIX_QUESTION.id, correct: true }]),
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const seeded = await trx
      .selectFrom("quiz_submissions")
      .select("id")
      .where("quiz_id", "=", seed.quizId)
      .where("student_id", "=", seed.users.s1)
      .executeTakeFirstOrThrow();
    names.set("qs1", seeded.id);
    const q1 = await trx
      .selectFrom("quizzes")
      .select("questions")
      .where("id", "=", seed.quizId)
      .executeTakeFirstOrThrow();
    names.set("q1:question", String((q1.questions[0] as { id: string }).id));
    names.set("qs3", await quizSubmission(seed.quizId, seed.users.s3));
    names.set("qs2", await quizSubmission(names.get("q2") ?? "", seed.users.s2));
    names.set("qsWide", await quizSubmission(names.get("qWide") ?? "", seed.users.s1));
    names.set("qsMine", await quizSubmission(names.get("qMine") ?? "", seed.users.s3));
    names.set("qsGone", await quizSubmission(names.get("qGone") ?? "", seed.users.s1));
    for (const [submission, confidence] of [
      [seed.submissions.sub1, 0.4],
      [seed.submissions.sub2, 0.7],
    ] as const) {
      await trx
        .updateTable("submissions")
        .set({
          ai_status: "suggested",
          ai_confidence: confidence,
          ai_suggestion: JSON.stringify({ ...MATRIX_SUGGESTION, confidence }),
        })
        .where("id", "=", submission)
        .execute();
    }
    // Practice (tenant migration 0008): the seed's set and exam of s1 (`ps0`, `me0`), then a
    // set and a mock exam per student, each waiting on a question of the shared bank; each
    // exam is at its last module, so submitting finishes it.
    const seeded0 = await trx.selectFrom("practice_sets").select("id").executeTakeFirstOrThrow();
    names.set("ps0", seeded0.id);
    const exam0 = await trx.selectFrom("mock_exams").select("id").executeTakeFirstOrThrow();
    names.set("me0", exam0.id);
    for (const [n, student] of [
      ["1", seed.users.s1],
      ["2", seed.users.s2],
      ["3", seed.users.s3],
    ] as const) {
      const set = await trx
        .insertInto("practice_sets")
        .values({
          student_id: student,
          bank: "sat",
          adaptive: true,
          strands: JSON.stringify([{ section: "math", topic: "matrix" }]),
          filters: JSON.stringify({}),
          total: 2,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("practice_set_items")
        .values({
          practice_set_id: set.id,
          position: 0,
          question_id: bank.qSat,
          topic: "matrix",
          section: "math",
          difficulty: 2,
        })
        .execute();
      names.set(`ps${n}`, set.id);
      const exam = await trx
        .insertInto("mock_exams")
        .values({ student_id: student, exam: "gre", length: "short" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("mock_exam_modules")
        .values({
          mock_exam_id: exam.id,
          position: 3,
          section: "quantitative",
          module: 2,
          route: "harder",
          questions: JSON.stringify([{ questionId: bank.qGre, topic: "matrix", difficulty: 2 }]),
          started_at: new Date(),
          ends_at: new Date(Date.now() + 86_400_000),
          total: 1,
        })
        .execute();
      names.set(`me${n}`, exam.id);
    }
    await services.courses.delete(trx, admin, cGone.id);
    names.set("cGone", cGone.id);
    names.set("aGone", aGone.id);
    names.set("subGone", subGone.id);

    const nameOf = new Map([...names].map(([name, id]) => [id, name]));
    const enrollments = await trx
      .selectFrom("enrollments")
      .select(["id", "course_id", "student_id"])
      .execute();
    for (const e of enrollments)
      names.set(`${nameOf.get(e.course_id)}:${nameOf.get(e.student_id)}`, e.id);
    const links = await trx
      .selectFrom("parent_links")
      .select(["id", "parent_id", "student_id"])
      .execute();
    for (const l of links)
      names.set(`${nameOf.get(l.parent_id)}:${nameOf.get(l.student_id)}`, l.id);
  });

  return {
    key,
    academyId: seed.academyId,
    slug: seed.slug,
    id(name) {
      const id = names.get(name);
      if (!id) throw new Error(`academy ${key} has no row named "${name}"`);
      return id;
    },
    freshUser,
    freshCourse,
    freshDeletedCourse,
  };
}

/**
 * Seeds the matrix: two look-alike academies A and B (each in the placement
 * given: shared schema or a dedicated one), a deleted academy D, a
 * content manager beside the harness's platform admin, and a token per column.
 */
export async function seedMatrix(
  t: TestApp,
  placements: { readonly A: Placement; readonly B: Placement } = { A: "shared", B: "shared" },
): Promise<MatrixWorld> {
  const services = fastServices();
  // The shared bank first: the academies' practice rows wait on its questions.
  const bank = await withPlatform(t.db, async (trx) => {
    const system = { platformUserId: null };
    const common = { topic: "matrix", difficulty: 2, explanation: "Shown to staff only." };
    await services.questions.batch(trx, system, {
      bank: "sat",
      questions: [
        { ...common, externalId: "qSat", type: "grid_in", prompt: "2 + 2?", answer: ["4"] },
      ],
    });
    await services.questions.batch(trx, system, {
      bank: "gre",
      questions: [
        {
          ...common,
          externalId: "qGre",
          type: "quantitative_comparison",
          prompt: "Compare.",
          quantityA: "2^3",
          quantityB: "3^2",
          answer: "B",
        },
      ],
    });
    const rows = await trx.selectFrom("exam_questions").select(["id", "external_id"]).execute();
    const id = (externalId: string) =>
      rows.find((r) => r.external_id === externalId)?.id ?? "missing";
    return { qSat: id("qSat"), qGre: id("qGre") };
  });
  const seedA = await seedAcademy(t.db, services, "matrix-a", placements.A);
  const A = await extendAcademy(t, services, "A", seedA, bank);
  const seedB = await seedAcademy(t.db, services, "matrix-b", placements.B);
  const B = await extendAcademy(t, services, "B", seedB, bank);

  const onboard = async (slug: string) =>
    services.academies.onboard(
      t.db,
      { platformUserId: null },
      {
        slug,
        name: `Academy ${slug}`,
        admin: { email: "admin@example.com", name: "Ada Admin", password: "admin-password-1" },
      },
    );
  const deleteAcademy = (id: string) =>
    withPlatform(t.db, (trx) => services.academies.delete(trx, { platformUserId: null }, id));
  const deleted = await onboard("matrix-gone");
  await deleteAcademy(deleted.academy.id);

  const { platformAdminId, contentManagerId, auditEvents, questions } = await withPlatform(
    t.db,
    async (trx) => {
      const root = await trx
        .selectFrom("platform_users")
        .select("id")
        .where("email", "=", PLATFORM_ADMIN.email)
        .executeTakeFirstOrThrow();
      const manager = await services.platformUsers.create(trx, {
        email: "content@platform.example",
        name: "Content Manager",
        role: "content_manager",
        password: "content-password-1",
      });
      const questions = await trx
        .selectFrom("exam_questions")
        .select(["id", "external_id"])
        .execute();
      const events = await trx
        .selectFrom("audit_log")
        .select(["id", "action", "academy_id", "target_id"])
        .execute();
      return {
        platformAdminId: root.id,
        contentManagerId: manager.id,
        auditEvents: events,
        questions,
      };
    },
  );

  const platformNames = new Map<string, string>([
    ["A", A.academyId],
    ["B", B.academyId],
    ["D", deleted.academy.id],
  ]);
  const academyName = new Map([...platformNames].map(([name, id]) => [id, name]));
  for (const event of auditEvents)
    platformNames.set(
      `${event.action} ${academyName.get(event.academy_id ?? "") ?? event.target_id}`,
      event.id,
    );
  for (const q of questions) platformNames.set(q.external_id, q.id);

  const { tokens: signer } = t.app.context.deps;
  const academyToken = (who: keyof typeof ACTS_AS) =>
    signer.sign({
      kind: "academy",
      userId: A.id(ACTS_AS[who]),
      academyId: A.academyId,
      role: who,
      impersonatorId: null,
    });
  const tokens: Record<Caller, string | undefined> = {
    anonymous: undefined,
    admin: await academyToken("admin"),
    instructor: await academyToken("instructor"),
    student: await academyToken("student"),
    parent: await academyToken("parent"),
    platform_admin: await signer.sign({
      kind: "platform",
      userId: platformAdminId,
      role: "platform_admin",
    }),
    content_manager: await signer.sign({
      kind: "platform",
      userId: contentManagerId,
      role: "content_manager",
    }),
  };

  return {
    t,
    A,
    B,
    deletedAcademyId: deleted.academy.id,
    deletedAcademyAdminId: deleted.admin.id,
    tokens,
    userIdOf(who) {
      if (who === "platform_admin") return platformAdminId;
      if (who === "content_manager") return contentManagerId;
      return A.id(who === "anonymous" ? "admin" : ACTS_AS[who]);
    },
    named(name) {
      const id = platformNames.get(name);
      return id ?? A.id(name);
    },
    freshAcademy: async () => (await onboard(`matrix-${fresh()}`)).academy.id,
    async freshDeletedAcademy() {
      const { academy } = await onboard(`matrix-${fresh()}`);
      await deleteAcademy(academy.id);
      return academy.id;
    },
    async freshRetiredQuestion() {
      const row = await withPlatform(t.db, (trx) =>
        trx
          .insertInto("exam_questions")
          .values({
            bank: "gre",
            external_id: `matrix-retired-${fresh()}`,
            type: "quantitative_comparison",
            topic: "matrix",
            difficulty: 2,
            prompt: "Compare (retired).",
            content: JSON.stringify({ quantityA: "1", quantityB: "2" }),
            answer: JSON.stringify("B"),
            content_hash: fresh(),
            retired_at: new Date(),
          })
          .returning("id")
          .executeTakeFirstOrThrow(),
      );
      return row.id;
    },
  };
}
