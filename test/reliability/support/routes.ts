import { randomUUID } from "node:crypto";
import { ALL_ROUTES, API_PREFIX, type RouteDefinition } from "@skillbridge/server";
import type { AttackWorld, Caller } from "./attack-world.js";
import { sample } from "./schema-sample.js";

/**
 * The route table the server mounts (ALL_ROUTES, which the OpenAPI document
 * is also built from): the attack suites enumerate it, so a route added later
 * is attacked without anyone listing it here.
 */
export const ROUTES: readonly RouteDefinition[] = ALL_ROUTES;

export const routeName = (route: RouteDefinition) => `${route.method.toUpperCase()} ${route.path}`;

/** The URL path of `route` with `id` in its `{id}` slot. */
export function pathOf(route: RouteDefinition, id?: string): string {
  const filled = id === undefined ? route.path : route.path.replace("{id}", encodeURIComponent(id));
  // A well-formed invitation token nobody was given: the body is what these attacks test.
  const path = filled.replace("{token}", "A".repeat(43));
  return route.root ? path : `${API_PREFIX}${path}`;
}

export const hasIdParam = (route: RouteDefinition) => route.path.includes("{id}");

/** Whether `caller` gets past the route's auth and role gates. */
export function mayCall(route: RouteDefinition, caller: Caller): boolean {
  if (route.auth === "none") return true;
  if (caller.role === "anonymous") return false;
  if (route.auth === "any") return true;
  const platformCaller = caller.academyId === null;
  if (route.auth === "academy" && platformCaller) return false;
  if (route.auth === "platform" && !platformCaller) return false;
  return route.roles === undefined || (route.roles as readonly string[]).includes(caller.role);
}

/** What a refusal by the gates looks like for this caller: 401 anonymous, 403 signed in. */
export const gateStatus = (caller: Caller) => (caller.role === "anonymous" ? 401 : 403);

/** An id of academy A for a body or query field, by its name: valid, so only the attack is wrong. */
export function ownFieldId(world: AttackWorld, field: string): string {
  const { A } = world;
  switch (field) {
    case "studentId":
      return A.users.s2;
    case "instructorId":
      return A.users.i1;
    case "parentId":
      return A.users.p;
    case "courseId":
      return A.courses.c1;
    case "assignmentId":
      return A.assignments.a1;
    case "quizId":
      return A.quizId;
    case "academyId":
      return A.academyId;
    default:
      return A.users.s1;
  }
}

/**
 * An object of academy A that a route's `{id}` names, and that `caller` may
 * act on when its role is allowed: c1 (taught by i1, with s1 enrolled, s1
 * linked to p), a1, s1's submission sub1, the quiz on c1, s1's tutor session,
 * s1 as a student, s1's quiz submission. A route under a new first path segment needs a line here;
 * the suite says so rather than guessing.
 */
export function ownPathId(world: AttackWorld, route: RouteDefinition, caller: Caller): string {
  const { A } = world;
  const segment = route.path.split("/")[1];
  switch (segment) {
    case "users":
      return caller.key === "admin" || caller.academyId === null
        ? A.users.s2
        : A.users[caller.key ?? "s1"];
    case "courses":
      return A.courses.c1;
    case "assignments":
      return A.assignments.a1;
    case "submissions":
      return A.submissions.sub1;
    case "quizzes":
      return A.quizId;
    case "tutor-sessions": {
      const session = world.index.idsOf(A.academyId).get("tutor_sessions")?.[0];
      if (!session) throw new Error("the seed has no tutor session for academy A");
      return session;
    }
    case "students":
      return A.users.s1;
    case "quiz-submissions": {
      const submission = world.index.idsOf(A.academyId).get("quiz_submissions")?.[0];
      if (!submission) throw new Error("the seed has no quiz submission for academy A");
      return submission;
    }
    case "practice-sets":
    case "mock-exams": {
      // The seed's practice set and mock exam are s1's (core's test/support/seed.ts).
      const table = segment === "practice-sets" ? "practice_sets" : "mock_exams";
      const own = world.index.idsOf(A.academyId).get(table)?.[0];
      if (!own) throw new Error(`the seed has no ${table} row for academy A`);
      return own;
    }
    case "questions":
      // The shared bank belongs to no academy, so no id of it is foreign to anyone:
      // an unknown id exercises the route's gates (who may call it) all the same.
      return randomUUID();
    case "admin":
      return A.academyId;
    default:
      throw new Error(
        `The reliability suite has no own object for routes under /${segment} (${routeName(route)}): add one to ownPathId in test/reliability/support/routes.ts.`,
      );
  }
}

/**
 * Bodies the schema sampler cannot make valid: cross-field rules (a grade or an
 * accepted suggestion, not both) and nested ids a quiz assigns itself.
 */
const VALID_BODIES: Readonly<Record<string, unknown>> = {
  "PATCH /submissions/{id}/grade": { grade: 1, feedback: "Checked by the reliability suite." },
  "PATCH /quizzes/{id}": { title: "Retitled by the reliability suite" },
};

/** A valid body for `route` with academy A's ids in its id fields. */
export function ownBody(world: AttackWorld, route: RouteDefinition): unknown {
  const key = `${route.method.toUpperCase()} ${route.path}`;
  // Answers name the questions of the quiz in the path (A's seeded quiz, its one question).
  if (key === "POST /quizzes/{id}/submissions")
    return { answers: [{ questionId: world.A.quizQuestionId, answer: "B" }] };
  const fixed = VALID_BODIES[key];
  if (fixed !== undefined) return structuredClone(fixed);
  return route.body ? sample(route.body, { uuid: (field) => ownFieldId(world, field) }) : undefined;
}

/** The allowed caller an object-level attack uses: the academy admin when allowed, else the first allowed role. */
export function attackerFor(world: AttackWorld, route: RouteDefinition): Caller | undefined {
  const { callers } = world;
  const candidates = [
    callers.admin,
    callers.instructor,
    callers.student,
    callers.parent,
    callers.platformAdmin,
    callers.contentManager,
  ];
  return candidates.find((caller) => mayCall(route, caller));
}
