import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackWorld, type Caller, createAttackWorld } from "./support/attack-world.js";
import { reliabilityEnv } from "./support/env.js";
import { type Attack, runAttack } from "./support/judge.js";
import { createTally } from "./support/tally.js";

// The learning loop attacked from inside one academy, over a socket
// (docs/security.md, promises 19 and 20; #18 findings 6 and 9):
// - an instructor reading aggregates over a student they share with another
//   instructor (summary, study plan, weak spots, XP, the course's weak spots)
//   to learn that other course's grades, quiz results or titles (API3);
// - a student hunting a quiz's answer key by resubmitting, one option at a
//   time and all at once, and reading per-question verdicts the quiz's
//   policy withholds, themself and through their parent (API6).
// Every response is also judged as any attack is (ids of B, hidden rows,
// secrets, answer keys to learners).

reliabilityEnv();
const tally = createTally("attacks-learning");
let world: AttackWorld;

beforeAll(async () => {
  world = await createAttackWorld();
});
afterAll(async () => {
  tally.save();
  await world?.close();
});

/**
 * Sends every attack; `secrets` are texts the caller must never receive, and
 * `verdicts` names keys it must never receive (a per-question `correct`).
 * Fails with all breaches at once; a breach counts as a leak.
 */
async function expectAllRefused(
  attacks: readonly Attack[],
  never: { readonly secrets?: readonly string[]; readonly keys?: readonly string[] } = {},
): Promise<void> {
  const failures: string[] = [];
  for (const attack of attacks) {
    const verdict = await runAttack(world, tally, attack);
    const label = `${attack.caller.name}: ${attack.method} ${attack.path}`;
    const extra: string[] = [];
    const text = verdict.response.text.toLowerCase();
    for (const secret of never.secrets ?? [])
      if (text.includes(secret.toLowerCase())) extra.push(`shows "${secret}"`);
    for (const key of never.keys ?? []) if (text.includes(`"${key}"`)) extra.push(`carries ${key}`);
    if (extra.length > 0 && verdict.leaks.length === 0) tally.leaks += 1;
    for (const leak of [...verdict.leaks, ...extra]) failures.push(`LEAK ${label}: ${leak}`);
    for (const problem of verdict.problems) failures.push(`${label}: ${problem}`);
  }
  expect(failures).toEqual([]);
}

const api = (path: string) => `/api/v1${path}`;

async function signIn(key: string): Promise<string> {
  const res = await world.http.request("POST", api("/auth/login"), {
    body: { academy: "north", email: `${key}@example.com`, password: `password-${key}-1` },
  });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

describe("aggregates over a student shared by two instructors (finding 6)", () => {
  // s3 is in c1 ("SAT Math", i1's, the attacker's) and c2 ("GRE Verbal", i2's).
  const C2_SECRETS = ["GRE Verbal", "Synonyms", "Vocabulary drill", "2 / 10"];

  beforeAll(async () => {
    const { A } = world;
    const s3 = await signIn("s3");
    const i2 = await signIn("i2");
    const sub = await world.http.request(
      "POST",
      api(`/assignments/${A.assignments.a2}/submissions`),
      {
        token: s3,
        body: { content: "Lucid, limpid, pellucid." },
      },
    );
    expect(sub.status).toBe(201);
    const graded = await world.http.request("PATCH", api(`/submissions/${sub.body.id}/grade`), {
      token: i2,
      body: { grade: 2 },
    });
    expect(graded.status).toBe(200);
    const quiz = await world.http.request("POST", api("/quizzes"), {
      token: i2,
      body: {
        title: "Vocabulary drill",
        courseId: A.courses.c2,
        questions: [
          {
            type: "multiple_choice",
            prompt: "Closest in meaning to lucid?",
            options: [
              { id: "A", text: "clear" },
              { id: "B", text: "murky" },
            ],
            answer: "A",
            topic: "vocabulary",
            difficulty: 2,
          },
        ],
      },
    });
    expect(quiz.status).toBe(201);
    await world.http.request("PATCH", api(`/quizzes/${quiz.body.id}`), {
      token: i2,
      body: { status: "published" },
    });
    for (let i = 0; i < 3; i += 1) {
      const wrong = await world.http.request("POST", api(`/quizzes/${quiz.body.id}/submissions`), {
        token: s3,
        body: { answers: [{ questionId: quiz.body.questions[0].id, answer: "B" }] },
      });
      expect(wrong.status).toBe(201);
    }
  });

  it("i1's summary, study plan, weak spots and XP of s3, and c1's weak spots, show nothing of c2", async () => {
    const { A } = world;
    const caller = world.callers.instructor;
    const paths = [
      `/students/${A.users.s3}/summary`,
      `/students/${A.users.s3}/study-plan`,
      `/students/${A.users.s3}/weak-spots`,
      `/students/${A.users.s3}/gamification`,
      `/courses/${A.courses.c1}/weak-spots`,
    ];
    await expectAllRefused(
      paths.map((path) => ({ caller, method: "get", path: api(path), expect: [200] })),
      { secrets: C2_SECRETS, keys: ["answer", "explanation"] },
    );
  });

  it("the control: the admin's summary of s3 does show c2's grade and quiz", async () => {
    const res = await world.http.request("GET", api(`/students/${world.A.users.s3}/summary`), {
      token: world.callers.admin.token,
    });
    expect(res.text).toContain("Synonyms (GRE Verbal)");
    expect(res.text).toContain("2 / 10");
    expect(res.text).toContain("Vocabulary drill");
  });
});

describe("hunting a quiz's answer key (finding 9)", () => {
  const OPTIONS = ["A", "B", "C", "D"];

  /** A published quiz on c1 (s1's course; p is s1's parent) with one four-option question. */
  async function quiz(policy: Record<string, unknown>) {
    const i1 = world.callers.instructor.token;
    const created = await world.http.request("POST", api("/quizzes"), {
      token: i1,
      body: {
        title: "Key hunt",
        courseId: world.A.courses.c1,
        ...policy,
        questions: [
          {
            type: "multiple_choice",
            prompt: "Which value solves 5x = 35?",
            options: OPTIONS.map((id, i) => ({ id, text: String(i + 6) })),
            answer: "B",
            explanation: "Divide by five.",
            topic: "algebra",
            difficulty: 2,
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const published = await world.http.request("PATCH", api(`/quizzes/${created.body.id}`), {
      token: i1,
      body: { status: "published" },
    });
    expect(published.status).toBe(200);
    return { id: created.body.id as string, questionId: created.body.questions[0].id as string };
  }
  const guess = (q: { id: string; questionId: string }, answer: string): Attack => ({
    caller: world.callers.student,
    method: "post",
    path: api(`/quizzes/${q.id}/submissions`),
    request: { body: { answers: [{ questionId: q.questionId, answer }] } },
    expect: [409],
  });

  it("one option per resubmission: the first is scored without verdicts, every later one is 409 attempts_exhausted", async () => {
    const q = await quiz({ allowedAttempts: 1, results: "score_only" });
    const [first, ...rest] = OPTIONS.map((option) => guess(q, option));
    await expectAllRefused([{ ...(first as Attack), expect: [201] }], { keys: ["correct"] });
    await expectAllRefused(rest, { keys: ["correct"] });
  });

  it("all options at once: exactly one submission is taken", async () => {
    const q = await quiz({ allowedAttempts: 1, results: "score_only" });
    const answers = await Promise.all(
      OPTIONS.map((option) =>
        world.http.request("POST", api(`/quizzes/${q.id}/submissions`), {
          token: world.callers.student.token,
          body: { answers: [{ questionId: q.questionId, answer: option }] },
        }),
      ),
    );
    tally.attacks += 1;
    tally.requests += answers.length;
    const statuses = answers.map((a) => a.status).sort();
    if (statuses.filter((s) => s === 201).length !== 1) tally.leaks += 1;
    expect(statuses).toEqual([201, 409, 409, 409]);
  });

  it("the verdicts the policy withholds reach neither the student nor their parent, by any read", async () => {
    const q = await quiz({ allowedAttempts: 2, results: "after_last_attempt" });
    const posted = await world.http.request("POST", api(`/quizzes/${q.id}/submissions`), {
      token: world.callers.student.token,
      body: { answers: [{ questionId: q.questionId, answer: "A" }] },
    });
    expect(posted.status).toBe(201);
    const reads: Attack[] = [];
    for (const caller of [world.callers.student, world.callers.parent] as Caller[]) {
      for (const path of [
        `/quiz-submissions/${posted.body.id}`,
        `/quiz-submissions?quizId=${q.id}`,
        `/students/${world.A.users.s1}/summary`,
        `/quizzes/${q.id}`,
      ])
        reads.push({ caller, method: "get", path: api(path), expect: [200] });
    }
    await expectAllRefused(reads, { keys: ["correct", "answer", "explanation"] });
  });
});
