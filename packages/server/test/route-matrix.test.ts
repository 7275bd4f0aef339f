import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdfWithoutText } from "../../core/test/support/document-fixtures.js";
import { dealCells, sampleNote } from "../../core/test/support/sampling.js";
import { ALL_ROUTES } from "../src/index.js";
import {
  CALLERS,
  type Caller,
  isStaff,
  MATRIX_QUESTION,
  type MatrixWorld,
  seedMatrix,
} from "./support/matrix-fixtures.js";
import { type MultipartBody, multipartBody } from "./support/multipart.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// The route × role × ownership matrix (DESIGN.md, "Role filtering inside the
// tenant"). One table: a row per route, a line per object or body the route is
// called with, a column per caller. Callers act in academy A (instructor = i1,
// student = s1, parent = p: see support/matrix-fixtures.ts); B is a look-alike
// academy whose rows must answer 404, exactly like a row that does not exist.
// "-" marks a cell that means nothing (an admin has no hidden object).

type Status = 200 | 201 | 204 | 400 | 401 | 403 | 404 | 409 | 415 | 422;
type Cell = Status | "-";
type Request = { readonly id?: string | undefined; readonly body?: unknown };
type Call = (w: MatrixWorld, who: Caller) => Request | Promise<Request>;
/** One call of a route, and the status each column (in `CALLERS` order) must get. */
type Line = readonly [
  scenario: string,
  call: Call,
  anonymous: Cell,
  admin: Cell,
  instructor: Cell,
  student: Cell,
  parent: Cell,
  platformAdmin: Cell,
  contentManager: Cell,
];

interface Row {
  readonly lines: readonly Line[];
  /** List routes: the names (see `MatrixWorld.named`) a caller gets on a 200, exactly. */
  readonly sees?: Partial<Record<Caller, readonly string[]>>;
  /** Responses are assignments: only staff may receive a `referenceAnswer` key. */
  readonly assignments?: true;
  /** Responses are bank questions: students and parents never receive `answer` or `explanation`. */
  readonly questions?: true;
  /** Keys that must appear nowhere in a student's or parent's response (answers, AI suggestions). */
  readonly learnersNever?: readonly string[];
}

/** A multipart upload as a line's body (anything else is sent as JSON). */
class Form {
  constructor(readonly form: MultipartBody) {}
}

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysIn(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.add(key);
      keysIn(item, out);
    }
  }
  return out;
}

// ─── how a line picks its object and body ────────────────────────────────────

type Pick = (w: MatrixWorld, who: Caller) => string | Promise<string>;
type Body = (w: MatrixWorld, who: Caller) => unknown;

/** A named row of academy A (the caller's) or B (the other one); see support/matrix-fixtures.ts. */
function inA(name: string): Pick {
  return (w) => w.A.id(name);
}
function inB(name: string): Pick {
  return (w) => w.B.id(name);
}
function academy(name: "A" | "D"): Pick {
  return (w) => w.named(name);
}
/** A question of the shared bank (see `MatrixWorld.named`). */
function question(name: "qSat" | "qGre"): Pick {
  return (w) => w.named(name);
}
/** New rows, for cells whose success changes data (deletes, links, enrolments). */
function freshUser(academy: "A" | "B", role: "student" | "parent" = "student"): Pick {
  return (w) => w[academy].freshUser(role);
}
function freshCourse(academy: "A" | "B"): Pick {
  return (w) => w[academy].freshCourse();
}
const freshDeletedCourse: Pick = (w) => w.A.freshDeletedCourse();
const freshAcademy: Pick = (w) => w.freshAcademy();
const freshDeletedAcademy: Pick = (w) => w.freshDeletedAcademy();
const freshRetiredQuestion: Pick = (w) => w.freshRetiredQuestion();
const deletedAcademyAdmin: Pick = (w) => w.deletedAcademyAdminId;
/** The caller's own user (A's admin for anonymous). */
const self: Pick = (w, who) => w.userIdOf(who);
const malformed: Pick = () => "not-a-uuid";
const unknownId: Pick = () => randomUUID();

/** Calls `/path/{id}` with the picked id, and a body if given. */
function on(pick: Pick, body?: Body): Call {
  return async (w, who) => ({ id: await pick(w, who), body: await body?.(w, who) });
}
/** Calls a path without an id, with a body. */
function send(body: Body): Call {
  return async (w, who) => ({ body: await body(w, who) });
}
const bare: Call = () => ({});

// Valid bodies, so that statuses speak of authorization, not validation.
const uniq = () => randomUUID().slice(0, 8);
function newAcademy(slug?: string, placement?: "schema"): Body {
  return () => ({
    slug: slug ?? `matrix-new-${uniq()}`,
    name: "Matrix Academy",
    ...(placement ? { placement } : {}),
    admin: { email: "first@example.com", name: "First Admin", password: "first-admin-pw-1" },
  });
}
const renameAcademy: Body = () => ({ name: "Renamed Academy" });
function newPlatformUser(extra: object = {}): Body {
  return () => ({
    email: `content-${uniq()}@platform.example`,
    name: "Content Team",
    role: "content_manager",
    password: "content-team-password-1",
    ...extra,
  });
}
function impersonate(academyId: Pick, userId: Pick): Body {
  return async (w, who) => ({
    academyId: await academyId(w, who),
    userId: await userId(w, who),
    reason: "Support ticket 42: reproduce a report",
  });
}
function newUser(email?: string): Body {
  return () => ({
    email: email ?? `new-${uniq()}@example.com`,
    name: "New User",
    role: "student",
    password: "new-user-password-1",
  });
}
const rename: Body = () => ({ name: "Renamed by the matrix" });
function changeEmail(email: string): Body {
  return () => ({ email });
}
function link(parentId: Pick, studentId: Pick): Body {
  return async (w, who) => ({
    parentId: await parentId(w, who),
    studentId: await studentId(w, who),
  });
}
function course(instructorId: Pick): Body {
  return async (w, who) => ({ title: "Matrix course", instructorId: await instructorId(w, who) });
}
const retitle: Body = () => ({ title: "Retitled by the matrix" });
function reassign(instructorId: Pick): Body {
  return async (w, who) => ({ instructorId: await instructorId(w, who) });
}
function enrol(studentId: Pick): Body {
  return async (w, who) => ({ studentId: await studentId(w, who) });
}
const newAssignment: Body = () => ({
  title: "Matrix assignment",
  instructions: "Explain your steps.",
  maxPoints: 10,
  referenceAnswer: "7",
});
const submit: Body = () => ({ content: "My answer is 7." });
function tutorOn(assignmentId: Pick): Body {
  return async (w, who) => ({ assignmentId: await assignmentId(w, who) });
}
const malformedTutor: Body = () => ({ assignmentId: "not-a-uuid" });
const askTutor: Body = () => ({ content: "How should I start this problem?" });
const newImport = () => ({
  bank: "sat",
  questions: [
    {
      externalId: `matrix-${uniq()}`,
      type: "grid_in",
      prompt: "What is 3 + 4?",
      topic: "arithmetic",
      difficulty: 1,
      answer: ["7"],
    },
  ],
});
const importBatch: Body = newImport;
const importWithTenant: Body = () => ({ ...newImport(), tenantId: randomUUID() });
function grade(points: number): Body {
  return () => ({ grade: points, feedback: "Checked by the matrix." });
}
const acceptSuggestion: Body = () => ({ acceptSuggestion: true });
const QUESTION = {
  type: "multiple_choice",
  prompt: "Which value solves 3x = 21?",
  options: [
    { id: "A", text: "7" },
    { id: "B", text: "8" },
  ],
  answer: "A",
  topic: "algebra",
  difficulty: 1,
};
function newQuiz(courseId?: Pick): Body {
  return async (w, who) => ({
    title: "Matrix quiz",
    questions: [QUESTION],
    ...(courseId ? { courseId: await courseId(w, who) } : {}),
  });
}
/** A quiz of one shared-bank question by id (copied in), or of a bank id that exists nowhere. */
const bankItemQuiz: Body = (w) => ({
  title: "Matrix bank quiz",
  questions: [{ bankQuestionId: w.named("qSat") }],
});
const unknownBankItemQuiz: Body = () => ({
  title: "Broken",
  questions: [{ bankQuestionId: randomUUID() }],
});
/** `POST /quizzes/from-bank`: `count` questions of the SAT bank (qSat, and what import cells add: not 100). */
function drawnQuiz(courseId?: Pick, count = 1): Body {
  return async (w, who) => ({
    title: "Drawn by the matrix",
    bank: "sat",
    count,
    ...(courseId ? { courseId: await courseId(w, who) } : {}),
  });
}
const contradictoryQuiz: Body = () => ({
  title: "Broken",
  questions: [{ ...QUESTION, answer: "Z" }],
});
const retitleQuiz: Body = () => ({ title: "Retitled by the matrix" });
/** Answers to a matrix quiz (its one question is MATRIX_QUESTION) or to the seed's q1. */
function answer(value: unknown, questionId?: Pick): Body {
  return async (w, who) => ({
    answers: [
      { questionId: questionId ? await questionId(w, who) : MATRIX_QUESTION.id, answer: value },
    ],
  });
}
const publish: Body = () => ({ status: "published" });
const newPracticeSet: Body = () => ({ bank: "sat", count: 1 });
const practiceNothing: Body = () => ({ bank: "sat", topics: ["nothing-here"] });
const practiceWithTenant: Body = () => ({ bank: "sat", tenantId: randomUUID() });
/** The matrix sets wait on the bank's qSat (a grid-in, answer "4"). */
const practiceAnswer: Body = (w) => ({ questionId: w.named("qSat"), answer: "4" });
const newMockExam: Body = () => ({ exam: "sat", length: "short" });
const unknownExam: Body = () => ({ exam: "act" });
/** The matrix exams wait on the bank's qGre (answer "B") at their last module. */
const mockModule: Body = (w) => ({ answers: [{ questionId: w.named("qGre"), answer: "B" }] });
const rewriteQuestions: Body = () => ({ questions: [QUESTION] });
const NOTES =
  "Linear equations. In 1843 Hamilton described quaternions. To solve 2x + 3 = 87, subtract 3 to get 84, then divide by 2 to get 42. Checking 42 in the original equation gives 87.";
/** A multipart upload for `POST /quizzes/generate`: notes as text, or a PDF without text. */
function upload(courseId?: Pick, file: "notes" | "scan" | "none" = "notes"): Body {
  return async (w, who) => {
    const fields: Record<string, string> = { title: "Generated by the matrix", count: "2" };
    if (courseId) fields.courseId = await courseId(w, who);
    const files =
      file === "none"
        ? []
        : file === "scan"
          ? [{ fileName: "scan.pdf", content: pdfWithoutText() }]
          : [{ fileName: "notes.txt", type: "text/plain", content: NOTES }];
    return new Form(multipartBody(fields, files));
  };
}

// ─── the matrix ──────────────────────────────────────────────────────────────

// biome-ignore format: the matrix is a grid, one line per call, one column per caller
const MATRIX: Readonly<Record<string, Row>> = {
  //  scenario                                       call                                                  anon adm  ins  stu  par  pAdm cMgr
  "GET /me": { lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 200, 200],
  ] },

  // ── platform ──
  "POST /admin/academies": { lines: [
    ["",                                             send(newAcademy()),                                   401, 403, 403, 403, 403, 201, 403],
    ["with a taken slug",                            send(newAcademy("matrix-a")),                         401, 403, 403, 403, 403, 409, 403],
    ["in a dedicated schema",                        send(newAcademy(undefined, "schema")),                401, 403, 403, 403, 403, 201, 403],
  ] },
  "GET /admin/academies": { sees: { platform_admin: ["A", "B"] }, lines: [
    ["",                                             bare,                                                 401, 403, 403, 403, 403, 200, 403],
  ] },
  "GET /admin/academies/{id}": { lines: [
    ["on an academy",                                on(academy("A")),                                     401, 403, 403, 403, 403, 200, 403],
    ["on a deleted academy",                         on(academy("D")),                                     401, 403, 403, 403, 403, 404, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 403, 403, 403, 403, 404, 403],
    ["on malformed id",                              on(malformed),                                        401, 403, 403, 403, 403, 404, 403],
  ] },
  "PATCH /admin/academies/{id}": { lines: [
    ["on an academy",                                on(freshAcademy, renameAcademy),                      401, 403, 403, 403, 403, 200, 403],
    ["on a deleted academy",                         on(academy("D"), renameAcademy),                      401, 403, 403, 403, 403, 404, 403],
    ["on an unknown id",                             on(unknownId, renameAcademy),                         401, 403, 403, 403, 403, 404, 403],
    ["on malformed id",                              on(malformed, renameAcademy),                         401, 403, 403, 403, 403, 404, 403],
  ] },
  "DELETE /admin/academies/{id}": { lines: [
    ["on an academy",                                on(freshAcademy),                                     401, 403, 403, 403, 403, 204, 403],
    ["on a deleted academy",                         on(academy("D")),                                     401, 403, 403, 403, 403, 404, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 403, 403, 403, 403, 404, 403],
    ["on malformed id",                              on(malformed),                                        401, 403, 403, 403, 403, 404, 403],
  ] },
  "POST /admin/academies/{id}/restore": { lines: [
    ["on a deleted academy",                         on(freshDeletedAcademy),                              401, 403, 403, 403, 403, 200, 403],
    ["on a live academy",                            on(academy("A")),                                     401, 403, 403, 403, 403, 404, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 403, 403, 403, 403, 404, 403],
    ["on malformed id",                              on(malformed),                                        401, 403, 403, 403, 403, 404, 403],
  ] },
  "POST /admin/academies/{id}/purge": { lines: [
    ["on a deleted academy",                         on(freshDeletedAcademy),                              401, 403, 403, 403, 403, 204, 403],
    ["on a live academy",                            on(academy("A")),                                     401, 403, 403, 403, 403, 409, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 403, 403, 403, 403, 404, 403],
    ["on malformed id",                              on(malformed),                                        401, 403, 403, 403, 403, 404, 403],
  ] },
  "POST /admin/academies/{id}/move": { lines: [
    ["on an academy, to a dedicated schema",         on(freshAcademy, () => ({ to: "schema" })),           401, 403, 403, 403, 403, 200, 403],
    ["on a shared academy, to the shared schema",    on(freshAcademy, () => ({ to: "shared" })),           401, 403, 403, 403, 403, 409, 403],
    ["on a deleted academy",                         on(academy("D"), () => ({ to: "schema" })),           401, 403, 403, 403, 403, 404, 403],
    ["on an unknown id",                             on(unknownId, () => ({ to: "schema" })),              401, 403, 403, 403, 403, 404, 403],
    ["on malformed id",                              on(malformed, () => ({ to: "schema" })),              401, 403, 403, 403, 403, 404, 403],
    ["to an unknown placement",                      on(freshAcademy, () => ({ to: "citus" })),            401, 403, 403, 403, 403, 400, 403],
  ] },
  // Before the platform routes that write audit events of their own (directory reads, user creation).
  "GET /admin/audit-log": {
    sees: { platform_admin: ["academy.create A", "academy.create B", "academy.create D", "academy.delete D", "questions.import sat", "questions.import gre"] },
    lines: [
    ["",                                             bare,                                                 401, 403, 403, 403, 403, 200, 403],
  ] },
  "GET /admin/academies/{id}/users": { sees: { platform_admin: ["admin", "i1", "i2", "s1", "s2", "s3", "p", "p2"] }, lines: [
    ["on an academy",                                on(academy("A")),                                     401, 403, 403, 403, 403, 200, 403],
    ["on a deleted academy",                         on(academy("D")),                                     401, 403, 403, 403, 403, 404, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 403, 403, 403, 403, 404, 403],
    ["on malformed id",                              on(malformed),                                        401, 403, 403, 403, 403, 404, 403],
  ] },
  "POST /admin/academies/{id}/users": { lines: [
    ["on an academy",                                on(academy("A"), newUser()),                          401, 403, 403, 403, 403, 201, 403],
    ["on an academy, with a taken email",            on(academy("A"), newUser("s2@example.com")),          401, 403, 403, 403, 403, 409, 403],
    ["on a deleted academy",                         on(academy("D"), newUser()),                          401, 403, 403, 403, 403, 404, 403],
    ["on an unknown id",                             on(unknownId, newUser()),                             401, 403, 403, 403, 403, 404, 403],
  ] },
  "POST /admin/impersonations": { lines: [
    ["of an academy user",                           send(impersonate(academy("A"), inA("s1"))),           401, 403, 403, 403, 403, 201, 403],
    ["of another academy's user",                    send(impersonate(academy("A"), inB("s1"))),           401, 403, 403, 403, 403, 404, 403],
    ["of a deleted user",                            send(impersonate(academy("A"), inA("gone"))),         401, 403, 403, 403, 403, 404, 403],
    ["in a deleted academy",                         send(impersonate(academy("D"), deletedAcademyAdmin)), 401, 403, 403, 403, 403, 404, 403],
  ] },

  "POST /admin/questions/batch": { lines: [
    ["",                                             send(importBatch),                                    401, 403, 403, 403, 403, 200, 200],
    ["with an unknown field",                        send(importWithTenant),                               401, 403, 403, 403, 403, 400, 400],
  ] },
  "POST /admin/users": { lines: [
    ["a content manager",                            send(newPlatformUser()),                              401, 403, 403, 403, 403, 201, 403],
    ["with an academy",                              send(newPlatformUser({ academyId: randomUUID() })),   401, 403, 403, 403, 403, 400, 403],
    ["with an academy role",                         send(newPlatformUser({ role: "admin" })),             401, 403, 403, 403, 403, 400, 403],
  ] },
  // Retiring a retired question and bringing back a live one change nothing the other rows see.
  "POST /questions/{id}/retire": { lines: [
    ["on a retired question",                        on(freshRetiredQuestion),                             401, 403, 403, 403, 403, 200, 200],
    ["on an unknown id",                             on(unknownId),                                        401, 403, 403, 403, 403, 404, 404],
    ["on malformed id",                              on(malformed),                                        401, 403, 403, 403, 403, 404, 404],
  ] },
  "POST /questions/{id}/unretire": { lines: [
    ["on a live question",                           on(question("qSat")),                                 401, 403, 403, 403, 403, 200, 200],
    ["on an unknown id",                             on(unknownId),                                        401, 403, 403, 403, 403, 404, 404],
  ] },

  // ── question bank (platform data, read by everyone signed in) ──
  "GET /questions": {
    questions: true,
    sees: { admin: ["qSat", "qGre"], instructor: ["qSat", "qGre"], student: ["qSat", "qGre"], parent: ["qSat", "qGre"], platform_admin: ["qSat", "qGre"], content_manager: ["qSat", "qGre"] },
    lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 200, 200],
  ] },
  "GET /questions/{id}": { questions: true, lines: [
    ["on a SAT question",                            on(question("qSat")),                                 401, 200, 200, 200, 200, 200, 200],
    ["on a GRE question",                            on(question("qGre")),                                 401, 200, 200, 200, 200, 200, 200],
    ["on an unknown id",                             on(unknownId),                                        401, 404, 404, 404, 404, 404, 404],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 404, 404],
  ] },

  "GET /admin/isolation-audit": { lines: [
    ["",                                             bare,                                                 401, 403, 403, 403, 403, 200, 403],
  ] },

  // ── users ──
  "POST /users": { lines: [
    ["",                                             send(newUser()),                                      401, 201, 403, 403, 403, 403, 403],
    ["with a taken email",                           send(newUser("s2@example.com")),                      401, 409, 403, 403, 403, 403, 403],
  ] },
  "GET /users": {
    sees: { admin: ["admin", "i1", "i2", "s1", "s2", "s3", "p", "p2"], instructor: ["i1", "s1", "s3"], student: ["s1"], parent: ["p", "s1"] },
    lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /users/{id}": { lines: [
    ["on own-scope user s1",                         on(inA("s1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on user s3 (c1, not linked to p)",             on(inA("s3")),                                        401, 200, 200, 404, 404, 403, 403],
    ["on instructor i1 (s1's teacher)",              on(inA("i1")),                                        401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden user s2",               on(inA("s2")),                                        401, "-", 404, 404, 404, 403, 403],
    ["on a deleted user",                            on(inA("gone")),                                      401, 404, 404, 404, 404, 403, 403],
    ["on other academy's user",                      on(inB("s1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "PATCH /users/{id}": { lines: [
    ["on self",                                      on(self, rename),                                     401, 200, 200, 200, 200, 403, 403],
    ["on visible user s1",                           on(inA("s1"), rename),                                401, 200, 403, "-", 403, 403, 403],
    ["on same-academy hidden user s2",               on(inA("s2"), rename),                                401, "-", 404, 404, 404, 403, 403],
    ["on self with a taken email",                   on(self, changeEmail("s2@example.com")),              401, 409, 403, 403, 403, 403, 403],
    ["on other academy's user",                      on(inB("s1"), rename),                                401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed, rename),                                401, 404, 404, 404, 404, 403, 403],
  ] },
  "DELETE /users/{id}": { lines: [
    ["on a same-academy user",                       on(freshUser("A")),                                   401, 204, 403, 403, 403, 403, 403],
    ["on self",                                      on(self),                                             401, 409, 403, 403, 403, 403, 403],
    ["on a deleted user",                            on(inA("gone")),                                      401, 404, 403, 403, 403, 403, 403],
    ["on other academy's user",                      on(freshUser("B")),                                   401, 404, 403, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 403, 403, 403, 403, 403],
  ] },

  // ── parent links ──
  "POST /parent-links": { lines: [
    ["",                                             send(link(freshUser("A", "parent"), inA("s2"))),      401, 201, 403, 403, 403, 403, 403],
    ["for an existing link",                         send(link(inA("p"), inA("s1"))),                      401, 409, 403, 403, 403, 403, 403],
    ["with other academy's student",                 send(link(inA("p"), inB("s1"))),                      401, 400, 403, 403, 403, 403, 403],
  ] },
  "GET /parent-links": { sees: { admin: ["p:s1", "p2:s2"], parent: ["p:s1"] }, lines: [
    ["",                                             bare,                                                 401, 200, 403, 403, 200, 403, 403],
  ] },

  // ── courses ──
  "POST /courses": { lines: [
    ["for instructor i1",                            send(course(inA("i1"))),                              401, 201, 201, 403, 403, 403, 403],
    ["for instructor i2",                            send(course(inA("i2"))),                              401, 201, 403, 403, 403, 403, 403],
    ["for other academy's instructor",               send(course(inB("i1"))),                              401, 400, 403, 403, 403, 403, 403],
  ] },
  "GET /courses": { sees: { admin: ["c1", "c2"], instructor: ["c1"], student: ["c1"], parent: ["c1"] }, lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /courses/{id}": { lines: [
    ["on own course c1",                             on(inA("c1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on same-academy hidden course c2",             on(inA("c2")),                                        401, "-", 404, 404, 404, 403, 403],
    ["on a deleted course",                          on(inA("cGone")),                                     401, 404, 404, 404, 404, 403, 403],
    ["on other academy's course",                    on(inB("c1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "PATCH /courses/{id}": { lines: [
    ["on own course c1",                             on(inA("c1"), retitle),                               401, 200, 200, 403, 403, 403, 403],
    ["on same-academy hidden course c2",             on(inA("c2"), retitle),                               401, "-", 404, 403, 403, 403, 403],
    ["reassigning an own course to i2",              on(freshCourse("A"), reassign(inA("i2"))),            401, 200, 403, 403, 403, 403, 403],
    ["on a deleted course",                          on(inA("cGone"), retitle),                            401, 404, 404, 403, 403, 403, 403],
    ["on other academy's course",                    on(inB("c1"), retitle),                               401, 404, 404, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed, retitle),                               401, 404, 404, 403, 403, 403, 403],
  ] },
  "DELETE /courses/{id}": { lines: [
    ["on a same-academy course",                     on(freshCourse("A")),                                 401, 204, 403, 403, 403, 403, 403],
    ["on a deleted course",                          on(inA("cGone")),                                     401, 404, 403, 403, 403, 403, 403],
    ["on other academy's course",                    on(freshCourse("B")),                                 401, 404, 403, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 403, 403, 403, 403, 403],
  ] },
  "POST /courses/{id}/restore": { lines: [
    ["on a deleted course",                          on(freshDeletedCourse),                               401, 200, 403, 403, 403, 403, 403],
    ["on a live course",                             on(inA("c1")),                                        401, 404, 403, 403, 403, 403, 403],
    ["on other academy's deleted course",            on(inB("cGone")),                                     401, 404, 403, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 403, 403, 403, 403, 403],
  ] },

  // ── enrollments ──
  "POST /courses/{id}/enrollments": { lines: [
    ["on own course c1",                             on(inA("c1"), enrol(freshUser("A"))),                 401, 201, 201, 403, 403, 403, 403],
    ["on same-academy hidden course c2",             on(inA("c2"), enrol(freshUser("A"))),                 401, "-", 404, 403, 403, 403, 403],
    ["on own course c1 for an enrolled student",     on(inA("c1"), enrol(inA("s1"))),                      401, 409, 409, 403, 403, 403, 403],
    ["on own course c1 for other academy's student", on(inA("c1"), enrol(inB("s2"))),                      401, 400, 400, 403, 403, 403, 403],
    ["on a deleted course",                          on(inA("cGone"), enrol(freshUser("A"))),              401, 404, 404, 403, 403, 403, 403],
    ["on other academy's course",                    on(inB("c1"), enrol(freshUser("A"))),                 401, 404, 404, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed, enrol(freshUser("A"))),                 401, 404, 404, 403, 403, 403, 403],
  ] },
  "GET /courses/{id}/enrollments": { sees: { admin: ["c1:s1", "c1:s3"], instructor: ["c1:s1", "c1:s3"] }, lines: [
    ["on own course c1",                             on(inA("c1")),                                        401, 200, 200, 403, 403, 403, 403],
    ["on same-academy hidden course c2",             on(inA("c2")),                                        401, "-", 404, 403, 403, 403, 403],
    ["on a deleted course",                          on(inA("cGone")),                                     401, 404, 404, 403, 403, 403, 403],
    ["on other academy's course",                    on(inB("c1")),                                        401, 404, 404, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 403, 403, 403, 403],
  ] },

  // ── assignments ──
  "POST /courses/{id}/assignments": { assignments: true, lines: [
    ["on own course c1",                             on(inA("c1"), newAssignment),                         401, 201, 201, 403, 403, 403, 403],
    ["on same-academy hidden course c2",             on(inA("c2"), newAssignment),                         401, "-", 404, 403, 403, 403, 403],
    ["on a deleted course",                          on(inA("cGone"), newAssignment),                      401, 404, 404, 403, 403, 403, 403],
    ["on other academy's course",                    on(inB("c1"), newAssignment),                         401, 404, 404, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed, newAssignment),                         401, 404, 404, 403, 403, 403, 403],
  ] },
  "GET /assignments": { assignments: true, sees: { admin: ["a1", "a2"], instructor: ["a1"], student: ["a1"], parent: ["a1"] }, lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /assignments/{id}": { assignments: true, lines: [
    ["on own assignment a1",                         on(inA("a1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on same-academy hidden assignment a2",         on(inA("a2")),                                        401, "-", 404, 404, 404, 403, 403],
    ["on an assignment of a deleted course",         on(inA("aGone")),                                     401, 404, 404, 404, 404, 403, 403],
    ["on other academy's assignment",                on(inB("a1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },

  // ── submissions ──
  "POST /assignments/{id}/submissions": { learnersNever: ["aiReview"], lines: [
    ["on own assignment a1",                         on(inA("a1"), submit),                                401, 403, 403, 201, 403, 403, 403],
    ["on same-academy hidden assignment a2",         on(inA("a2"), submit),                                401, 403, 403, 404, 403, 403, 403],
    ["on an assignment of a deleted course",         on(inA("aGone"), submit),                             401, 403, 403, 404, 403, 403, 403],
    ["on other academy's assignment",                on(inB("a1"), submit),                                401, 403, 403, 404, 403, 403, 403],
    ["on malformed id",                              on(malformed, submit),                                401, 403, 403, 404, 403, 403, 403],
  ] },
  "GET /submissions": { sees: { admin: ["sub1", "sub2", "sub3"], instructor: ["sub1", "sub3"], student: ["sub1"], parent: ["sub1"] }, learnersNever: ["aiReview"], lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /submissions/{id}": { learnersNever: ["aiReview"], lines: [
    ["on own submission sub1",                       on(inA("sub1")),                                      401, 200, 200, 200, 200, 403, 403],
    ["on s3's submission sub3 to a1",                on(inA("sub3")),                                      401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden submission sub2",       on(inA("sub2")),                                      401, "-", 404, 404, 404, 403, 403],
    ["on a submission to a deleted course",          on(inA("subGone")),                                   401, 404, 404, 404, 404, 403, 403],
    ["on other academy's submission",                on(inB("sub1")),                                      401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "PATCH /submissions/{id}/grade": { lines: [
    ["on own submission sub1",                       on(inA("sub1"), grade(8)),                            401, 200, 200, 403, 403, 403, 403],
    ["on own submission sub1 above maxPoints",       on(inA("sub1"), grade(11)),                           401, 400, 400, 403, 403, 403, 403],
    ["accepting the AI suggestion on sub1",          on(inA("sub1"), acceptSuggestion),                    401, 200, 200, 403, 403, 403, 403],
    ["accepting on sub3, which has no suggestion",   on(inA("sub3"), acceptSuggestion),                    401, 409, 409, 403, 403, 403, 403],
    ["on same-academy hidden submission sub2",       on(inA("sub2"), grade(8)),                            401, "-", 404, 403, 403, 403, 403],
    ["on a submission to a deleted course",          on(inA("subGone"), grade(8)),                         401, 404, 404, 403, 403, 403, 403],
    ["on other academy's submission",                on(inB("sub1"), grade(8)),                            401, 404, 404, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed, grade(8)),                              401, 404, 404, 403, 403, 403, 403],
  ] },

  // ── AI pre-grading ──
  "GET /grading-queue": { sees: { admin: ["sub1", "sub2"], instructor: ["sub1"] }, learnersNever: ["aiReview"], lines: [
    ["",                                             bare,                                                 401, 200, 200, 403, 403, 403, 403],
  ] },

  // ── quizzes ──
  "GET /quizzes": {
    sees: { admin: ["q1", "qDraft", "q2", "qWide", "qMine"], instructor: ["q1", "qDraft", "qMine"], student: ["q1", "qWide"], parent: ["q1", "qWide"] },
    learnersNever: ["answer", "explanation", "source", "generation"],
    lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /quizzes/{id}": { learnersNever: ["answer", "explanation", "source", "generation"], lines: [
    ["on published quiz q1 of c1",                   on(inA("q1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on draft qDraft of c1",                        on(inA("qDraft")),                                    401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden quiz q2",               on(inA("q2")),                                        401, "-", 404, 404, 404, 403, 403],
    ["on academy-wide published qWide",              on(inA("qWide")),                                     401, 200, 404, 200, 200, 403, 403],
    ["on i1's academy-wide draft qMine",             on(inA("qMine")),                                     401, 200, 200, 404, 404, 403, 403],
    ["on a quiz of a deleted course",                on(inA("qGone")),                                     401, 404, 404, 404, 404, 403, 403],
    ["on other academy's quiz",                      on(inB("q1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "POST /quizzes": { lines: [
    ["for own course c1",                            send(newQuiz(inA("c1"))),                             401, 201, 201, 403, 403, 403, 403],
    ["for same-academy hidden course c2",            send(newQuiz(inA("c2"))),                             401, "-", 404, 403, 403, 403, 403],
    ["academy-wide",                                 send(newQuiz()),                                      401, 201, 201, 403, 403, 403, 403],
    ["for a deleted course",                         send(newQuiz(inA("cGone"))),                          401, 404, 404, 403, 403, 403, 403],
    ["for other academy's course",                   send(newQuiz(inB("c1"))),                             401, 404, 404, 403, 403, 403, 403],
    ["with an answer not among the options",         send(contradictoryQuiz),                              401, 400, 400, 403, 403, 403, 403],
    ["with a shared-bank question by id",            send(bankItemQuiz),                                   401, 201, 201, 403, 403, 403, 403],
    ["with a bank question id that exists nowhere",  send(unknownBankItemQuiz),                            401, 400, 400, 403, 403, 403, 403],
  ] },
  "POST /quizzes/from-bank": { lines: [
    ["for own course c1",                            send(drawnQuiz(inA("c1"))),                           401, 201, 201, 403, 403, 403, 403],
    ["for same-academy hidden course c2",            send(drawnQuiz(inA("c2"))),                           401, "-", 404, 403, 403, 403, 403],
    ["academy-wide",                                 send(drawnQuiz()),                                    401, 201, 201, 403, 403, 403, 403],
    ["for a deleted course",                         send(drawnQuiz(inA("cGone"))),                        401, 404, 404, 403, 403, 403, 403],
    ["for other academy's course",                   send(drawnQuiz(inB("c1"))),                           401, 404, 404, 403, 403, 403, 403],
    ["for more questions than the bank holds",       send(drawnQuiz(inA("c1"), 100)),                      401, 409, 409, 403, 403, 403, 403],
  ] },
  "POST /quizzes/generate": { lines: [
    ["for own course c1",                            send(upload(inA("c1"))),                              401, 201, 201, 403, 403, 403, 403],
    ["for same-academy hidden course c2",            send(upload(inA("c2"))),                              401, "-", 404, 403, 403, 403, 403],
    ["academy-wide",                                 send(upload()),                                       401, 201, 201, 403, 403, 403, 403],
    ["for a deleted course",                         send(upload(inA("cGone"))),                           401, 404, 404, 403, 403, 403, 403],
    ["for other academy's course",                   send(upload(inB("c1"))),                              401, 404, 404, 403, 403, 403, 403],
    ["from a PDF without text",                      send(upload(inA("c1"), "scan")),                      401, 422, 422, 403, 403, 403, 403],
    ["without a file",                               send(upload(inA("c1"), "none")),                      401, 400, 400, 403, 403, 403, 403],
    ["as JSON instead of multipart",                 send(() => ({ title: "No file" })),                   401, 415, 415, 403, 403, 403, 403],
  ] },
  "PATCH /quizzes/{id}": { lines: [
    ["retitling own quiz q1",                        on(inA("q1"), retitleQuiz),                           401, 200, 200, 403, 403, 403, 403],
    ["publishing draft qDraft",                      on(inA("qDraft"), publish),                           401, 200, 200, 403, 403, 403, 403],
    ["on same-academy hidden quiz q2",               on(inA("q2"), retitleQuiz),                           401, "-", 404, 403, 403, 403, 403],
    ["on the admin's academy-wide qWide",            on(inA("qWide"), retitleQuiz),                        401, 200, 404, 403, 403, 403, 403],
    ["on i1's academy-wide draft qMine",             on(inA("qMine"), retitleQuiz),                        401, 200, 200, 403, 403, 403, 403],
    ["changing published q1's questions",            on(inA("q1"), rewriteQuestions),                      401, 409, 409, 403, 403, 403, 403],
    ["on a quiz of a deleted course",                on(inA("qGone"), retitleQuiz),                        401, 404, 404, 403, 403, 403, 403],
    ["on other academy's quiz",                      on(inB("q1"), retitleQuiz),                           401, 404, 404, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed, retitleQuiz),                           401, 404, 404, 403, 403, 403, 403],
  ] },

  // ── quiz submissions ──
  "POST /quizzes/{id}/submissions": { learnersNever: ["answer", "explanation", "source"], lines: [
    ["on published q1 of c1",                        on(inA("q1"), answer("B", inA("q1:question"))),       401, 403, 403, 201, 403, 403, 403],
    ["on academy-wide published qWide",              on(inA("qWide"), answer("A")),                        401, 403, 403, 201, 403, 403, 403],
    ["on i1's academy-wide draft qMine",             on(inA("qMine"), answer("B")),                        401, 403, 403, 404, 403, 403, 403],
    ["on same-academy hidden quiz q2",               on(inA("q2"), answer("B")),                           401, 403, 403, 404, 403, 403, 403],
    ["on a quiz of a deleted course",                on(inA("qGone"), answer("B")),                        401, 403, 403, 404, 403, 403, 403],
    ["on other academy's quiz",                      on(inB("qWide"), answer("B")),                        401, 403, 403, 404, 403, 403, 403],
    ["on malformed id",                              on(malformed, answer("B")),                           401, 403, 403, 404, 403, 403, 403],
    ["with an answer of the wrong shape",            on(inA("qWide"), answer(["B"])),                      401, 403, 403, 400, 403, 403, 403],
    ["with an option the question does not have",    on(inA("qWide"), answer("Z")),                        401, 403, 403, 400, 403, 403, 403],
    ["answering a question of another quiz",         on(inA("qWide"), answer("B", inA("q1:question"))),    401, 403, 403, 400, 403, 403, 403],
  ] },
  "GET /quiz-submissions": {
    sees: { admin: ["qs1", "qs2", "qs3", "qsWide", "qsMine"], instructor: ["qs1", "qs3", "qsMine"], student: ["qs1", "qsWide"], parent: ["qs1", "qsWide"] },
    learnersNever: ["answer", "explanation", "source"],
    lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /quiz-submissions/{id}": { learnersNever: ["answer", "explanation", "source"], lines: [
    ["on own submission qs1",                        on(inA("qs1")),                                       401, 200, 200, 200, 200, 403, 403],
    ["on s3's submission qs3 to q1",                 on(inA("qs3")),                                       401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden submission qs2",        on(inA("qs2")),                                       401, "-", 404, 404, 404, 403, 403],
    ["on s1's submission to the admin's qWide",      on(inA("qsWide")),                                    401, 200, 404, 200, 200, 403, 403],
    ["on s3's submission to i1's academy-wide qMine", on(inA("qsMine")),                                   401, 200, 200, 404, 404, 403, 403],
    ["on a submission to a deleted course's quiz",   on(inA("qsGone")),                                    401, 404, 404, 404, 404, 403, 403],
    ["on other academy's submission",                on(inB("qs1")),                                       401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },

  // ── weak spots ──
  "GET /students/{id}/weak-spots": { lines: [
    ["on s1 (c1, linked to p)",                      on(inA("s1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on s3 (c1, not linked to p)",                  on(inA("s3")),                                        401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden student s2",            on(inA("s2")),                                        401, "-", 404, 404, 404, 403, 403],
    ["on instructor i1 (not a student)",             on(inA("i1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on a deleted student",                         on(inA("gone")),                                      401, 404, 404, 404, 404, 403, 403],
    ["on other academy's student",                   on(inB("s1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "GET /courses/{id}/weak-spots": { lines: [
    ["on own course c1",                             on(inA("c1")),                                        401, 200, 200, 403, 403, 403, 403],
    ["on same-academy hidden course c2",             on(inA("c2")),                                        401, "-", 404, 403, 403, 403, 403],
    ["on a deleted course",                          on(inA("cGone")),                                     401, 404, 404, 403, 403, 403, 403],
    ["on other academy's course",                    on(inB("c1")),                                        401, 404, 404, 403, 403, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 403, 403, 403, 403],
  ] },

  // ── tutor sessions ──
  "POST /tutor-sessions": { lines: [
    ["on own assignment a1",                         send(tutorOn(inA("a1"))),                             401, 403, 403, 201, 403, 403, 403],
    ["on same-academy hidden assignment a2",         send(tutorOn(inA("a2"))),                             401, 403, 403, 404, 403, 403, 403],
    ["on an assignment of a deleted course",         send(tutorOn(inA("aGone"))),                          401, 403, 403, 404, 403, 403, 403],
    ["on other academy's assignment",                send(tutorOn(inB("a1"))),                             401, 403, 403, 404, 403, 403, 403],
    ["with a malformed assignment id",               send(malformedTutor),                                 401, 403, 403, 400, 403, 403, 403],
  ] },
  "GET /tutor-sessions": { sees: { admin: ["ts1", "ts2", "ts3"], instructor: ["ts1", "ts3"], student: ["ts1"], parent: ["ts1"] }, lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /tutor-sessions/{id}": { lines: [
    ["on own session ts1",                           on(inA("ts1")),                                       401, 200, 200, 200, 200, 403, 403],
    ["on s3's session ts3 on a1",                    on(inA("ts3")),                                       401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden session ts2",           on(inA("ts2")),                                       401, "-", 404, 404, 404, 403, 403],
    ["on a session of a deleted course",             on(inA("tsGone")),                                    401, 404, 404, 404, 404, 403, 403],
    ["on other academy's session",                   on(inB("ts1")),                                       401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "POST /tutor-sessions/{id}/messages": { lines: [
    ["on own session ts1",                           on(inA("ts1"), askTutor),                             401, 403, 403, 200, 403, 403, 403],
    ["on s3's session ts3 on a1",                    on(inA("ts3"), askTutor),                             401, 403, 403, 404, 403, 403, 403],
    ["on same-academy hidden session ts2",           on(inA("ts2"), askTutor),                             401, 403, 403, 404, 403, 403, 403],
    ["on a session of a deleted course",             on(inA("tsGone"), askTutor),                          401, 403, 403, 404, 403, 403, 403],
    ["on other academy's session",                   on(inB("ts1"), askTutor),                             401, 403, 403, 404, 403, 403, 403],
    ["on malformed id",                              on(malformed, askTutor),                              401, 403, 403, 404, 403, 403, 403],
  ] },

  // ── learning: study plans, summaries, gamification (visibility: core/src/policies/students.ts) ──
  "GET /students/{id}/study-plan": { learnersNever: ["answer", "explanation"], lines: [
    ["on own (linked) student s1",                   on(inA("s1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on s3, enrolled in i1's course c1",            on(inA("s3")),                                        401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden student s2",            on(inA("s2")),                                        401, 200, 404, 404, 404, 403, 403],
    ["on a deleted student",                         on(inA("gone")),                                      401, 404, 404, 404, 404, 403, 403],
    ["on a user who is not a student (i1)",          on(inA("i1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on other academy's student",                   on(inB("s1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "GET /students/{id}/summary": { lines: [
    ["on own (linked) student s1",                   on(inA("s1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on s3, enrolled in i1's course c1",            on(inA("s3")),                                        401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden student s2",            on(inA("s2")),                                        401, 200, 404, 404, 404, 403, 403],
    ["on a deleted student",                         on(inA("gone")),                                      401, 404, 404, 404, 404, 403, 403],
    ["on a user who is not a student (i1)",          on(inA("i1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on other academy's student",                   on(inB("s1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "GET /students/{id}/gamification": { lines: [
    ["on own (linked) student s1",                   on(inA("s1")),                                        401, 200, 200, 200, 200, 403, 403],
    ["on s3, enrolled in i1's course c1",            on(inA("s3")),                                        401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden student s2",            on(inA("s2")),                                        401, 200, 404, 404, 404, 403, 403],
    ["on a deleted student",                         on(inA("gone")),                                      401, 404, 404, 404, 404, 403, 403],
    ["on a user who is not a student (i1)",          on(inA("i1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on other academy's student",                   on(inB("s1")),                                        401, 404, 404, 404, 404, 403, 403],
    ["on an unknown id",                             on(unknownId),                                        401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "GET /gamification/me": { lines: [
    ["",                                             bare,                                                 401, 403, 403, 200, 403, 403, 403],
  ] },

  // ── practice sets and mock exams (the student rule: policies/practice.ts) ──
  "POST /practice-sets": { lines: [
    ["",                                             send(newPracticeSet),                                 401, 403, 403, 201, 403, 403, 403],
    ["with nothing to draw",                         send(practiceNothing),                                401, 403, 403, 409, 403, 403, 403],
    ["with an unknown field",                        send(practiceWithTenant),                             401, 403, 403, 400, 403, 403, 403],
  ] },
  "GET /practice-sets": { sees: { admin: ["ps0", "ps1", "ps2", "ps3"], instructor: ["ps0", "ps1", "ps3"], student: ["ps0", "ps1"], parent: ["ps0", "ps1"] }, learnersNever: ["answer", "explanation"], lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /practice-sets/{id}": { learnersNever: ["answer", "explanation"], lines: [
    ["on own (linked) set ps1",                      on(inA("ps1")),                                       401, 200, 200, 200, 200, 403, 403],
    ["on s3's set ps3 (c1)",                         on(inA("ps3")),                                       401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden set ps2",               on(inA("ps2")),                                       401, "-", 404, 404, 404, 403, 403],
    ["on other academy's set",                       on(inB("ps1")),                                       401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "POST /practice-sets/{id}/answers": { lines: [
    ["on own set ps1",                               on(inA("ps1"), practiceAnswer),                       401, 403, 403, 200, 403, 403, 403],
    ["on s3's set ps3",                              on(inA("ps3"), practiceAnswer),                       401, 403, 403, 404, 403, 403, 403],
    ["on other academy's set",                       on(inB("ps1"), practiceAnswer),                       401, 403, 403, 404, 403, 403, 403],
    ["on malformed id",                              on(malformed, practiceAnswer),                        401, 403, 403, 404, 403, 403, 403],
  ] },
  "POST /mock-exams": { lines: [
    ["with a bank too small for the form",           send(newMockExam),                                    401, 403, 403, 409, 403, 403, 403],
    ["for an unknown exam",                          send(unknownExam),                                    401, 403, 403, 400, 403, 403, 403],
  ] },
  "GET /mock-exams": { sees: { admin: ["me0", "me1", "me2", "me3"], instructor: ["me0", "me1", "me3"], student: ["me0", "me1"], parent: ["me0", "me1"] }, learnersNever: ["answer", "explanation"], lines: [
    ["",                                             bare,                                                 401, 200, 200, 200, 200, 403, 403],
  ] },
  "GET /mock-exams/{id}": { learnersNever: ["answer", "explanation"], lines: [
    ["on own (linked) exam me1",                     on(inA("me1")),                                       401, 200, 200, 200, 200, 403, 403],
    ["on s3's exam me3 (c1)",                        on(inA("me3")),                                       401, 200, 200, 404, 404, 403, 403],
    ["on same-academy hidden exam me2",              on(inA("me2")),                                       401, "-", 404, 404, 404, 403, 403],
    ["on other academy's exam",                      on(inB("me1")),                                       401, 404, 404, 404, 404, 403, 403],
    ["on malformed id",                              on(malformed),                                        401, 404, 404, 404, 404, 403, 403],
  ] },
  "POST /mock-exams/{id}/modules": { lines: [
    ["on own exam me1",                              on(inA("me1"), mockModule),                           401, 403, 403, 200, 403, 403, 403],
    ["on s3's exam me3",                             on(inA("me3"), mockModule),                           401, 403, 403, 404, 403, 403, 403],
    ["on other academy's exam",                      on(inB("me1"), mockModule),                           401, 403, 403, 404, 403, 403, 403],
    ["on malformed id",                              on(malformed, mockModule),                            401, 403, 403, 404, 403, 403, 403],
  ] },
};

// ─── the loop ────────────────────────────────────────────────────────────────

/** Routes tested elsewhere (health, OpenAPI, login, invitations, logout). */
// Logout revokes the token it is called with (the callers here share theirs): credential-changes-revoke-tokens.test.ts.
const ELSEWHERE = new Set([
  "GET /health",
  "GET /ready",
  "GET /openapi.json",
  "POST /auth/login",
  // Anonymous, keyed by a one-time token: onboarding.test.ts covers it.
  "POST /auth/invitations/{token}",
  "POST /auth/logout",
]);
const routeKey = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

interface Case {
  readonly name: string;
  readonly key: string;
  readonly row: Row;
  readonly who: Caller;
  readonly call: Call;
  readonly status: Status;
}

/** Every cell as a case; reads first, so list answers are checked before any write. */
const CASES: readonly Case[] = Object.entries(MATRIX)
  .sort(([a], [b]) => Number(!a.startsWith("GET ")) - Number(!b.startsWith("GET ")))
  .flatMap(([key, row]) =>
    row.lines.flatMap(([scenario, call, ...cells]) =>
      CALLERS.flatMap((who, column) => {
        const status = cells[column];
        if (status === undefined || status === "-") return [];
        const name = `${key} as ${who}${scenario ? ` ${scenario}` : ""} → ${status}`;
        return [{ name, key, row, who, call, status }];
      }),
    ),
  );

describe("route matrix", () => {
  it("has a row for every route", () => {
    const routes = ALL_ROUTES.map(routeKey).filter((k) => !ELSEWHERE.has(k));
    expect(Object.keys(MATRIX).sort()).toEqual([...new Set(routes)].sort());
  });

  it("names every cell once", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });
});

// A and B in each placement pair: both shared, A in a dedicated schema beside a
// shared B, and the other way round (docs/tenancy.md, "Placement").
const PLACEMENTS = [
  { A: "shared", B: "shared" },
  { A: "schema", B: "shared" },
  { A: "shared", B: "schema" },
] as const;
// Every cell runs in every run, but `npm test` deals the cells across the
// worlds (engine × placement pair) from the run's seed: each cell in one world,
// a different one run after run, so over runs every cell meets every engine and
// placement. The worlds only repeat the cells' checks; `npm run
// test:reliability` runs every cell in every world (support/sampling.ts).
const WORLDS = ENGINES.flatMap((engine) =>
  PLACEMENTS.map((p) => ({ engine, placements: p, label: `${engine}, A ${p.A}, B ${p.B}` })),
).map((world, index, all) => ({
  ...world,
  cases: dealCells(CASES, all.length, index, "route matrix"),
}));
console.log(sampleNote("route matrix"));

/** The cells this run sends, over every world (the reliability suite's full run counts them). */
export function cellCount(): number {
  return WORLDS.reduce((sum, world) => sum + world.cases.length, 0);
}

describe.each(WORLDS)("route matrix on $label", ({ engine, placements, cases }) => {
  let t: TestApp;
  let w: MatrixWorld;

  beforeAll(async () => {
    // The matrix sends hundreds of requests to one academy: keep the rate limit out of the way.
    const lots = {
      points: 1_000_000,
      durationSeconds: 60,
      burstPoints: 1_000_000,
      burstDurationSeconds: 10,
    };
    t = await createTestApp(engine, { rateLimit: lots });
    w = await seedMatrix(t, placements);
  });

  afterAll(async () => {
    await t?.dispose();
  });

  for (const { name, key, row, who, call, status } of cases)
    it(name, async () => {
      const [method = "", path = ""] = key.split(" ");
      const { id, body } = await call(w, who);
      const url = `/api/v1${path.replace("{id}", id ?? "")}${row.sees ? "?limit=100" : ""}`;
      const res = await t.request(method, url, {
        token: w.tokens[who],
        ...(body instanceof Form ? { form: body.form } : { body }),
      });

      expect({ status: res.status, body: res.body }).toMatchObject({ status });
      expect(JSON.stringify(res.body ?? "")).not.toMatch(/password_?hash/i);
      if (status >= 400) {
        expect(String(res.headers["content-type"])).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status });
        return;
      }

      const sees = row.sees?.[who];
      if (sees) {
        const ids = (res.body.data as { id: string }[]).map((item) => item.id);
        expect(ids.sort()).toEqual(sees.map((name) => w.named(name)).sort());
        expect(res.body.nextCursor).toBeNull();
      } else if (method === "GET" && id !== undefined && !path.endsWith("/weak-spots")) {
        // A student's learning data is keyed by the student; weak spots are a bare list.
        expect(path.startsWith("/students/") ? res.body.studentId : res.body.id).toBe(id);
      }
      if (row.questions) {
        const items: object[] = Array.isArray(res.body.data) ? res.body.data : [res.body];
        expect(items.length).toBeGreaterThan(0);
        const learner = who === "student" || who === "parent";
        for (const item of items) {
          expect(Object.hasOwn(item, "answer")).toBe(!learner);
          expect(Object.hasOwn(item, "explanation")).toBe(!learner);
        }
      }
      if (row.assignments) {
        const items: object[] = Array.isArray(res.body.data) ? res.body.data : [res.body];
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) expect(Object.hasOwn(item, "referenceAnswer")).toBe(isStaff(who));
      }
      if (row.learnersNever && !isStaff(who)) {
        const keys = keysIn(res.body);
        for (const hidden of row.learnersNever) expect(keys.has(hidden), hidden).toBe(false);
      }
      if (key === "GET /me") expect(res.body.user.id).toBe(w.userIdOf(who));
      if (key === "GET /gamification/me") expect(res.body.studentId).toBe(w.userIdOf(who));
    });
});
