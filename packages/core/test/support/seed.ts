import { randomUUID } from "node:crypto";
import type { Placement } from "../../src/contracts/index.js";
import type { Actor, Services, SkillBridgeDatabase, TenantDb } from "../../src/index.js";
import { withTenant } from "../../src/index.js";

/** One seeded academy: the same shape in every academy, so look-alike data can leak only by a bug. */
export interface SeededAcademy {
  readonly academyId: string;
  readonly slug: string;
  readonly users: {
    readonly admin: string;
    readonly i1: string;
    readonly i2: string;
    readonly s1: string;
    readonly s2: string;
    readonly s3: string;
    readonly p: string;
  };
  readonly courses: { readonly c1: string; readonly c2: string };
  readonly assignments: { readonly a1: string; readonly a2: string };
  readonly submissions: { readonly sub1: string; readonly sub2: string; readonly sub3: string };
  readonly quizId: string;
  /** The one question of that quiz (multiple choice, answer B). */
  readonly quizQuestionId: string;
  readonly actor: (user: keyof SeededAcademy["users"]) => Actor;
}

export const ROLE_OF = {
  admin: "admin",
  i1: "instructor",
  i2: "instructor",
  s1: "student",
  s2: "student",
  s3: "student",
  p: "parent",
} as const;

/**
 * Seeds an academy with rows in every tenant table (of its placement's schema):
 * - instructors i1 (teaches c1) and i2 (teaches c2)
 * - students s1 (c1), s2 (c2), s3 (c1 and c2); parent p linked to s1 only
 * - assignments a1 (c1, with a reference answer) and a2 (c2)
 * - submissions sub1 (s1 to a1), sub2 (s2 to a2), sub3 (s3 to a1)
 * - a published quiz on c1 (one multiple-choice question, answer B) with s1's submission, a tutor session, study plan, attempts, mastery, XP,
 *   one AI call's token record, a practice set (with its current item) and a mock exam (at its
 *   first module) for s1
 */
export async function seedAcademy(
  db: SkillBridgeDatabase,
  services: Services,
  slug: string,
  placement: Placement = "shared",
): Promise<SeededAcademy> {
  const { academy, admin } = await services.academies.onboard(
    db,
    { platformUserId: null },
    {
      slug,
      name: `Academy ${slug}`,
      placement,
      admin: { email: "admin@example.com", name: "Ada Admin", password: "admin-password-1" },
    },
  );
  const adminActor: Actor = { userId: admin.id, role: "admin" };
  const ctx = { tenantId: academy.id, userId: admin.id, role: "admin" as const };

  return withTenant(db, ctx, async (trx: TenantDb) => {
    const user = async (key: keyof typeof ROLE_OF) =>
      (
        await services.users.create(trx, adminActor, {
          email: `${key}@example.com`,
          name: `User ${key}`,
          role: ROLE_OF[key],
          password: `password-${key}-1`,
        })
      ).id;
    const users = {
      admin: admin.id,
      i1: await user("i1"),
      i2: await user("i2"),
      s1: await user("s1"),
      s2: await user("s2"),
      s3: await user("s3"),
      p: await user("p"),
    };
    await services.parentLinks.create(trx, adminActor, { parentId: users.p, studentId: users.s1 });
    const course = async (title: string, instructorId: string) =>
      (await services.courses.create(trx, adminActor, { title, instructorId })).id;
    const courses = {
      c1: await course("SAT Math", users.i1),
      c2: await course("GRE Verbal", users.i2),
    };
    for (const [c, s] of [
      [courses.c1, users.s1],
      [courses.c2, users.s2],
      [courses.c1, users.s3],
      [courses.c2, users.s3],
    ] as const) {
      await services.enrollments.create(trx, adminActor, c, { studentId: s });
    }
    const assignment = async (courseId: string, title: string) =>
      (
        await services.assignments.create(trx, adminActor, courseId, {
          title,
          instructions: "Solve and explain.",
          maxPoints: 10,
          referenceAnswer: "42",
          rubric: [{ id: "method", description: "Shows the method", points: 10 }],
        })
      ).id;
    const assignments = {
      a1: await assignment(courses.c1, "Linear equations"),
      a2: await assignment(courses.c2, "Synonyms"),
    };
    const submit = async (studentId: string, assignmentId: string) =>
      (
        await services.submissions.create(
          trx,
          { userId: studentId, role: "student" },
          assignmentId,
          {
            content: `Work by ${studentId}`,
          },
        )
      ).id;
    const submissions = {
      sub1: await submit(users.s1, assignments.a1),
      sub2: await submit(users.s2, assignments.a2),
      sub3: await submit(users.s3, assignments.a1),
    };

    // Tables whose services come with later features: written through the scoped handle.
    const quizId = randomUUID();
    const questionId = randomUUID();
    await trx
      .insertInto("quizzes")
      .values({
        id: quizId,
        course_id: courses.c1,
        title: "Warm-up",
        status: "published",
        published_at: new Date(),
        questions: JSON.stringify([
          {
            id: questionId,
            type: "multiple_choice",
            prompt: "What is 6 x 7?",
            options: [
              { id: "A", text: "36" },
              { id: "B", text: "42" },
            ],
            answer: "B",
            explanation: "Six sevens are forty-two.",
            topic: "arithmetic",
            difficulty: 1,
            source: null,
          },
        ]),
        created_by: users.i1,
      })
      .execute();
    const quizSubmission = await trx
      .insertInto("quiz_submissions")
      .values({
        quiz_id: quizId,
        student_id: users.s1,
        answers: JSON.stringify([{ questionId, answer: "B" }]),
        score: 1,
        max_score: 1,
        results: JSON.stringify([{ questionId, correct: true }]),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("tutor_sessions")
      .values({ assignment_id: assignments.a1, student_id: users.s1, messages: JSON.stringify([]) })
      .execute();
    await trx
      .insertInto("study_plans")
      .values({ student_id: users.s1, plan: JSON.stringify({ items: [] }) })
      .execute();
    await trx
      .insertInto("question_attempts")
      .values({
        student_id: users.s1,
        question_id: questionId,
        quiz_submission_id: quizSubmission.id,
        topic: "algebra",
        correct: true,
      })
      .execute();
    await trx
      .insertInto("mastery")
      .values({
        student_id: users.s1,
        topic: "algebra",
        p_known: 0.4,
        attempts: 1,
        last_seen_at: new Date(),
      })
      .execute();
    await trx
      .insertInto("question_ratings")
      .values({ question_id: questionId, topic: "algebra", rating: 1480, attempts: 1 })
      .execute();
    await trx
      .insertInto("gamification")
      .values({ student_id: users.s1, xp: 10, badges: JSON.stringify([]) })
      // Submitting already awarded s1's XP (the row exists); kept for seeds without that award.
      .onConflict((oc) => oc.columns(["tenant_id", "student_id"]).doNothing())
      .execute();
    // Practice on the shared bank (tenant migration 0008): a set with its current item, an exam
    // at its first module. The question ids are the bank's, which no tenant key can name.
    const practiceSet = await trx
      .insertInto("practice_sets")
      .values({
        student_id: users.s1,
        bank: "sat",
        adaptive: true,
        strands: JSON.stringify([{ section: "math", topic: "algebra" }]),
        filters: JSON.stringify({ topics: ["algebra"] }),
        total: 5,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("practice_set_items")
      .values({
        practice_set_id: practiceSet.id,
        position: 0,
        question_id: randomUUID(),
        topic: "algebra",
        section: "math",
        difficulty: 2,
      })
      .execute();
    const mockExam = await trx
      .insertInto("mock_exams")
      .values({ student_id: users.s1, exam: "gre", length: "short" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("mock_exam_modules")
      .values({
        mock_exam_id: mockExam.id,
        position: 0,
        section: "verbal",
        module: 1,
        questions: JSON.stringify([]),
        started_at: new Date(),
        ends_at: new Date(Date.now() + 6 * 60_000),
        total: 0,
      })
      .execute();
    await trx
      .insertInto("ai_usage")
      .values({
        user_id: users.s1,
        task: "tutor.reply",
        provider: "groq",
        model: "llama-3.3-70b-versatile",
        prompt_tokens: 120,
        completion_tokens: 30,
        total_tokens: 150,
      })
      .execute();

    return {
      academyId: academy.id,
      slug,
      users,
      courses,
      assignments,
      submissions,
      quizId,
      quizQuestionId: questionId,
      actor: (key) => ({ userId: users[key], role: ROLE_OF[key] }),
    };
  });
}
