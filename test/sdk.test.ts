import type {
  Academy,
  Assignment,
  AuditEvent,
  Course,
  CoursePage,
  CreateAcademyResponse,
  CreateCourseBody,
  Enrollment,
  ImpersonationResponse,
  LoginResponse,
  MeResponse,
  ParentLink,
  StudentAssignment,
  Submission,
  TutorReply,
  TutorSession,
  TutorSessionSummary,
  User,
} from "@skillbridge/core/contracts";
import {
  AbortError,
  AuthenticationError,
  ConflictError,
  type HttpClient,
  InternalServerError,
  isSkillBridgeError,
  NotFoundError,
  type PagePromise,
  PermissionError,
  RateLimitError,
  SkillBridge,
  TimeoutError,
  UndiciHttpClient,
  ValidationError,
  type WithResponse,
} from "@skillbridge/sdk";
import { startServer } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { pdfWithoutText, pdfWithText } from "../packages/core/test/support/document-fixtures.js";
import { sampleOf } from "../packages/core/test/support/sampling.js";
import {
  json,
  problem,
  type StubServer,
  stubServer,
} from "../packages/sdk/test/support/stub-server.js";
import {
  createTestApp,
  ENGINES,
  PLATFORM_ADMIN,
} from "../packages/server/test/support/test-app.js";

// The SDK against the real server over a migrated database, through a socket:
// no mocks between the client and the route table.

const PASSWORD = "correct-horse-battery";

async function live(engine: (typeof ENGINES)[number], overrides = {}) {
  const t = await createTestApp(engine, overrides);
  const running = await startServer({ app: t.app, port: 0, handleSignals: false });
  return {
    t,
    running,
    async close() {
      await running.close();
      await t.dispose();
    },
  };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

// What this file checks does not change with the engine under the server: it runs on one
// engine per run, drawn from the seed (every engine with SKILLBRIDGE_FULL_MATRICES=1).
describe.each(sampleOf(ENGINES, 1, "sdk live"))("the SDK against a live server on %s", (engine) => {
  let server: Awaited<ReturnType<typeof live>>;
  let url: string;
  let platform: SkillBridge;
  beforeAll(async () => {
    server = await live(engine);
    url = server.running.url;
    platform = new SkillBridge({ baseUrl: url, maxRetries: 0 });
    await platform.auth.login(PLATFORM_ADMIN);
  });
  afterAll(() => server.close());

  /** Signs in on a fresh client. */
  async function signIn(credentials: { academy?: string; email: string; password: string }) {
    const client = new SkillBridge({ baseUrl: url, maxRetries: 0 });
    await client.auth.login(credentials);
    return client;
  }

  describe("every resource round-trips", () => {
    // One academy's story, step by step; each step uses what the one before made.
    const slug = `north-${engine}`;
    let academy: Academy;
    let adminUser: User;
    let admin: SkillBridge;
    let instructor: User;
    let student: User;
    let parent: User;
    let course: Course;
    let assignment: Assignment;
    let submission: Submission;

    it("login keeps the token; me is the platform admin", async () => {
      const client = new SkillBridge({ baseUrl: url, maxRetries: 0 });
      expect(client.token).toBeUndefined();
      const login = await client.auth.login(PLATFORM_ADMIN);
      expect(login.tokenType).toBe("Bearer");
      expect(login.user.email).toBe(PLATFORM_ADMIN.email);
      expect(client.token).toBe(login.accessToken);
      const me = await client.auth.me();
      expect(me.user.email).toBe(PLATFORM_ADMIN.email);
      expect(me.user.role).toBe("platform_admin");
      expect(me.academy).toBeNull();
    });

    it("academies: create, get, list, update, delete, restore", async () => {
      const created = await platform.academies.create({
        slug,
        name: "North Prep",
        admin: { email: "ada@north.example", name: "Ada Admin", password: PASSWORD },
      });
      academy = created.academy;
      adminUser = created.admin;
      expect(academy).toMatchObject({ slug, name: "North Prep", status: "active" });
      expect(adminUser).toMatchObject({ role: "admin", academyId: academy.id });

      expect(await platform.academies.get(academy.id)).toEqual(academy);
      const all = await platform.academies.list().toArray({ limit: 100 });
      expect(all.map((a) => a.id)).toContain(academy.id);

      const renamed = await platform.academies.update(academy.id, { name: "North Prep Academy" });
      expect(renamed.name).toBe("North Prep Academy");
      const suspended = await platform.academies.update(academy.id, { status: "suspended" });
      expect(suspended.status).toBe("suspended");
      await platform.academies.update(academy.id, { status: "active" });

      expect(await platform.academies.delete(academy.id)).toBeUndefined();
      expect(await caught(platform.academies.get(academy.id))).toBeInstanceOf(NotFoundError);
      const restored = await platform.academies.restore(academy.id);
      expect(restored.id).toBe(academy.id);
      expect((await platform.academies.get(academy.id)).name).toBe("North Prep Academy");
    });

    it("the academy's admin signs in with the slug; me names the academy", async () => {
      admin = await signIn({ academy: slug, email: "ada@north.example", password: PASSWORD });
      const me = await admin.auth.me();
      expect(me.user.id).toBe(adminUser.id);
      expect(me.academy?.id).toBe(academy.id);
    });

    it("users: create, get, list by role, update, delete", async () => {
      const make = (role: "instructor" | "student" | "parent", name: string) =>
        admin.users.create({
          email: `${name.toLowerCase()}@north.example`,
          name,
          role,
          password: PASSWORD,
        });
      instructor = await make("instructor", "Ines");
      student = await make("student", "Sam");
      parent = await make("parent", "Pat");
      const leaver = await make("student", "Lee");
      expect(student).toMatchObject({ role: "student", academyId: academy.id });

      expect(await admin.users.get(student.id)).toEqual(student);
      const students = await admin.users.list({ role: "student" }).toArray({ limit: 50 });
      expect(students.map((u) => u.name).sort()).toEqual(["Lee", "Sam"]);

      const renamed = await admin.users.update(student.id, { name: "Samantha" });
      expect(renamed.name).toBe("Samantha");
      student = renamed;

      await admin.users.delete(leaver.id);
      expect(await caught(admin.users.get(leaver.id))).toBeInstanceOf(NotFoundError);
    });

    it("parent links: create, list (admin: all; parent: own)", async () => {
      const link = await admin.parentLinks.create({ parentId: parent.id, studentId: student.id });
      expect(link).toMatchObject({ parentId: parent.id, studentId: student.id });
      expect(await admin.parentLinks.list().toArray({ limit: 10 })).toEqual([link]);
      const asParent = await signIn({
        academy: slug,
        email: "pat@north.example",
        password: PASSWORD,
      });
      const own: ParentLink[] = await asParent.parentLinks.list().toArray({ limit: 10 });
      expect(own.map((l) => l.id)).toEqual([link.id]);
    });

    it("courses: create, get, list, update, delete, restore", async () => {
      course = await admin.courses.create({
        title: "SAT Math",
        description: "Algebra and data",
        instructorId: instructor.id,
      });
      expect(course).toMatchObject({ title: "SAT Math", instructorId: instructor.id });
      expect(await admin.courses.get(course.id)).toEqual(course);
      expect((await admin.courses.list().toArray({ limit: 10 })).map((c) => c.id)).toContain(
        course.id,
      );
      const updated = await admin.courses.update(course.id, { description: null });
      expect(updated.description).toBeNull();

      await admin.courses.delete(course.id);
      expect(await caught(admin.courses.get(course.id))).toBeInstanceOf(NotFoundError);
      const restored = await admin.courses.restore(course.id);
      expect(restored.id).toBe(course.id);
      course = restored;
    });

    it("enrollments: create under a course, list the roster", async () => {
      const enrollment: Enrollment = await admin.enrollments.create(course.id, {
        studentId: student.id,
      });
      expect(enrollment).toMatchObject({ courseId: course.id, studentId: student.id });
      const roster = await admin.enrollments.list(course.id).toArray({ limit: 10 });
      expect(roster).toEqual([enrollment]);
    });

    it("assignments: create under a course, list by course, get (students never see the answer)", async () => {
      const asInstructor = await signIn({
        academy: slug,
        email: "ines@north.example",
        password: PASSWORD,
      });
      assignment = await asInstructor.assignments.create(course.id, {
        title: "Linear equations",
        instructions: "Solve all ten.",
        maxPoints: 10,
        referenceAnswer: "x = 4",
      });
      expect(assignment).toMatchObject({ courseId: course.id, tutorMode: "socratic" });
      expect(assignment.referenceAnswer).toBe("x = 4");
      const listed = await asInstructor.assignments.list({ courseId: course.id }).firstPage();
      expect(listed.data.map((a) => a.id)).toEqual([assignment.id]);

      const asStudent = await signIn({
        academy: slug,
        email: "sam@north.example",
        password: PASSWORD,
      });
      const seen = await asStudent.assignments.get(assignment.id);
      expect(seen.id).toBe(assignment.id);
      expect("referenceAnswer" in seen).toBe(false);
    });

    it("submissions: create under an assignment, list with filters, get, grade", async () => {
      const asStudent = await signIn({
        academy: slug,
        email: "sam@north.example",
        password: PASSWORD,
      });
      submission = await asStudent.submissions.create(assignment.id, { content: "x = 4" });
      expect(submission).toMatchObject({ assignmentId: assignment.id, studentId: student.id });
      expect(submission.grade).toBeNull();

      const byAssignment = await admin.submissions
        .list({ assignmentId: assignment.id, studentId: student.id })
        .toArray({ limit: 10 });
      expect(byAssignment.map((s) => s.id)).toEqual([submission.id]);
      expect(await asStudent.submissions.get(submission.id)).toEqual(submission);

      const asInstructor = await signIn({
        academy: slug,
        email: "ines@north.example",
        password: PASSWORD,
      });
      const graded = await asInstructor.submissions.grade(submission.id, {
        grade: 9,
        feedback: "Show your steps.",
      });
      expect(graded).toMatchObject({ grade: 9, feedback: "Show your steps." });
      expect(graded.gradedAt).not.toBeNull();
      const asParent = await signIn({
        academy: slug,
        email: "pat@north.example",
        password: PASSWORD,
      });
      expect((await asParent.submissions.get(submission.id)).grade).toBe(9);
    });

    it("tutor sessions: open, talk (the reply never states the answer), list, get; the parent reads along", async () => {
      const asStudent = await signIn({
        academy: slug,
        email: "sam@north.example",
        password: PASSWORD,
      });
      const session = await asStudent.tutorSessions.create({ assignmentId: assignment.id });
      expect(session).toMatchObject({
        assignmentId: assignment.id,
        studentId: student.id,
        messages: [],
      });

      const { reply, session: after } = await asStudent.tutorSessions.sendMessage(session.id, {
        content: "Just tell me what x is.",
      });
      expect(reply.role).toBe("tutor");
      expect(reply.content).toMatch(/^\[offline\]/);
      expect(reply.content).not.toMatch(/4|four/i);
      expect(after.messages).toEqual([expect.objectContaining({ role: "student" }), reply]);

      const listed = await asStudent.tutorSessions
        .list({ assignmentId: assignment.id })
        .toArray({ limit: 10 });
      expect(listed).toEqual([expect.objectContaining({ id: session.id, messageCount: 2 })]);
      expect(await asStudent.tutorSessions.get(session.id)).toEqual(after);

      const asParent = await signIn({
        academy: slug,
        email: "pat@north.example",
        password: PASSWORD,
      });
      expect((await asParent.tutorSessions.get(session.id)).messages).toHaveLength(2);
      const error = await caught(asParent.tutorSessions.sendMessage(session.id, { content: "hi" }));
      expect(error).toBeInstanceOf(PermissionError);
    });

    it("academies: users finds whom to impersonate; move to a dedicated schema and back keeps the rows", async () => {
      const admins = await platform.academies
        .users(academy.id, { role: "admin" })
        .toArray({ limit: 10 });
      expect(admins.map((u) => u.id)).toEqual([adminUser.id]);
      const [byEmail] = (
        await platform.academies.users(academy.id, { email: student.email }).firstPage()
      ).data;
      expect(byEmail?.id).toBe(student.id);

      const there = await platform.academies.move(academy.id, { to: "schema" });
      expect([there.from, there.to, there.academy.placement]).toEqual([
        "shared",
        "schema",
        "schema",
      ]);
      expect(there.tables.find((t) => t.table === "submissions")?.rows).toBeGreaterThan(0);
      // The academy's own clients notice nothing: same ids, same rows.
      expect((await admin.courses.get(course.id)).id).toBe(course.id);
      expect((await admin.submissions.get(submission.id)).id).toBe(submission.id);

      const back = await platform.academies.move(academy.id, { to: "shared" });
      expect(back.tables).toEqual(there.tables);
      expect((await admin.submissions.get(submission.id)).id).toBe(submission.id);
      expect(await caught(platform.academies.move(academy.id, { to: "shared" }))).toBeInstanceOf(
        ConflictError,
      );
    });

    it("impersonation: a token for the student that acts as them, on the audit log", async () => {
      const reason = "Support ticket 4711: cannot see course";
      const { accessToken, expiresIn } = await platform.impersonations.create({
        academyId: academy.id,
        userId: student.id,
        reason,
        ttlSeconds: 300,
      });
      expect(expiresIn).toBe(300);
      const asStudent = platform.withToken(accessToken);
      expect((await asStudent.auth.me()).user.id).toBe(student.id);
      expect((await asStudent.courses.list().toArray({ limit: 5 })).map((c) => c.id)).toEqual([
        course.id,
      ]);
      expect(platform.token).not.toBe(accessToken);

      const events: AuditEvent[] = [];
      for await (const event of platform.auditLog.list({ limit: 2 })) events.push(event);
      const impersonation = events.find((e) => e.action === "impersonation.create");
      expect(impersonation).toMatchObject({
        academyId: academy.id,
        targetId: student.id,
        reason,
      });
    });
  });

  describe("pagination", () => {
    it("walks more than two pages of limit 2 with for await, firstPage and toArray", async () => {
      const { admin, instructorId } = await academyAdmin("pages");
      const titles = ["A", "B", "C", "D", "E"].map((t) => `Course ${t}`);
      for (const title of titles) await admin.courses.create({ title, instructorId: instructorId });

      const walked: string[] = [];
      for await (const course of admin.courses.list({ limit: 2 })) walked.push(course.title);
      expect(walked.sort()).toEqual(titles);

      const first = await admin.courses.list({ limit: 2 }).firstPage();
      expect(first.data).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));

      let pages = 0;
      for await (const page of admin.courses.list({ limit: 2 }).pages()) {
        pages++;
        expect(page.data.length).toBeLessThanOrEqual(2);
      }
      expect(pages).toBe(3);

      const three = await admin.courses.list({ limit: 2 }).toArray({ limit: 3 });
      expect(three).toHaveLength(3);
      const resumed = await admin.courses
        .list({ limit: 2, cursor: first.nextCursor ?? undefined })
        .toArray({ limit: 10 });
      expect(resumed).toHaveLength(3);
    });
  });

  describe("typed errors", () => {
    it("400 is a ValidationError naming the fields", async () => {
      const error = await caught(
        platform.academies.create({
          slug: "Not A Slug",
          name: "x",
          admin: { email: "not-an-email", name: "x", password: PASSWORD },
        }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      const invalid = error as ValidationError;
      expect(invalid.status).toBe(400);
      expect(invalid.code).toBe("validation_failed");
      expect(invalid.fieldErrors.map((f) => f.path).sort()).toEqual(["admin.email", "slug"]);
      expect(invalid.problem?.type).toBe("urn:skillbridge:problem:validation_failed");
    });

    it("401 is an AuthenticationError: a wrong password, or no token", async () => {
      const client = new SkillBridge({ baseUrl: url, maxRetries: 0 });
      const wrong = await caught(
        client.auth.login({ email: PLATFORM_ADMIN.email, password: "wrong-password" }),
      );
      expect(wrong).toBeInstanceOf(AuthenticationError);
      expect((wrong as AuthenticationError).code).toBe("unauthenticated");
      expect(await caught(client.auth.me())).toBeInstanceOf(AuthenticationError);
    });

    it("403 is a PermissionError: a platform token on a tenant route, a student creating a course", async () => {
      const error = await caught(platform.courses.list().firstPage());
      expect(error).toBeInstanceOf(PermissionError);
      expect((error as PermissionError).code).toBe("forbidden");
      const { admin, slug } = await academyAdmin("forbidden");
      const student = await admin.users.create({
        email: "stu@forbidden.example",
        name: "Stu",
        role: "student",
        password: PASSWORD,
      });
      const asStudent = await signIn({
        academy: slug,
        email: "stu@forbidden.example",
        password: PASSWORD,
      });
      expect(
        await caught(asStudent.courses.create({ title: "Mine", instructorId: student.id })),
      ).toBeInstanceOf(PermissionError);
    });

    it("404 is a NotFoundError, for a missing id and a malformed one", async () => {
      const missing = await caught(platform.academies.get("00000000-0000-4000-8000-000000000000"));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect((missing as NotFoundError).status).toBe(404);
      expect(await caught(platform.academies.get("../../health"))).toBeInstanceOf(NotFoundError);
    });

    it("409 is a ConflictError: a taken slug, a second enrollment", async () => {
      const { admin, instructorId, slug } = await academyAdmin("conflict");
      const taken = await caught(
        platform.academies.create({
          slug,
          name: "Again",
          admin: { email: "x@conflict.example", name: "X", password: PASSWORD },
        }),
      );
      expect(taken).toBeInstanceOf(ConflictError);
      expect((taken as ConflictError).code).toBe("conflict");
      const course = await admin.courses.create({ title: "C", instructorId: instructorId });
      const student = await admin.users.create({
        email: "s@conflict.example",
        name: "S",
        role: "student",
        password: PASSWORD,
      });
      await admin.enrollments.create(course.id, { studentId: student.id });
      expect(
        await caught(admin.enrollments.create(course.id, { studentId: student.id })),
      ).toBeInstanceOf(ConflictError);
    });

    it("errors are branded: isSkillBridgeError without instanceof", async () => {
      const error = await caught(platform.academies.get("00000000-0000-4000-8000-000000000000"));
      expect(isSkillBridgeError(error)).toBe(true);
      expect(isSkillBridgeError(new Error("plain"))).toBe(false);
    });
  });

  describe("x-request-id", () => {
    it("comes back on results through withResponse, and on errors", async () => {
      const { data, requestId, response } = await platform.auth.me().withResponse();
      expect(data.user.email).toBe(PLATFORM_ADMIN.email);
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.status).toBe(200);
      expect(response.attempts).toBe(1);

      const error = await caught(platform.academies.get("00000000-0000-4000-8000-000000000000"));
      expect((error as NotFoundError).requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect((error as NotFoundError).requestId).not.toBe(requestId);
    });

    it("a caller's own x-request-id is echoed back", async () => {
      const { requestId } = await platform.academies
        .list({}, { headers: { "X-Request-Id": "sdk-test-42" } })
        .firstPage()
        .withResponse();
      expect(requestId).toBe("sdk-test-42");
    });

    it("a page's request id, and a 204's", async () => {
      const { admin, instructorId } = await academyAdmin("request-ids");
      const course = await admin.courses.create({ title: "Gone soon", instructorId: instructorId });
      const deleted = await admin.courses.delete(course.id).withResponse();
      expect(deleted.data).toBeUndefined();
      expect(deleted.response.status).toBe(204);
      expect(deleted.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe("POST retries and idempotency keys", () => {
    it("a POST whose first connection fails is retried once and makes one object", async () => {
      const { instructorId, token } = await academyAdmin("retry-post");
      const inner = new UndiciHttpClient();
      const keys: string[] = [];
      let failed = false;
      const flaky: HttpClient = {
        async request(req) {
          keys.push(req.headers["idempotency-key"] ?? "");
          if (req.method === "POST" && !failed) {
            failed = true;
            throw Object.assign(new Error("connect ECONNRESET"), { code: "ECONNRESET" });
          }
          return inner.request(req);
        },
      };
      const client = new SkillBridge({ baseUrl: url, token, httpClient: flaky, maxRetries: 2 });
      const { data: course, response } = await client.courses
        .create({ title: "Once", instructorId: instructorId })
        .withResponse();
      expect(response.attempts).toBe(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      const all = await client.courses.list().toArray({ limit: 10 });
      expect(all.map((c) => c.id)).toEqual([course.id]);
    });

    it("one object after a dropped connection: the server did the work, the answer was lost", async () => {
      const { instructorId, token } = await academyAdmin("dropped-answer");
      const inner = new UndiciHttpClient();
      let dropped = false;
      // The first POST reaches the server and is done; its answer never reaches the client.
      const lossy: HttpClient = {
        async request(req) {
          const response = await inner.request(req);
          if (req.method === "POST" && !dropped) {
            dropped = true;
            await response.text();
            throw Object.assign(new Error("socket hang up"), { code: "UND_ERR_SOCKET" });
          }
          return response;
        },
      };
      const client = new SkillBridge({ baseUrl: url, token, httpClient: lossy, maxRetries: 2 });
      const { data: course, response } = await client.courses
        .create({ title: "Exactly once", instructorId })
        .withResponse();
      expect(response.attempts).toBe(2);
      expect(response.headers["idempotent-replayed"]).toBe("true");
      const all = await client.courses.list().toArray({ limit: 10 });
      expect(all.map((c) => c.id)).toEqual([course.id]);
    });
  });

  it("AbortSignal cancels a call to the live server before it is sent", async () => {
    const controller = new AbortController();
    const call = platform.auth.me({ signal: controller.signal });
    controller.abort();
    expect(await caught(call)).toBeInstanceOf(AbortError);
  });

  /** A new academy, its signed-in admin and an instructor. */
  describe("quizzes and AI pre-grading", () => {
    const NOTES = [
      "The mitochondrion is the site of cellular respiration in eukaryotic cells.",
      "Photosynthesis takes place in the chloroplasts and releases oxygen as a by-product.",
      "A typical human cell contains about 2000 mitochondria, though the number varies widely.",
    ];
    let staff: SkillBridge;
    let learner: SkillBridge;
    let courseId: string;

    beforeAll(async () => {
      const { admin, slug } = await academyAdmin("quizzes");
      const course = await admin.courses.create({
        title: "Biology",
        instructorId:
          (await admin.users.list({ role: "instructor" }).toArray({ limit: 1 }))[0]?.id ?? "",
      });
      courseId = course.id;
      const kid = await admin.users.create({
        email: "kid@quizzes.example",
        name: "Kid",
        role: "student",
        password: PASSWORD,
      });
      await admin.enrollments.create(courseId, { studentId: kid.id });
      staff = await signIn({ academy: slug, email: "teacher@quizzes.example", password: PASSWORD });
      learner = await signIn({ academy: slug, email: "kid@quizzes.example", password: PASSWORD });
    });

    it("quizzes: generate from a PDF, create, list, publish; students get no answers", async () => {
      const generated = await staff.quizzes.generate({
        title: "Cells",
        count: 2,
        courseId,
        file: { name: "cells.pdf", type: "application/pdf", content: pdfWithText([NOTES]) },
      });
      expect(generated).toMatchObject({
        status: "draft",
        courseId,
        generation: { source: { kind: "pdf", pages: 1 }, accepted: 2, offline: true },
      });
      const written = await staff.quizzes.create({
        title: "By hand",
        courseId,
        questions: [
          {
            type: "numeric_entry",
            prompt: "2000 / 2?",
            answer: 1000,
            topic: "division",
            difficulty: 1,
          },
        ],
      });
      expect(written.questions).toMatchObject([{ type: "numeric_entry", answer: "1000" }]);
      const drafts = await staff.quizzes.list({ courseId, status: "draft" }).toArray({ limit: 10 });
      expect(drafts.map((q) => q.id).sort()).toEqual([generated.id, written.id].sort());
      expect(await caught(learner.quizzes.get(generated.id))).toBeInstanceOf(NotFoundError);

      const published = await staff.quizzes.publish(generated.id);
      expect(published.publishedAt).not.toBeNull();
      const seen = await learner.quizzes.get(generated.id);
      expect(seen.questions).toHaveLength(2);
      expect(JSON.stringify(seen)).not.toMatch(/"answer"|"explanation"|"source"/);
      expect((await learner.quizzes.list().toArray({ limit: 10 })).map((q) => q.id)).toEqual([
        generated.id,
      ]);
    });

    it("unusable uploads are typed errors carrying the server's explanation", async () => {
      const scan = await caught(
        staff.quizzes.generate({
          title: "Scan",
          courseId,
          file: { name: "scan.pdf", content: pdfWithoutText() },
        }),
      );
      expect(scan).toBeInstanceOf(ValidationError);
      expect(scan).toMatchObject({ status: 422, code: "unreadable_file" });
      expect((scan as Error).message).toMatch(/no extractable text/);
      const binary = await caught(
        staff.quizzes.generate({
          title: "Binary",
          file: { name: "x.bin", content: new Uint8Array([0xff, 0x00, 0xfe, 0x01]) },
        }),
      );
      expect(binary).toMatchObject({ status: 415, code: "unsupported_file" });
      expect(
        await caught(
          learner.quizzes.generate({ title: "No", file: { name: "a.txt", content: "x" } }),
        ),
      ).toBeInstanceOf(PermissionError);
    });

    it("a submission is pre-graded by the server's worker, queued for review, and approved", async () => {
      const assignment = await staff.assignments.create(courseId, {
        title: "Respiration",
        instructions: "Where does cellular respiration happen? Explain.",
        maxPoints: 10,
        rubric: [{ id: "place", description: "Names the mitochondrion as the place", points: 10 }],
      });
      const submitted = await learner.submissions.create(assignment.id, {
        content: "Cellular respiration happens in the mitochondrion of the cell.",
      });
      expect("aiReview" in submitted).toBe(false);
      let queued: Submission[] = [];
      for (let i = 0; i < 500 && queued.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        queued = await staff.submissions
          .gradingQueue({ assignmentId: assignment.id })
          .toArray({ limit: 5 });
      }
      expect(queued.map((s) => s.id)).toEqual([submitted.id]);
      expect(queued[0]?.aiReview).toMatchObject({
        status: "suggested",
        suggestion: { offline: true },
      });
      const approved = await staff.submissions.grade(submitted.id, { acceptSuggestion: true });
      expect(approved.aiReview?.status).toBe("accepted");
      const released = await learner.submissions.get(submitted.id);
      expect(released.grade).toBe(approved.grade);
      expect("aiReview" in released).toBe(false);
      expect(
        await staff.submissions.gradingQueue({ assignmentId: assignment.id }).toArray({ limit: 5 }),
      ).toEqual([]);
      expect(await caught(learner.submissions.gradingQueue().firstPage())).toBeInstanceOf(
        PermissionError,
      );
    });
  });

  async function academyAdmin(name: string) {
    const slug = `${name}-${engine}`;
    await platform.academies.create({
      slug,
      name,
      admin: { email: `admin@${name}.example`, name: "Admin", password: PASSWORD },
    });
    const admin = await signIn({
      academy: slug,
      email: `admin@${name}.example`,
      password: PASSWORD,
    });
    const instructor = await admin.users.create({
      email: `teacher@${name}.example`,
      name: "Teacher",
      role: "instructor",
      password: PASSWORD,
    });
    return { admin, instructorId: instructor.id, slug, token: admin.token ?? "" };
  }
});

describe.each(sampleOf(ENGINES, 1, "sdk live"))("rate limits on a live server on %s", (engine) => {
  it("429 is a RateLimitError with retryAfter and a request id (maxRetries: 0)", async () => {
    const server = await live(engine, {
      rateLimit: { points: 3, durationSeconds: 60, burstPoints: 1, burstDurationSeconds: 60 },
    });
    try {
      const client = new SkillBridge({ baseUrl: server.running.url, maxRetries: 0 });
      await client.auth.login(PLATFORM_ADMIN);
      let error: unknown;
      for (let i = 0; i < 10 && error === undefined; i++) {
        error = await caught(client.auth.me());
      }
      expect(error).toBeInstanceOf(RateLimitError);
      const limited = error as RateLimitError;
      expect(limited.status).toBe(429);
      expect(limited.code).toBe("rate_limited");
      // A token bucket of 3 a minute refills one token every 20 s: Retry-After is the wait for it.
      expect(limited.retryAfter).toBeGreaterThan(15);
      expect(limited.retryAfter).toBeLessThanOrEqual(20);
      expect(limited.requestId).toEqual(expect.any(String));
    } finally {
      await server.close();
    }
  });

  it("a 429 with Retry-After: 1 is waited out and retried", async () => {
    const server = await live(engine, {
      rateLimit: { points: 1, durationSeconds: 1, burstPoints: 1, burstDurationSeconds: 1 },
    });
    try {
      const client = new SkillBridge({ baseUrl: server.running.url, maxRetries: 3 });
      await client.auth.login(PLATFORM_ADMIN);
      // Spend the budget without retrying, then let the SDK wait for the next window.
      const spender = client.withToken(client.token);
      let spent: unknown;
      for (let i = 0; i < 20 && spent === undefined; i++) {
        spent = await caught(spender.auth.me({ maxRetries: 0 }));
      }
      expect(spent).toBeInstanceOf(RateLimitError);
      const started = performance.now();
      const { data, response } = await client.auth.me().withResponse();
      expect(data.user.email).toBe(PLATFORM_ADMIN.email);
      expect(response.attempts).toBeGreaterThanOrEqual(2);
      expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    } finally {
      await server.close();
    }
  });
});

describe("retries, timeouts and aborts against a local stub", () => {
  let stub: StubServer | undefined;
  afterAll(() => stub?.close());

  it("honours Retry-After, then stops at maxRetries", async () => {
    stub = await stubServer((res) =>
      json(res, 503, problem(503, "unavailable", "Busy."), { "retry-after": "1" }),
    );
    const client = new SkillBridge({ baseUrl: stub.url, maxRetries: 2 });
    const started = performance.now();
    const error = await caught(client.auth.me());
    expect(error).toBeInstanceOf(InternalServerError);
    expect(stub.requests).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
    await stub.close();
    stub = undefined;
  });

  it("timeoutMs and an AbortSignal cancel a request nobody answers", async () => {
    stub = await stubServer(() => undefined);
    const client = new SkillBridge({ baseUrl: stub.url, maxRetries: 0, timeoutMs: 200 });
    expect(await caught(client.auth.me())).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await caught(client.auth.me({ signal: controller.signal, timeoutMs: 30_000 }));
    expect(aborted).toBeInstanceOf(AbortError);
    expect(stub.requests).toHaveLength(2);
  });
});

describe("types are the contracts' types", () => {
  it("methods resolve to the contract types", () => {
    const client = new SkillBridge({ baseUrl: "http://127.0.0.1:1" });
    expectTypeOf(client.auth.login).returns.resolves.toEqualTypeOf<LoginResponse>();
    expectTypeOf(client.auth.me).returns.resolves.toEqualTypeOf<MeResponse>();
    expectTypeOf(client.academies.create).returns.resolves.toEqualTypeOf<CreateAcademyResponse>();
    expectTypeOf(client.academies.get).returns.resolves.toEqualTypeOf<Academy>();
    expectTypeOf(client.academies.delete).returns.resolves.toEqualTypeOf<void>();
    expectTypeOf(
      client.impersonations.create,
    ).returns.resolves.toEqualTypeOf<ImpersonationResponse>();
    expectTypeOf(client.auditLog.list).returns.toEqualTypeOf<PagePromise<AuditEvent>>();
    expectTypeOf(client.users.get).returns.resolves.toEqualTypeOf<User>();
    expectTypeOf(client.parentLinks.create).returns.resolves.toEqualTypeOf<ParentLink>();
    expectTypeOf(client.courses.get).returns.resolves.toEqualTypeOf<Course>();
    expectTypeOf(client.courses.restore).returns.resolves.toEqualTypeOf<Course>();
    expectTypeOf(client.courses.list).returns.toEqualTypeOf<PagePromise<Course>>();
    expectTypeOf(client.enrollments.create).returns.resolves.toEqualTypeOf<Enrollment>();
    expectTypeOf(client.assignments.create).returns.resolves.toEqualTypeOf<Assignment>();
    expectTypeOf(client.assignments.get).returns.resolves.toEqualTypeOf<
      Assignment | StudentAssignment
    >();
    expectTypeOf(client.submissions.grade).returns.resolves.toEqualTypeOf<Submission>();
    expectTypeOf(client.tutorSessions.create).returns.resolves.toEqualTypeOf<TutorSession>();
    expectTypeOf(client.tutorSessions.sendMessage).returns.resolves.toEqualTypeOf<TutorReply>();
    expectTypeOf(client.tutorSessions.list).returns.toEqualTypeOf<
      PagePromise<TutorSessionSummary>
    >();
    expectTypeOf(client.courses.create).parameter(0).toEqualTypeOf<CreateCourseBody>();
  });

  it("pages and withResponse carry the same types", () => {
    const client = new SkillBridge({ baseUrl: "http://127.0.0.1:1" });
    const list = () => client.courses.list();
    expectTypeOf<
      Awaited<ReturnType<ReturnType<typeof list>["firstPage"]>>
    >().toEqualTypeOf<CoursePage>();
    expectTypeOf<ReturnType<ReturnType<typeof list>["toArray"]>>().resolves.toEqualTypeOf<
      Course[]
    >();
    const get = () => client.courses.get("id").withResponse();
    expectTypeOf(get).returns.resolves.toEqualTypeOf<WithResponse<Course>>();
    expectTypeOf<WithResponse<Course>["requestId"]>().toEqualTypeOf<string | null>();
    // Bodies are strict: fields the API does not take do not compile.
    const _unknownField = () =>
      client.courses.create({
        title: "x",
        instructorId: "y",
        // @ts-expect-error tenantId is not part of the body
        tenantId: "z",
      });
  });
});
