/**
 * Fast seeding of many academies as the database owner: set-based
 * `INSERT ... SELECT` over `generate_series`, one statement per table for a
 * chunk of academies, with every id derived from the academy's number
 * (`pg_temp.bench_uuid('u:<academy>:<n>')`, from its MD5), so foreign keys need no look-ups and the
 * same academy gets the same ids, emails and tokens in every database.
 *
 * Tenant tables get `tenant_id` explicitly here: this is the owner loading
 * fixtures, not application code (which never writes it; the plugin does).
 */
import { createHash } from "node:crypto";
import type pg from "pg";

/** The shape of one academy: how many of each row it gets. */
export interface AcademyShape {
  /** Academy number: ids, slug (`bench-<n>`) and emails derive from it. */
  readonly n: number;
  readonly instructors: number;
  readonly students: number;
  readonly parents: number;
  readonly courses: number;
  /** Courses each student is enrolled in (at most `courses`). */
  readonly coursesPerStudent: number;
  readonly assignmentsPerCourse: number;
}

/**
 * A version-4-shaped uuid from the MD5 of `text` (version and variant
 * nibbles set, so zod's uuid check accepts it): what `pg_temp.bench_uuid(text)`
 * gives in the seeding session.
 */
export function md5Uuid(text: string): string {
  const m = createHash("md5").update(text).digest("hex");
  const h = `${m.slice(0, 12)}4${m.slice(13, 16)}8${m.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The same in SQL, as a session-local function (nothing is left in the schema). */
const UUID_FUNCTION = `create or replace function pg_temp.bench_uuid(t text) returns uuid
  language sql immutable as $$
    select (substr(md5(t), 1, 12) || '4' || substr(md5(t), 14, 3) || '8' || substr(md5(t), 18, 15))::uuid
  $$`;

export const academyId = (n: number) => md5Uuid(`a:${n}`);
/** User 0 is the admin, 1..instructors the instructors, then students, then parents. */
export const userId = (academy: number, user: number) => md5Uuid(`u:${academy}:${user}`);
export const academySlug = (n: number) => `bench-${n}`;

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The academies that are measured: the same ten in every database, each with
 * an instructor teaching 30 courses (so `?limit=20` returns a full page and
 * a cursor), 30 students, enrollments, assignments and submissions.
 */
export function measuredShape(n: number): AcademyShape {
  return {
    n,
    instructors: 2,
    students: 30,
    parents: 6,
    courses: 60,
    coursesPerStudent: 3,
    assignmentsPerCourse: 3,
  };
}

/**
 * Realistic, skewed sizes: students per academy log-normal (median 9, a long
 * tail of large schools up to 400), an instructor per 20 students, a parent
 * account for one student in four, two courses per instructor, two courses per
 * student, three assignments per course, a submission for half of them.
 * About 110 rows per academy on average.
 */
export function typicalShape(n: number, random: () => number): AcademyShape {
  // Box-Muller for a standard normal.
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const students = Math.max(3, Math.min(400, Math.round(9 * Math.exp(0.9 * z))));
  const instructors = 1 + Math.floor(students / 20);
  return {
    n,
    instructors,
    students,
    parents: Math.floor(students / 4),
    courses: instructors * 2,
    coursesPerStudent: 2,
    assignmentsPerCourse: 3,
  };
}

export interface SeedCounts {
  academies: number;
  users: number;
  parent_links: number;
  courses: number;
  enrollments: number;
  assignments: number;
  submissions: number;
}

export const emptyCounts = (): SeedCounts => ({
  academies: 0,
  users: 0,
  parent_links: 0,
  courses: 0,
  enrollments: 0,
  assignments: 0,
  submissions: 0,
});

export const tenantRows = (c: SeedCounts) =>
  c.users + c.parent_links + c.courses + c.enrollments + c.assignments + c.submissions;

// The academies of one chunk as a relation: g, instructors, students, parents,
// courses, courses per student, assignments per course.
const SHAPES = `unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[])
  as s(g, ni, ns, np, nc, ne, na)`;
const A = "pg_temp.bench_uuid('a:' || s.g)";
const U = (n: string) => `pg_temp.bench_uuid('u:' || s.g || ':' || (${n}))`;
const C = (c: string) => `pg_temp.bench_uuid('c:' || s.g || ':' || (${c}))`;
const AS = (c: string, m: string) =>
  `pg_temp.bench_uuid('as:' || s.g || ':' || (${c}) || ':' || (${m}))`;

const STATEMENTS: readonly [keyof SeedCounts, string][] = [
  [
    "academies",
    `insert into academies (id, slug, name)
     select ${A}, 'bench-' || s.g, 'Bench Academy ' || s.g from ${SHAPES}`,
  ],
  [
    "users",
    `insert into users (tenant_id, id, email, name, role, password_hash)
     select ${A}, ${U("n")}, 'user' || n || '@bench-' || s.g || '.example.com', 'User ' || n,
       case when n = 0 then 'admin' when n <= s.ni then 'instructor'
            when n <= s.ni + s.ns then 'student' else 'parent' end,
       $8
     from ${SHAPES}, generate_series(0, s.ni + s.ns + s.np) n`,
  ],
  [
    "parent_links",
    `insert into parent_links (tenant_id, id, parent_id, student_id)
     select ${A}, pg_temp.bench_uuid('pl:' || s.g || ':' || p), ${U("1 + s.ni + s.ns + p")},
       ${U("1 + s.ni + (p % s.ns)")}
     from ${SHAPES}, generate_series(0, s.np - 1) p`,
  ],
  [
    "courses",
    `insert into courses (tenant_id, id, title, description, instructor_id)
     select ${A}, ${C("c")}, 'Course ' || c || ' of academy ' || s.g, 'SAT math, week by week.',
       ${U("1 + c % s.ni")}
     from ${SHAPES}, generate_series(0, s.nc - 1) c`,
  ],
  [
    "enrollments",
    `insert into enrollments (tenant_id, id, course_id, student_id)
     select ${A}, pg_temp.bench_uuid('e:' || s.g || ':' || k || ':' || j), ${C("(k + j) % s.nc")},
       ${U("1 + s.ni + k")}
     from ${SHAPES}, generate_series(0, s.ns - 1) k, generate_series(0, least(s.ne, s.nc) - 1) j`,
  ],
  [
    "assignments",
    `insert into assignments (tenant_id, id, course_id, title, instructions, max_points)
     select ${A}, ${AS("c", "m")}, ${C("c")}, 'Assignment ' || m,
       'Work through the practice set of week ' || m || ' and show every step.', 10
     from ${SHAPES}, generate_series(0, s.nc - 1) c, generate_series(0, s.na - 1) m`,
  ],
  [
    "submissions",
    `insert into submissions (tenant_id, id, assignment_id, student_id, content, grade)
     select ${A}, pg_temp.bench_uuid('s:' || s.g || ':' || k || ':' || j || ':' || m),
       ${AS("(k + j) % s.nc", "m")}, ${U("1 + s.ni + k")},
       'My answer to assignment ' || m || ': the slope is ' || (k + m) || '/3.',
       case when (k + j) % 3 = 0 then null else (k * 7 + m) % 11 end
     from ${SHAPES}, generate_series(0, s.ns - 1) k, generate_series(0, least(s.ne, s.nc) - 1) j,
       generate_series(0, s.na - 1) m
     where (k + m) % 2 = 0`,
  ],
];

/**
 * Inserts the academies in chunks (one transaction per chunk), as the owner,
 * on every client at once: each takes the next chunk when it is done with
 * one (two connections on two cores seeded the 10,000 academies in about
 * half the time of one; the chunks still land in the tables interleaved).
 * `passwordHash` is stored for every user (one hash, computed once).
 */
export async function seedAcademies(
  clients: readonly pg.Client[],
  shapes: readonly AcademyShape[],
  passwordHash: string,
  options: { chunk?: number; onProgress?: (done: number, counts: SeedCounts) => void } = {},
): Promise<SeedCounts> {
  const counts = emptyCounts();
  const chunk = options.chunk ?? 500;
  let next = 0;
  let done = 0;
  const seedOn = async (client: pg.Client) => {
    await client.query(UUID_FUNCTION);
    for (let start = next; start < shapes.length; start = next) {
      next += chunk;
      const part = shapes.slice(start, start + chunk);
      const params = [
        part.map((s) => s.n),
        part.map((s) => s.instructors),
        part.map((s) => s.students),
        part.map((s) => s.parents),
        part.map((s) => s.courses),
        part.map((s) => s.coursesPerStudent),
        part.map((s) => s.assignmentsPerCourse),
        passwordHash,
      ];
      const added = emptyCounts();
      await client.query("begin");
      try {
        for (const [table, text] of STATEMENTS) {
          // Only the users statement takes the hash ($8).
          const result = await client.query(text, table === "users" ? params : params.slice(0, 7));
          added[table] += result.rowCount ?? 0;
        }
        await client.query("commit");
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        next = shapes.length; // the other clients stop after their chunk
        throw error;
      }
      for (const table of Object.keys(added) as (keyof SeedCounts)[]) counts[table] += added[table];
      done += part.length;
      options.onProgress?.(done, counts);
    }
  };
  const results = await Promise.allSettled(clients.map(seedOn));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return counts;
}
