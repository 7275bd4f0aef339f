import type { Academy, SkillBridge, User } from "@skillbridge/sdk";
import { isSkillBridgeError } from "@skillbridge/sdk";
import { academyUserByEmail, collect, generatePassword } from "../shared.js";
import {
  COURSES,
  DEMO_BANK,
  DEMO_NAME,
  DEMO_SLUG,
  MOCK_EXAM,
  PARENT_LINKS,
  PEOPLE,
  type Person,
  PRACTICE,
  QUIZ,
  SUBMISSIONS,
  TUTOR_SESSIONS,
} from "./script.js";

const REASON = "skillbridge demo: seed the demo academy";
const IMPERSONATION_SECONDS = 600;

export interface SeededDemo {
  readonly academy: Academy;
  readonly people: Readonly<Record<Person, User>>;
  /** False when the academy already existed and was reused. */
  readonly created: boolean;
}

async function findDemoAcademy(platform: SkillBridge): Promise<Academy | undefined> {
  const { data } = await platform.academies.list({ slug: DEMO_SLUG, limit: 1 }).firstPage();
  return data[0];
}

/** Ignores the 409 of a row that is already there, so every step can be re-run. */
async function once<T>(step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (isSkillBridgeError(error) && error.status === 409) return undefined;
    throw error;
  }
}

/**
 * Seeds the demo academy through the API, idempotently: every step looks for
 * its row first (by email or title) or tolerates the 409 of a duplicate, so a
 * re-run reuses what exists and an interrupted run is completed. With `reset`,
 * the old demo academy is soft-deleted and a new one built.
 */
export async function seedDemo(
  platform: SkillBridge,
  options: { reset: boolean },
): Promise<SeededDemo> {
  let academy = await findDemoAcademy(platform);
  if (academy && options.reset) {
    await platform.academies.delete(academy.id);
    academy = undefined;
  }
  let created = false;
  if (!academy) {
    const { admin } = PEOPLE;
    academy = (
      await platform.academies.create({
        slug: DEMO_SLUG,
        name: DEMO_NAME,
        admin: { email: admin.email, name: admin.name, password: generatePassword() },
      })
    ).academy;
    created = true;
  }
  const demo = academy;

  const as = async (email: string): Promise<SkillBridge> => {
    const user = await academyUserByEmail(platform, demo, email);
    const { accessToken } = await platform.impersonations.create({
      academyId: demo.id,
      userId: user.id,
      reason: REASON,
      ttlSeconds: IMPERSONATION_SECONDS,
    });
    return platform.withToken(accessToken);
  };

  const admin = await as(PEOPLE.admin.email);
  const existing = new Map(
    (await collect(admin.users.list({ limit: 100 }))).map((u) => [u.email, u]),
  );
  const people = {} as Record<Person, User>;
  for (const [key, person] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    // Created by the platform admin (audited): an impersonation cannot create users.
    people[key] =
      existing.get(person.email) ??
      (await platform.academies.createUser(demo.id, { ...person, password: generatePassword() }));
  }
  for (const [parent, student] of PARENT_LINKS) {
    await once(() =>
      admin.parentLinks.create({ parentId: people[parent].id, studentId: people[student].id }),
    );
  }

  const courses = new Map(
    (await collect(admin.courses.list({ limit: 100 }))).map((c) => [c.title, c]),
  );
  const assignmentIds = new Map<string, string>();
  const courseIds = new Map<string, string>();
  for (const spec of COURSES) {
    const course =
      courses.get(spec.title) ??
      (await admin.courses.create({
        title: spec.title,
        description: spec.description,
        instructorId: people[spec.instructor].id,
      }));
    courseIds.set(spec.key, course.id);
    for (const student of spec.students) {
      await once(() => admin.enrollments.create(course.id, { studentId: people[student].id }));
    }
    const assignments = new Map(
      (await collect(admin.assignments.list({ courseId: course.id, limit: 100 }))).map((a) => [
        a.title,
        a,
      ]),
    );
    for (const a of spec.assignments) {
      const assignment =
        assignments.get(a.title) ??
        (await admin.assignments.create(course.id, {
          title: a.title,
          instructions: a.instructions,
          maxPoints: a.maxPoints,
          referenceAnswer: a.referenceAnswer,
          rubric: a.rubric.map((c) => ({ ...c })),
          tutorMode: "socratic",
        }));
      assignmentIds.set(a.key, assignment.id);
    }
  }

  const submitted = await collect(admin.submissions.list({ limit: 100 }));
  const instructorOf = new Map<string, Person>();
  for (const spec of COURSES)
    for (const a of spec.assignments) instructorOf.set(a.key, spec.instructor);
  for (const s of SUBMISSIONS) {
    const assignmentId = assignmentIds.get(s.assignment);
    if (!assignmentId) continue;
    const studentId = people[s.student].id;
    let submission = submitted.find(
      (x) => x.assignmentId === assignmentId && x.studentId === studentId,
    );
    if (!submission) {
      const student = await as(PEOPLE[s.student].email);
      submission = await student.submissions.create(assignmentId, { content: s.content });
    }
    if (s.grade !== null && submission.grade === null) {
      const instructor = await as(PEOPLE[instructorOf.get(s.assignment) ?? "admin"].email);
      await instructor.submissions.grade(submission.id, {
        grade: s.grade,
        ...(s.feedback ? { feedback: s.feedback } : {}),
      });
    }
  }

  // Tutor sessions: a student who already has one on that assignment keeps it.
  const sessions = await collect(admin.tutorSessions.list({ limit: 100 }));
  for (const t of TUTOR_SESSIONS) {
    const assignmentId = assignmentIds.get(t.assignment);
    if (!assignmentId) continue;
    const studentId = people[t.student].id;
    if (sessions.some((x) => x.assignmentId === assignmentId && x.studentId === studentId))
      continue;
    const student = await as(PEOPLE[t.student].email);
    const session = await student.tutorSessions.create({ assignmentId });
    await student.tutorSessions.sendMessage(session.id, { content: t.message });
  }

  await seedQuiz(admin, as, people, courseIds);
  await seedPractice(platform, admin, as, people);
  return { academy: demo, people, created };
}

/**
 * Sam's practice on the shared bank: the demo's SAT questions are imported
 * first when the bank is empty (never into a bank that has content), then a
 * practice set answered part way and a short SAT mock exam taken to its
 * report. A bank too small for the exam (someone else's content) skips it.
 */
async function seedPractice(
  platform: SkillBridge,
  admin: SkillBridge,
  as: (email: string) => Promise<SkillBridge>,
  people: Readonly<Record<Person, User>>,
): Promise<void> {
  const { data } = await platform.questions.list({ limit: 1 }).firstPage();
  if (data.length === 0) await platform.questions.batch({ bank: "sat", questions: [...DEMO_BANK] });
  const known = new Map(DEMO_BANK.map((q) => [q.externalId, q.answer]));
  const answerTo = (q: { externalId: string; type: string }, right: boolean) => {
    const answer = known.get(q.externalId);
    if (right && (typeof answer === "string" || Array.isArray(answer)))
      return Array.isArray(answer) ? String(answer[0]) : answer;
    return q.type === "grid_in" ? "0" : "A";
  };
  const studentId = people[PRACTICE.student].id;
  const student = await as(PEOPLE[PRACTICE.student].email);

  const sets = await collect(admin.practiceSets.list({ studentId, limit: 100 }));
  if (sets.length === 0) {
    let set = await once(() =>
      student.practiceSets.create({
        bank: PRACTICE.bank,
        sections: [...PRACTICE.sections],
        count: PRACTICE.count,
      }),
    );
    for (let i = 0; set?.current && i < PRACTICE.answers; i++) {
      const current = set.current;
      set = (
        await student.practiceSets.answer(set.id, {
          questionId: current.id,
          answer: answerTo(current, i !== 1),
        })
      ).set;
    }
  }

  const exams = await collect(admin.mockExams.list({ studentId, limit: 100 }));
  if (exams.length === 0) {
    let exam = await once(() =>
      student.mockExams.create({ exam: MOCK_EXAM.exam, length: MOCK_EXAM.length }),
    );
    // Sam is strong in reading and writing, shakier in math.
    while (exam?.current) {
      const strong = exam.current.section === "reading_writing";
      const questions = exam.current.questions;
      exam = await student.mockExams.submitModule(exam.id, {
        answers: questions.map((q, i) => ({
          questionId: q.id,
          answer: answerTo(q, strong || i % 2 === 0),
        })),
      });
    }
  }
}

/** The quiz: written and published by the course's instructor, then answered by its students. */
async function seedQuiz(
  admin: SkillBridge,
  as: (email: string) => Promise<SkillBridge>,
  people: Readonly<Record<Person, User>>,
  courseIds: ReadonlyMap<string, string>,
): Promise<void> {
  const courseId = courseIds.get(QUIZ.course);
  const spec = COURSES.find((c) => c.key === QUIZ.course);
  if (!courseId || !spec) return;
  const existing = (await collect(admin.quizzes.list({ courseId, limit: 100 }))).find(
    (q) => q.title === QUIZ.title,
  );
  const instructor = await as(PEOPLE[spec.instructor].email);
  let quizId = existing?.id;
  if (!quizId) {
    const draft = await instructor.quizzes.create({
      title: QUIZ.title,
      courseId,
      questions: QUIZ.questions,
    });
    quizId = draft.id;
  }
  const quiz = await instructor.quizzes.get(quizId);
  if (quiz.status !== "published") await instructor.quizzes.publish(quizId);

  // Each student answers once; a student who already submitted keeps their submission.
  const taken = new Set(
    (await collect(admin.quizSubmissions.list({ quizId, limit: 100 }))).map((x) => x.studentId),
  );
  for (const [student, answers] of Object.entries(QUIZ.answers) as [Person, readonly string[]][]) {
    if (taken.has(people[student].id)) continue;
    const learner = await as(PEOPLE[student].email);
    await learner.quizzes.submit(quizId, {
      answers: quiz.questions.flatMap((q, i) =>
        answers[i] === undefined ? [] : [{ questionId: q.id, answer: answers[i] }],
      ),
    });
  }
}
