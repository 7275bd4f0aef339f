/**
 * `npm run bench -- --only=practice`: `POST /api/v1/practice-sets/:id/answers`
 * beside `GET /api/v1/courses?limit=20`, through the real server, on a bank
 * of 100,000 questions (`BENCH_PRACTICE_QUESTIONS`; 20,000 with --quick).
 *
 * An answer is stateful (it must name the set's current question, which the
 * previous answer chose), so the load cannot be a fixed request list: each of
 * `CALLERS` students answers its own adaptive set back to back (a new set
 * when one finishes), from this process with undici, and the courses side
 * runs the same callers' shape with an instructor's GET. The two sides
 * alternate in mirrored segments (A B B A) and report p50/p99 and req/s;
 * the figure is the p50 ratio answer / courses. Both sides pay the same
 * in-process client, so the ratio is what the answer costs more.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  createServices,
  migrate,
  openDatabase,
  PasswordHasher,
  withTenant,
} from "@skillbridge/core";
import pg from "pg";
import { Pool } from "undici";
import { createScratchDatabase } from "./support/scratch-database.js";
import { instructorToken, startFullStack } from "./support/servers.js";
import { round, summarise } from "./support/stats.js";

export interface PracticeFigures {
  readonly questions: number;
  readonly callers: number;
  readonly answerP50Ms: number;
  readonly answerP99Ms: number;
  readonly answerRps: number;
  readonly coursesP50Ms: number;
  readonly coursesP99Ms: number;
  readonly coursesRps: number;
  /** answer p50 / courses p50. */
  readonly p50Ratio: number;
  /** The chooser's query plan on this bank (EXPLAIN), top node and index. */
  readonly plan: string;
}

const CALLERS = 4;
const TOPICS = 50;

interface Side {
  latencies: number[];
  count: number;
  elapsedMs: number;
}

async function seedBank(dbUrl: string, questions: number): Promise<void> {
  // A plain client: the app's pool has a statement timeout, and this is one big statement.
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    // Both banks, both sections, 50 topics, 5 levels; written set-based as the owner.
    await client.query(
      `
      insert into exam_questions (bank, external_id, type, topic, section, difficulty, prompt,
                                  content, answer, tags, content_hash, explanation)
      select case when n % 4 < 2 then 'sat' else 'gre' end, 'bench-' || n,
             case when n % 4 < 2 then 'multiple_choice' else 'quantitative_comparison' end,
             'topic-' || (n / 4) % ${TOPICS},
             case n % 4 when 0 then 'math' when 1 then 'reading_writing' else 'quantitative' end,
             1 + (n / (4 * ${TOPICS})) % 5, 'Bench question ' || n,
             case when n % 4 < 2
               then '{"options":[{"id":"A","text":"a"},{"id":"B","text":"b"}]}'::jsonb
               else '{"quantityA":"1","quantityB":"2"}'::jsonb end,
             '"B"'::jsonb, '{}', md5(n::text), 'Because.'
      from generate_series(1, $1::int) as n`,
      [questions],
    );
    await client.query("analyze exam_questions");
  } finally {
    await client.end();
  }
}

export async function measurePractice(
  options: { readonly baseUrl: string; readonly quick: boolean; readonly segmentMs: number },
  jwtSecret: string,
  log: (line: string) => void,
): Promise<PracticeFigures> {
  const questions = Number(
    process.env.BENCH_PRACTICE_QUESTIONS || (options.quick ? 20_000 : 100_000),
  );
  const scratch = await createScratchDatabase(options.baseUrl, "practice");
  try {
    const db = await openDatabase({ url: scratch.url, poolSize: 2 });
    await migrate(db);
    const services = createServices({ passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }) });
    const { academy, admin } = await services.academies.onboard(
      db,
      { platformUserId: null },
      {
        slug: "bench-practice",
        name: "Bench practice",
        admin: { email: "admin@bench.invalid", name: "Admin", password: "bench-password-1" },
      },
    );
    const ctx = { tenantId: academy.id, userId: admin.id, role: "admin" as const };
    const people = await withTenant(db, ctx, async (trx) => {
      const actor = { userId: admin.id, role: "admin" as const };
      const user = (role: "student" | "instructor", i: number) =>
        services.users.create(trx, actor, {
          email: `${role}${i}@bench.invalid`,
          name: `${role} ${i}`,
          role,
          password: "bench-password-1",
        });
      const instructor = await user("instructor", 0);
      for (let c = 0; c < 30; c++)
        await services.courses.create(trx, actor, {
          title: `Course ${c}`,
          instructorId: instructor.id,
        });
      const students = [];
      for (let i = 0; i < CALLERS; i++) students.push(await user("student", i));
      return { instructor: instructor.id, students: students.map((s) => s.id) };
    });
    await db.close();
    log(`  seeding ${questions.toLocaleString("en-US")} bank questions`);
    await seedBank(scratch.url, questions);

    const full = await startFullStack({ dbUrl: scratch.url, jwtSecret });
    const pool = new Pool(full.url, { connections: CALLERS * 2 });
    try {
      const { TokenService } = await import("@skillbridge/server");
      const tokens = new TokenService(full.config);
      const studentTokens = await Promise.all(
        people.students.map((userId) =>
          tokens.sign(
            {
              kind: "academy",
              userId,
              academyId: academy.id,
              role: "student",
              impersonatorId: null,
            },
            6 * 3600,
          ),
        ),
      );
      const courseToken = await instructorToken(full.config, academy.id, people.instructor);
      const call = async (method: "GET" | "POST", path: string, token: string, body?: unknown) => {
        const res = await pool.request({
          method,
          path,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.body.text();
        if (res.statusCode >= 300)
          throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
        return JSON.parse(text) as Record<string, unknown>;
      };
      type Set = { id: string; current: { id: string; type: string } | null };
      const sets: Set[] = [];
      const newSet = async (i: number) =>
        (await call("POST", "/api/v1/practice-sets", studentTokens[i] as string, {
          bank: "sat",
          sections: ["math"],
          count: 50,
        })) as unknown as Set;
      for (let i = 0; i < CALLERS; i++) sets.push(await newSet(i));

      const answerOnce = async (i: number): Promise<number> => {
        let set = sets[i] as Set;
        if (!set.current) {
          set = await newSet(i);
          sets[i] = set;
        }
        const current = set.current as { id: string };
        const t0 = performance.now();
        const result = await call(
          "POST",
          `/api/v1/practice-sets/${set.id}/answers`,
          studentTokens[i] as string,
          {
            questionId: current.id,
            answer: Math.random() < 0.65 ? "B" : "A",
          },
        );
        const ms = performance.now() - t0;
        sets[i] = result.set as Set;
        return ms;
      };
      const coursesOnce = async (): Promise<number> => {
        const t0 = performance.now();
        await call("GET", "/api/v1/courses?limit=20", courseToken);
        return performance.now() - t0;
      };
      const segment = async (kind: "answer" | "courses", ms: number): Promise<Side> => {
        const side: Side = { latencies: [], count: 0, elapsedMs: 0 };
        const start = performance.now();
        await Promise.all(
          Array.from({ length: CALLERS }, async (_, i) => {
            while (performance.now() - start < ms) {
              side.latencies.push(kind === "answer" ? await answerOnce(i) : await coursesOnce());
              side.count++;
            }
          }),
        );
        side.elapsedMs = performance.now() - start;
        return side;
      };
      const warm = Math.max(500, options.segmentMs / 4);
      await segment("answer", warm);
      await segment("courses", warm);
      const pooled = { answer: [] as Side[], courses: [] as Side[] };
      for (const kind of ["answer", "courses", "courses", "answer"] as const)
        pooled[kind].push(await segment(kind, options.segmentMs));
      const merge = (sides: Side[]) => ({
        latencies: sides.flatMap((s) => s.latencies),
        rps:
          sides.reduce((n, s) => n + s.count, 0) /
          (sides.reduce((n, s) => n + s.elapsedMs, 0) / 1000),
      });
      const a = merge(pooled.answer);
      const c = merge(pooled.courses);
      const as = summarise(a.latencies);
      const cs = summarise(c.latencies);

      const plan = await explainChooser(full.url, scratch.url, academy.id);
      const figures: PracticeFigures = {
        questions,
        callers: CALLERS,
        answerP50Ms: round(as.p50),
        answerP99Ms: round(as.p99),
        answerRps: round(a.rps, 1),
        coursesP50Ms: round(cs.p50),
        coursesP99Ms: round(cs.p99),
        coursesRps: round(c.rps, 1),
        p50Ratio: round(as.p50 / cs.p50),
        plan,
      };
      log(
        `  POST /practice-sets/:id/answers p50 ${figures.answerP50Ms} ms (p99 ${figures.answerP99Ms}, ${figures.answerRps} req/s) ` +
          `vs GET /courses?limit=20 p50 ${figures.coursesP50Ms} ms (p99 ${figures.coursesP99Ms}, ${figures.coursesRps} req/s): ratio ${figures.p50Ratio}`,
      );
      log(`  chooser plan on ${questions.toLocaleString("en-US")} questions: ${plan}`);
      return figures;
    } finally {
      await pool.close();
      await full.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** The chooser's query, EXPLAINed on the benchmark's bank: its plan in one line. */
async function explainChooser(_url: string, dbUrl: string, academyId: string): Promise<string> {
  const { strandLevelQuery } = await import("@skillbridge/core");
  const { CompiledQuery } = await import("kysely");
  const db = await openDatabase({ url: dbUrl, poolSize: 1 });
  try {
    return await withTenant(
      db,
      { tenantId: academyId, userId: null, role: "system" },
      async (trx) => {
        const compiled = strandLevelQuery(
          trx,
          "sat",
          { section: "math", topic: "topic-7" },
          3,
          [],
          `${randomBytes(4).toString("hex")}-0000-4000-8000-000000000000`,
          8,
        ).compile();
        const result = await trx.executeQuery<{ "QUERY PLAN": string }>(
          CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
        );
        return result.rows
          .map((r) => r["QUERY PLAN"].trim())
          .slice(0, 3)
          .join(" / ");
      },
    );
  } finally {
    await db.close();
  }
}
