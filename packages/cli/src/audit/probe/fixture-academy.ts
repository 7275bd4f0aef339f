import { randomBytes } from "node:crypto";
import type { Academy, AcademyRole, SkillBridge } from "@skillbridge/sdk";
import { isSkillBridgeError } from "@skillbridge/sdk";

/** Every fixture academy's slug starts with this: how operators (and the sweep) recognise them. */
export const FIXTURE_PREFIX = "audit-fixture-";
/** Fixture academies are named so that nobody mistakes them for a customer. */
export const FIXTURE_NAME = "Isolation audit fixture (safe to delete)";

/** The academy roles the probe acts as, and who acts for each in the probed academy. */
export type ProbeRole = "admin" | "instructor" | "student" | "parent";
export const PROBE_ROLES: readonly ProbeRole[] = ["admin", "instructor", "student", "parent"];
export const ACTS_AS: Readonly<Record<ProbeRole, string>> = {
  admin: "admin",
  instructor: "i1",
  student: "s1",
  parent: "p1",
};

/** One object of a fixture academy. */
export interface FixtureObject {
  readonly id: string;
  /** `users`, `courses`… or a resource learnt from the document. */
  readonly kind: string;
  /** `s1`, `c1`, `c1:s1`… (see {@link createFixtureAcademy}). */
  readonly name: string;
  /** Users: their role. */
  readonly role?: AcademyRole;
  /** Created through a route the probe found in the document: nobody's visibility is known. */
  readonly generic: boolean;
}

const password = () => randomBytes(18).toString("base64url");

/** One fixture academy, its objects and a client per person who acts in it. */
export class FixtureAcademy {
  readonly key: "A" | "B";
  readonly academy: Academy;
  readonly objects: FixtureObject[] = [];
  readonly #clients = new Map<string, SkillBridge>();

  constructor(key: "A" | "B", academy: Academy) {
    this.key = key;
    this.academy = academy;
    this.objects.push({ id: academy.id, kind: "academies", name: key, generic: false });
  }

  add(object: FixtureObject): FixtureObject {
    this.objects.push(object);
    return object;
  }

  named(name: string): FixtureObject {
    const found = this.objects.find((o) => o.name === name);
    if (!found) throw new Error(`fixture academy ${this.key} has no object named ${name}`);
    return found;
  }

  setClient(name: string, client: SkillBridge): void {
    this.#clients.set(name, client);
  }

  /** The client of the person acting as `role` (or of a named user, e.g. `s2`). */
  client(who: ProbeRole | string): SkillBridge {
    const name = ACTS_AS[who as ProbeRole] ?? who;
    const client = this.#clients.get(name);
    if (!client) throw new Error(`fixture academy ${this.key} has no client for ${name}`);
    return client;
  }
}

/**
 * Creates one fixture academy through the API, as the platform admin behind
 * `platform`, and fills it with a user of every role and a row in every
 * resource:
 * - admin; instructors i1 (teaches c1) and i2 (teaches c2)
 * - students s1 (enrolled in c1) and s2 (in c2); parents p1 (of s1), p2 (of s2)
 * - assignments a1 (c1), a2 (c2); submissions sub1 (s1 to a1), sub2 (s2 to a2)
 * - published quizzes q1 (c1), q2 (c2); quiz submissions qs1 (s1 to q1), qs2 (s2 to q2)
 * - practice sets ps1 (s1), ps2 (s2) and short mock exams me1 (s1), me2 (s2), when the
 *   shared bank holds enough questions (see `addPractice`)
 * People act through impersonations whose reason names the audit, so the
 * audit log marks the academy as a fixture too. `created` gets the academy as
 * soon as it exists, so a failure half-way still cleans it up.
 */
export async function createFixtureAcademy(
  platform: SkillBridge,
  key: "A" | "B",
  slug: string,
  created: (academy: Academy) => void,
): Promise<FixtureAcademy> {
  const { academy, admin } = await platform.academies.create({
    slug,
    name: FIXTURE_NAME,
    admin: { email: `admin@${slug}.invalid`, name: "Audit Admin", password: password() },
  });
  created(academy);
  const fixture = new FixtureAcademy(key, academy);
  fixture.add({ id: admin.id, kind: "users", name: "admin", role: "admin", generic: false });

  const reason = `skillbridge audit isolation --probe: acting in fixture academy ${slug}`;
  const actAs = async (name: string) => {
    const { accessToken } = await platform.impersonations.create({
      academyId: academy.id,
      userId: fixture.named(name).id,
      reason,
      ttlSeconds: 3600,
    });
    fixture.setClient(name, platform.withToken(accessToken));
  };
  await actAs("admin");
  const asAdmin = fixture.client("admin");

  const people = [
    ["i1", "instructor"],
    ["i2", "instructor"],
    ["s1", "student"],
    ["s2", "student"],
    ["p1", "parent"],
    ["p2", "parent"],
  ] as const;
  for (const [name, role] of people) {
    // Created by the platform admin on the record: an impersonation cannot create users.
    const user = await platform.academies.createUser(academy.id, {
      email: `${name}@${slug}.invalid`,
      name: `Audit ${name}`,
      role,
      password: password(),
    });
    fixture.add({ id: user.id, kind: "users", name, role, generic: false });
  }
  const id = (name: string) => fixture.named(name).id;
  const questionOf = new Map<string, string>();
  for (const [parent, student] of [
    ["p1", "s1"],
    ["p2", "s2"],
  ] as const) {
    const link = await asAdmin.parentLinks.create({ parentId: id(parent), studentId: id(student) });
    fixture.add({
      id: link.id,
      kind: "parent-links",
      name: `${parent}:${student}`,
      generic: false,
    });
  }
  for (const [course, instructor, student, assignment] of [
    ["c1", "i1", "s1", "a1"],
    ["c2", "i2", "s2", "a2"],
  ] as const) {
    const c = await asAdmin.courses.create({
      title: `Audit ${course}`,
      instructorId: id(instructor),
    });
    fixture.add({ id: c.id, kind: "courses", name: course, generic: false });
    const e = await asAdmin.enrollments.create(c.id, { studentId: id(student) });
    fixture.add({ id: e.id, kind: "enrollments", name: `${course}:${student}`, generic: false });
    const a = await asAdmin.assignments.create(c.id, {
      title: `Audit ${assignment}`,
      instructions: "Isolation probe fixture.",
      maxPoints: 10,
      referenceAnswer: "fixture",
    });
    fixture.add({ id: a.id, kind: "assignments", name: assignment, generic: false });
    // A published quiz per course: its students may read it, other academies never.
    const q = await asAdmin.quizzes.create({
      title: `Audit quiz ${course}`,
      courseId: c.id,
      questions: [
        {
          type: "numeric_entry",
          prompt: "What is 2 + 2?",
          answer: "4",
          topic: "arithmetic",
          difficulty: 1,
        },
      ],
    });
    await asAdmin.quizzes.update(q.id, { status: "published" });
    questionOf.set(q.id, q.questions[0]?.id ?? "");
    fixture.add({ id: q.id, kind: "quizzes", name: `q${course.slice(1)}`, generic: false });
  }
  for (const name of ["i1", "s1", "s2", "p1"]) await actAs(name);
  for (const [student, assignment, submission] of [
    ["s1", "a1", "sub1"],
    ["s2", "a2", "sub2"],
  ] as const) {
    const s = await fixture.client(student).submissions.create(id(assignment), {
      content: "Isolation probe fixture.",
    });
    fixture.add({ id: s.id, kind: "submissions", name: submission, generic: false });
  }
  for (const [student, quiz, submission] of [
    ["s1", "q1", "qs1"],
    ["s2", "q2", "qs2"],
  ] as const) {
    const quizId = id(quiz);
    const s = await fixture.client(student).quizzes.submit(quizId, {
      answers: [{ questionId: questionOf.get(quizId) ?? "", answer: "4" }],
    });
    fixture.add({ id: s.id, kind: "quiz-submissions", name: submission, generic: false });
  }
  await addPractice(fixture);
  return fixture;
}

/**
 * A practice set and a short mock exam for s1 and s2 (`ps1`, `ps2`, `me1`,
 * `me2`), drawn from the shared bank. A bank too small for them (409
 * `bank_too_small`) leaves them out: the probe then reports those routes as
 * not probed, since the probe never writes to the shared bank itself.
 */
async function addPractice(fixture: FixtureAcademy): Promise<void> {
  const tolerate = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await step();
    } catch (error) {
      if (isSkillBridgeError(error) && error.status === 409) return undefined;
      throw error;
    }
  };
  for (const [student, set, exam] of [
    ["s1", "ps1", "me1"],
    ["s2", "ps2", "me2"],
  ] as const) {
    const client = fixture.client(student);
    const practice = await tolerate(() => client.practiceSets.create({ bank: "sat", count: 2 }));
    if (practice)
      fixture.add({ id: practice.id, kind: "practice-sets", name: set, generic: false });
    for (const kind of ["sat", "gre"] as const) {
      const mock = await tolerate(() => client.mockExams.create({ exam: kind, length: "short" }));
      if (mock) {
        fixture.add({ id: mock.id, kind: "mock-exams", name: exam, generic: false });
        break;
      }
    }
  }
}

/**
 * The route keys whose data `createFixtureAcademy` creates itself, or whose
 * kind it already holds: `POST /quizzes/from-bank` makes quizzes (as `POST
 * /quizzes` does) from the shared bank, which a probe must not fill, so it
 * could only answer 409 on a deployment without bank questions.
 */
export const SEEDED_ROUTES: ReadonlySet<string> = new Set([
  "POST /users",
  "POST /parent-links",
  "POST /courses",
  "POST /courses/{id}/enrollments",
  "POST /courses/{id}/assignments",
  "POST /assignments/{id}/submissions",
  "POST /quizzes",
  "POST /quizzes/from-bank",
  "POST /quizzes/{id}/submissions",
  "POST /practice-sets",
  "POST /mock-exams",
]);
