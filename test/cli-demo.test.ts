import { afterEach, beforeEach, describe, expect } from "vitest";
import {
  type CliRun,
  type EmbeddedWorld,
  ENGINES,
  embeddedWorld,
  runCli,
} from "../packages/cli/test/support/cli-session.js";
import { dealtTests } from "../packages/core/test/support/sampling.js";

// `skillbridge demo --json` on the embedded mode and against a remote server:
// the JSON is what each role received from the API, so it shows the filtering.
// The command runs in-process through `main` (test/cli.test.ts covers the
// built binary's exit codes, signals and pipes); its embedded server hashes
// passwords at a test's cost, the one thing that differs from the binary.

interface View {
  as: { id: string; email: string };
  courses: { id: string; title: string; instructorId: string }[];
  users: { id: string; email: string; role: string }[];
  assignments: { id: string; courseId: string; referenceAnswer?: string | null }[];
  submissions: { id: string; studentId: string; assignmentId: string }[];
  quizzes: { id: string; title: string; status: string }[];
  quizSubmissions: { id: string; studentId: string; score: number; maxScore: number }[];
  tutorSessions: { id: string; studentId: string; assignmentId: string }[];
  practiceSets: {
    id: string;
    studentId: string;
    answered: number;
    items: { answered: boolean; answer?: unknown }[];
  }[];
  mockExams: {
    id: string;
    studentId: string;
    status: string;
    report: {
      sections: {
        section: string;
        route: string;
        estimatedScore: { low: number; high: number; estimate: boolean };
      }[];
    } | null;
  }[];
}

describe.each(ENGINES)("skillbridge demo on %s", (engine) => {
  // Each test runs on one engine per run, the engines alternating (core/test/support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli demo");
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });
  const demo = (args: string[] = [], env: Record<string, string> = {}): Promise<CliRun> =>
    runCli(["demo", "--json", ...args], { ...world.env, ...env });

  it("shows admin every submission, the instructor their courses', the student their own, the parent the linked child's; a second run reuses the academy", async () => {
    const first = await demo();
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    const result = JSON.parse(first.out) as {
      academy: { id: string; slug: string };
      views: Record<string, View>;
    };
    expect(result.academy.slug).toBe("demo-academy");
    expect(Object.keys(result.views).sort()).toEqual(["admin", "instructor", "parent", "student"]);
    const { admin, instructor, student, parent } = result.views as Record<string, View>;
    if (!admin || !instructor || !student || !parent) throw new Error("a view is missing");

    const everything = admin.submissions;
    expect(everything.length).toBe(7);
    const courseOf = new Map(admin.assignments.map((a) => [a.id, a.courseId]));
    const teacherOf = new Map(admin.courses.map((c) => [c.id, c.instructorId]));
    const taught = everything.filter(
      (s) => teacherOf.get(courseOf.get(s.assignmentId) ?? "") === instructor.as.id,
    );
    expect(instructor.submissions.map((s) => s.id).sort()).toEqual(taught.map((s) => s.id).sort());
    expect(taught.length).toBeLessThan(everything.length);

    const own = everything.filter((s) => s.studentId === student.as.id);
    expect(own.length).toBeGreaterThan(0);
    expect(student.submissions.map((s) => s.id).sort()).toEqual(own.map((s) => s.id).sort());

    const child = parent.users.find((u) => u.role === "student");
    expect(parent.users.filter((u) => u.role === "student")).toHaveLength(1);
    expect(parent.submissions.map((s) => s.id).sort()).toEqual(
      everything
        .filter((s) => s.studentId === child?.id)
        .map((s) => s.id)
        .sort(),
    );
    // Tutor sessions follow the same lines: the student's own, the linked child's, the taught courses'.
    const sessions = admin.tutorSessions;
    expect(sessions.length).toBe(3);
    const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();
    expect(ids(student.tutorSessions)).toEqual(
      ids(sessions.filter((t) => t.studentId === student.as.id)),
    );
    expect(ids(parent.tutorSessions)).toEqual(
      ids(sessions.filter((t) => t.studentId === child?.id)),
    );
    const taughtSessions = sessions.filter(
      (t) => teacherOf.get(courseOf.get(t.assignmentId) ?? "") === instructor.as.id,
    );
    expect(ids(instructor.tutorSessions)).toEqual(ids(taughtSessions));
    expect(taughtSessions.length).toBeLessThan(sessions.length);
    // The published quiz reaches its course's people.
    for (const view of [admin, instructor, student, parent]) {
      expect(view.quizzes.map((q) => [q.title, q.status])).toEqual([
        ["SAT Math checkpoint", "published"],
      ]);
    }

    // The quiz's submissions, scored by the server: Kim's "4/2" is the numeric answer 2.
    const scoreOf = (view: View) =>
      Object.fromEntries(
        view.quizSubmissions.map((x) => [
          admin.users.find((u) => u.id === x.studentId)?.email.split(".")[0],
          `${x.score}/${x.maxScore}`,
        ]),
      );
    expect(scoreOf(admin)).toEqual({ sam: "2/3", kim: "3/3", ana: "0/3" });
    expect(scoreOf(instructor)).toEqual(scoreOf(admin));
    expect(scoreOf(student)).toEqual({ sam: "2/3" });
    expect(scoreOf(parent)).toEqual({ sam: "2/3" });

    // Sam's practice on the shared bank: a practice set part way, a short SAT mock exam's report;
    // seen by Sam, the linked parent, Sam's instructor and the admin alike.
    for (const view of [admin, instructor, student, parent]) {
      expect(view.practiceSets.map((p) => [p.studentId, p.answered])).toEqual([[student.as.id, 3]]);
      expect(view.mockExams.map((e) => [e.studentId, e.status])).toEqual([
        [student.as.id, "finished"],
      ]);
    }
    const report = student.mockExams[0]?.report;
    expect(report?.sections.map((x) => [x.section, x.route])).toEqual([
      ["reading_writing", "harder"],
      ["math", "easier"],
    ]);
    for (const x of report?.sections ?? []) {
      expect(x.estimatedScore.estimate).toBe(true);
      expect(x.estimatedScore.low).toBeGreaterThanOrEqual(200);
      expect(x.estimatedScore.high).toBeLessThanOrEqual(800);
    }
    // The student sees the keys of answered items only.
    for (const item of student.practiceSets[0]?.items ?? [])
      expect(Object.hasOwn(item, "answer")).toBe(item.answered);

    // Learners never receive an assignment's reference answer.
    for (const view of [student, parent]) {
      for (const a of view.assignments) expect(Object.hasOwn(a, "referenceAnswer")).toBe(false);
    }

    const second = await demo(["--role", "student"]);
    expect(second.code).toBe(0);
    const again = JSON.parse(second.out);
    expect(again.academy.id).toBe(result.academy.id);
    expect(Object.keys(again.views)).toEqual(["student"]);
    expect(again.views.student.submissions.length).toBe(student.submissions.length);
    expect(again.views.student.quizSubmissions.length).toBe(1);
    expect(again.views.student.tutorSessions.length).toBe(1);
    expect(again.views.student.practiceSets.length).toBe(1);
    expect(again.views.student.mockExams.length).toBe(1);
  }, 600_000);

  it("runs against a remote server with a platform admin's token", async () => {
    const init = await runCli(
      ["init", "--admin-email", "root@remote.example", "--admin-password", "remote-root-password"],
      world.env,
    );
    expect(init.code, init.err).toBe(0);
    // The embedded server of an in-process session, listening on loopback, is the remote server.
    const server = world.session();
    try {
      const { apiUrl: url } = await server.connect();
      if (!url) throw new Error("expected the embedded server's URL");
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "root@remote.example", password: "remote-root-password" }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const remote = { SKILLBRIDGE_API_URL: url, SKILLBRIDGE_TOKEN: accessToken };

      const run = await demo(["--role", "parent"], remote);
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      const result = JSON.parse(run.out) as {
        academy: { slug: string };
        views: Record<string, View>;
      };
      expect(result.academy.slug).toBe("demo-academy");
      const parent = result.views.parent;
      expect(parent?.users.filter((u) => u.role === "student").map((u) => u.email)).toEqual([
        "sam.student@demo.skillbridge.invalid",
      ]);

      // A token that is not a platform admin's is told what the demo needs.
      const refused = await demo([], { ...remote, SKILLBRIDGE_TOKEN: "not-a-token" });
      expect(refused.code).toBe(1);
      expect(refused.out).toBe("");
    } finally {
      await server.close();
    }
  }, 600_000);
});
