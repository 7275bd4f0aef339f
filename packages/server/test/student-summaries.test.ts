import { GroqProvider, withTenant } from "@skillbridge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import {
  completion,
  type FakeGroq,
  type GroqCall,
  startGroqServer,
} from "../../core/test/support/groq-server.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Weekly parent summaries through the HTTP API. The model is a local
// Groq-speaking server reached through groq-sdk; it tries to name the
// student's look-alike classmates (by full name, by surname, by email) in
// every way but one. Whatever it writes, the summary a parent reads names
// no other user of the academy, and the facts (and the prompt) are the
// student's alone.

const SUBJECT = { name: "Marigold Featherstone", email: "marigold.featherstone@example.com" };
const LOOK_ALIKES = [
  { name: "Marigold Fetherston", email: "m.fetherston@example.com" },
  { name: "Zebulon Quartermaine", email: "zebulon.quartermaine@example.com" },
  { name: "Philippa Vandersloot", email: "pvandersloot@example.com" },
] as const;

/** What the fake model writes, by turn: all but the last name someone else. */
const DRAFTS = [
  "Marigold had a good week. Marigold Fetherston did even better on the quiz.",
  "Marigold scored 9 out of 10. Her friend Zebulon Quartermaine helped her study.",
  "Marigold is doing well, ahead of Quartermaine in class.",
  "Marigold did well; ask zebulon.quartermaine@example.com about the group project.",
  "Marigold worked harder than PHILIPPA this week.",
  "Marigold worked with Vander\u200bsloot on geometry.",
  "Marigold had a solid week: 9 out of 10 on Linear equations and a full score on the Warm-up quiz. Keep encouraging daily practice.",
];
const CLEAN = DRAFTS.at(-1) ?? "";

describe.each(ENGINES)("parent summaries (%s)", (engine) => {
  let fake: FakeGroq;
  let groqApp: TestApp;
  let offlineApp: TestApp;
  const worlds = new Map<TestApp, { seed: SeededAcademy; subject: string; parent: string }>();

  async function seedWorld(t: TestApp) {
    const services = fastServices();
    const seed = await seedAcademy(t.db, services, "summaries");
    const admin = seed.actor("admin");
    const ctx = { tenantId: seed.academyId, userId: admin.userId, role: "admin" as const };
    const created = await withTenant(t.db, ctx, async (trx) => {
      const make = async (person: { name: string; email: string }) => {
        const user = await services.users.create(trx, admin, {
          ...person,
          role: "student",
          password: "summary-password-1",
        });
        await services.enrollments.create(trx, admin, seed.courses.c1, { studentId: user.id });
        return user.id;
      };
      const subject = await make(SUBJECT);
      const others = [];
      for (const person of LOOK_ALIKES) others.push(await make(person));
      await services.parentLinks.create(trx, admin, { parentId: seed.users.p, studentId: subject });
      return { subject, others };
    });
    // Their week: the subject 9/10 and a full quiz; each look-alike 3/10 and 0/1.
    const work = async (studentId: string, grade: number, score: number) => {
      const submission = await withTenant(
        t.db,
        { tenantId: seed.academyId, userId: studentId, role: "student" },
        (trx) =>
          services.submissions.create(
            trx,
            { userId: studentId, role: "student" },
            seed.assignments.a1,
            {
              content: "My work this week.",
            },
          ),
      );
      await withTenant(t.db, ctx, async (trx) => {
        await services.submissions.grade(trx, seed.actor("i1"), submission.id, { grade });
        await trx
          .insertInto("quiz_submissions")
          .values({
            quiz_id: seed.quizId,
            student_id: studentId,
            answers: "[]",
            results: "[]",
            score,
            max_score: 1,
          })
          .execute();
        await trx
          .insertInto("tutor_sessions")
          .values({
            assignment_id: seed.assignments.a1,
            student_id: studentId,
            messages: JSON.stringify([
              {
                role: "student",
                content: "Where do I start?",
                createdAt: new Date().toISOString(),
              },
              { role: "tutor", content: "What is asked?", createdAt: new Date().toISOString() },
            ]),
          })
          .execute();
      });
    };
    await work(created.subject, 9, 1);
    for (const other of created.others) await work(other, 3, 0);
    worlds.set(t, {
      seed,
      subject: created.subject,
      parent: await t.login({
        academy: "summaries",
        email: "p@example.com",
        password: "password-p-1",
      }),
    });
  }

  beforeAll(async () => {
    fake = await startGroqServer();
    let turn = 0;
    fake.script = () => completion(DRAFTS[turn++ % DRAFTS.length] ?? "");
    const lots = {
      points: 1_000_000,
      durationSeconds: 60,
      burstPoints: 1_000_000,
      burstDurationSeconds: 10,
    };
    groqApp = await createTestApp(
      engine,
      { rateLimit: lots },
      {
        provider: new GroqProvider({
          apiKey: "gsk_summaries",
          baseURL: fake.url,
          sleep: async () => {},
        }),
      },
    );
    offlineApp = await createTestApp(engine, { rateLimit: lots });
    await seedWorld(groqApp);
    await seedWorld(offlineApp);
  });
  afterAll(async () => {
    await groqApp?.dispose();
    await offlineApp?.dispose();
    await fake?.close();
  });

  /** Every way the text could name someone else (lower case, invisible characters removed). */
  function namesNoOtherUser(text: string) {
    const plain = text.toLowerCase().replace(/[\u200b-\u200d\u2060\ufeff]/g, "");
    for (const other of LOOK_ALIKES) {
      expect(plain).not.toContain(other.email);
      for (const word of other.name.toLowerCase().split(" ")) {
        if (word !== "marigold") expect(plain, word).not.toContain(word);
      }
    }
    for (const word of ["user s2", "user s3", "ada admin", "user i1"])
      expect(plain).not.toContain(word);
  }

  it("a summary names no other student, whatever the model writes; a clean text is kept", async () => {
    const { subject, parent } = worlds.get(groqApp) ?? { subject: "", parent: "" };
    fake.calls.length = 0;
    const checks: string[] = [];
    for (let i = 0; i < DRAFTS.length; i += 1) {
      const res = await groqApp.request("GET", `/api/v1/students/${subject}/summary`, {
        token: parent,
      });
      expect(res.status).toBe(200);
      namesNoOtherUser(res.body.text);
      checks.push(res.body.check);
      if (res.body.check === "passed") {
        expect(res.body).toMatchObject({ text: CLEAN, provider: "groq", offline: false });
      } else {
        expect(res.body).toMatchObject({ provider: "offline", offline: true });
        expect(res.body.text).toMatch(/^\[offline\] Weekly summary for Marigold/);
      }
    }
    expect(checks).toEqual([...Array(DRAFTS.length - 1).fill("fallback"), "passed"]);
    // The model was told only this student's facts: no other name, email or grade in any prompt.
    expect(fake.calls).toHaveLength(DRAFTS.length);
    for (const call of fake.calls as GroqCall[]) {
      const prompt = JSON.stringify(call.body.messages).toLowerCase();
      for (const other of LOOK_ALIKES) {
        expect(prompt).not.toContain(other.email);
        expect(prompt).not.toContain(other.name.split(" ")[1]?.toLowerCase() ?? "?");
      }
      expect(prompt).not.toContain("3 / 10");
      expect(prompt).toContain("9 / 10");
    }
  });

  it("lists the student's own facts of the week beside the text", async () => {
    const { subject, parent } = worlds.get(offlineApp) ?? { subject: "", parent: "" };
    const res = await offlineApp.request("GET", `/api/v1/students/${subject}/summary`, {
      token: parent,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      studentId: subject,
      provider: "offline",
      offline: true,
      check: "template",
    });
    const facts = res.body.facts as { kind: string; label: string; value: string }[];
    expect(facts.filter((f) => f.kind === "grade").map((f) => f.value)).toEqual(["9 / 10"]);
    expect(facts.filter((f) => f.kind === "quiz").map((f) => f.value)).toEqual(["1 / 1"]);
    expect(facts.find((f) => f.kind === "tutor")?.value).toBe("1 message in 1 session");
    expect(facts.find((f) => f.kind === "streak")?.value).toBe("1 day");
    expect(Date.parse(res.body.period.to) - Date.parse(res.body.period.from)).toBe(7 * 86_400_000);
    expect(res.body.text).toContain("Linear equations (SAT Math): 9 / 10");
    namesNoOtherUser(res.body.text);
  });

  it("a parent cannot read an unlinked student's summary, study plan or XP: 404", async () => {
    for (const t of [groqApp, offlineApp]) {
      const { seed, parent } = worlds.get(t) ?? { seed: undefined, parent: "" };
      for (const path of ["summary", "study-plan", "gamification"]) {
        const res = await t.request("GET", `/api/v1/students/${seed?.users.s2}/${path}`, {
          token: parent,
        });
        expect(res.status, path).toBe(404);
        expect(res.body.code).toBe("not_found");
      }
    }
  });
});
