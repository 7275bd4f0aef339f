import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, openDatabase, type SkillBridgeDatabase } from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";

const raw = (db: SkillBridgeDatabase) => db.kysely as unknown as Kysely<unknown>;

describe.each(ENGINES)("migrations (%s)", (engine) => {
  const disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposers.splice(0)) await dispose();
  });

  it("apply once, are recorded in a table, and re-running applies nothing", async () => {
    const { db, dispose } = await openTestDatabase(engine, { migrate: false });
    disposers.push(dispose);
    const first = await migrate(db);
    expect(first.map((r) => [r.scope, r.applied])).toEqual([
      [
        "platform",
        [
          "0001_init",
          "0002_question_bank",
          "0003_jobs",
          "0004_question_sections",
          "0008_practice_index",
          "0009_credentials",
          "0010_question_format",
          "0011_question_browse",
          "0012_invitations",
          "0013_request_path",
          "0014_spare_schemas",
        ],
      ],
      [
        "tenant",
        [
          "0001_init",
          "0002_ai",
          "0003_course_capacity",
          "0004_review",
          "0005_learning",
          "0007_quiz_policy",
          "0008_practice",
          "0009_credentials",
        ],
      ],
    ]);
    const again = await migrate(db);
    expect(again.every((r) => r.applied.length === 0)).toBe(true);
    const recorded = await sql<{ name: string }>`
      select name from skillbridge_platform_migrations
      union all select name from skillbridge_tenant_migrations`.execute(raw(db));
    expect(recorded.rows.map((r) => r.name)).toEqual([
      "0001_init",
      "0002_question_bank",
      "0003_jobs",
      "0004_question_sections",
      "0008_practice_index",
      "0009_credentials",
      "0010_question_format",
      "0011_question_browse",
      "0012_invitations",
      "0013_request_path",
      "0014_spare_schemas",
      "0001_init",
      "0002_ai",
      "0003_course_capacity",
      "0004_review",
      "0005_learning",
      "0007_quiz_policy",
      "0008_practice",
      "0009_credentials",
    ]);
  });

  it("an up-to-date database is passed at once; a missing migration is applied, an unknown one refused", async () => {
    const { db, dispose } = await openTestDatabase(engine);
    disposers.push(dispose);
    expect((await migrate(db)).flatMap((r) => r.applied)).toEqual([]);
    // A database missing its latest platform migration's row gets that migration run.
    await sql`delete from skillbridge_platform_migrations where name = '0014_spare_schemas'`.execute(
      raw(db),
    );
    await sql`drop table public.spare_schemas`.execute(raw(db));
    const resumed = await migrate(db);
    expect(resumed.map((r) => [r.scope, r.applied])).toEqual([
      ["platform", ["0014_spare_schemas"]],
      ["tenant", []],
    ]);
    // A migration this code does not know (a newer version wrote it) stops the start.
    await sql`insert into skillbridge_tenant_migrations (name, timestamp)
      values ('9999_from_the_future', now()::text)`.execute(raw(db));
    const refused = await migrate(db).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/^tenant migration .* failed in schema public/);
    expect(String((refused as Error).cause)).toMatch(/9999_from_the_future/);
  });

  it("two processes migrating at once apply each migration exactly once", async () => {
    if (engine === "pglite") {
      // One PGlite database belongs to one process; concurrency there is the driver's queue.
      const db = await openDatabase({ memory: true });
      disposers.push(() => db.close());
      const [a, b] = await Promise.all([migrate(db), migrate(db)]);
      expect([...(a ?? []), ...(b ?? [])].flatMap((r) => r.applied)).toEqual([
        "0001_init",
        "0002_question_bank",
        "0003_jobs",
        "0004_question_sections",
        "0008_practice_index",
        "0009_credentials",
        "0010_question_format",
        "0011_question_browse",
        "0012_invitations",
        "0013_request_path",
        "0014_spare_schemas",
        "0001_init",
        "0002_ai",
        "0003_course_capacity",
        "0004_review",
        "0005_learning",
        "0007_quiz_policy",
        "0008_practice",
        "0009_credentials",
      ]);
      return;
    }
    const { db, dispose } = await openTestDatabase(engine, { migrate: false });
    disposers.push(dispose);
    // A second pool on the same database stands in for a second server process.
    const url = process.env.SKILLBRIDGE_TEST_DATABASE_URL ?? "";
    const name =
      (await sql<{ d: string }>`select current_database() as d`.execute(raw(db))).rows[0]?.d ?? "";
    const other = new URL(url);
    other.pathname = `/${name}`;
    const second = await openDatabase({ url: other.toString(), poolSize: 2 });
    disposers.unshift(() => second.close());
    const [a, b] = await Promise.all([migrate(db), migrate(second)]);
    expect([...a, ...b].flatMap((r) => r.applied).sort()).toEqual([
      "0001_init",
      "0001_init",
      "0002_ai",
      "0002_question_bank",
      "0003_course_capacity",
      "0003_jobs",
      "0004_question_sections",
      "0004_review",
      "0005_learning",
      "0007_quiz_policy",
      "0008_practice",
      "0008_practice_index",
      "0009_credentials",
      "0009_credentials",
      "0010_question_format",
      "0011_question_browse",
      "0012_invitations",
      "0013_request_path",
      "0014_spare_schemas",
    ]);
  });
});
