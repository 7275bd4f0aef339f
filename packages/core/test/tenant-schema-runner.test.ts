import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  dedicatedSchemaName,
  migrate,
  readTenantSchemaStates,
  runTenantMigrations,
  type SkillBridgeDatabase,
  type TenantMigrationEvent,
  tenantMigrationNames,
} from "../src/index.js";
import { behindAcademy } from "./support/behind-schema.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";

// The tenant migration runner over public and the dedicated schemas: it finds
// the schemas that are behind, migrates them a bounded number at a time, each
// in its own transaction, and picks up where an interrupted run stopped.

const raw = (db: SkillBridgeDatabase) => db.kysely as unknown as Kysely<unknown>;
const names = tenantMigrationNames();

/** The most schemas that were between "start" and "done"/"failed" at once. */
function maxInFlight(events: readonly TenantMigrationEvent[]): number {
  let now = 0;
  let most = 0;
  for (const event of events) {
    if (event.type === "start") most = Math.max(most, ++now);
    if (event.type === "done" || event.type === "failed") now--;
  }
  return most;
}

describe.each(ENGINES)("tenant migration runner (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterEach(() => dispose());

  it("onboarding with placement 'schema' leaves the schema at the latest migration: nothing to run", async () => {
    const services = fastServices();
    const { academy } = await services.academies.onboard(
      db,
      { platformUserId: null },
      {
        slug: "dedicated",
        name: "Dedicated",
        placement: "schema",
        admin: { email: "a@example.com", name: "Admin", password: "admin-password-1" },
      },
    );
    const states = await readTenantSchemaStates(db);
    expect(states.map((s) => [s.schema, s.version, s.pending.length])).toEqual([
      ["public", names.at(-1), 0],
      [dedicatedSchemaName(academy.id), names.at(-1), 0],
    ]);
    const run = await runTenantMigrations(db);
    expect(run).toMatchObject({ total: 2, upToDate: 2, migrated: [], failed: [], behind: [] });
  });

  it("reports the schemas that are behind, migrates exactly those, and then none is behind", async () => {
    const first = await behindAcademy(db, 2);
    const second = await behindAcademy(db, names.length - 1);
    const before = await readTenantSchemaStates(db);
    expect(before.filter((s) => s.pending.length > 0).map((s) => [s.schema, s.pending])).toEqual([
      [first, names.slice(2)],
      [second, names.slice(-1)],
    ]);
    const run = await runTenantMigrations(db, { concurrency: 2 });
    expect(run.migrated).toEqual(
      expect.arrayContaining([
        { schema: first, applied: names.slice(2) },
        { schema: second, applied: names.slice(-1) },
      ]),
    );
    expect(run.migrated).toHaveLength(2);
    expect(run.behind).toEqual([]);
    // The migrated schema has the same tables as public, with forced RLS.
    const tables = await sql<{ schema: string; n: number; forced: number }>`
      select n.nspname as schema, count(*)::int as n, count(*) filter (where c.relforcerowsecurity)::int as forced
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname in ('public', ${first}) and c.relname <> 'skillbridge_tenant_migrations'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id')
      group by n.nspname order by n.nspname`.execute(raw(db));
    expect(tables.rows.map((r) => [r.n, r.forced])).toEqual([
      [tables.rows[1]?.n, tables.rows[1]?.n],
      [tables.rows[1]?.n, tables.rows[1]?.n],
    ]);
  });

  it("migrate() at start-up brings dedicated schemas up to date too", async () => {
    const schema = await behindAcademy(db, 1);
    const reports = await migrate(db);
    expect(reports.find((r) => r.schema === schema)?.applied).toEqual(names.slice(1));
    expect((await readTenantSchemaStates(db)).every((s) => s.pending.length === 0)).toBe(true);
  });

  it("a run stopped part-way leaves each schema migrated or untouched, and the next run continues", async () => {
    const schemas = [];
    for (let i = 0; i < 4; i++) schemas.push(await behindAcademy(db, 3));
    const stop = new AbortController();
    const first = await runTenantMigrations(db, {
      concurrency: 1,
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type === "done") stop.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.migrated).toHaveLength(1);
    expect(first.behind.map((s) => s.schema).sort()).toEqual(
      schemas.filter((s) => s !== first.migrated[0]?.schema).sort(),
    );
    for (const state of await readTenantSchemaStates(db)) {
      expect([0, names.length - 3]).toContain(state.pending.length);
    }
    const second = await runTenantMigrations(db, { concurrency: 1 });
    expect(second.interrupted).toBe(false);
    expect(second.upToDate).toBe(2);
    expect(second.migrated.map((m) => m.schema).sort()).toEqual(
      first.behind.map((s) => s.schema).sort(),
    );
    expect(second.behind).toEqual([]);
  });

  it("a failing schema is rolled back whole, stops the run, and stays behind", async () => {
    const broken = await behindAcademy(db, names.length - 1);
    // An object in the way of the last migration: its DDL fails in this schema only.
    const last = names.at(-1) ?? "";
    expect(last).toBe("0009_credentials");
    await sql
      .raw(`alter table ${broken}.users add column credentials_version text`)
      .execute(raw(db));
    const run = await runTenantMigrations(db);
    expect(run.failed.map((f) => f.schema)).toEqual([broken]);
    expect(run.behind.map((s) => [s.schema, s.pending])).toEqual([[broken, [last]]]);
    // Rolled back whole: the migration's trigger is not there either.
    const triggers = await sql<{ n: number }>`
      select count(*)::int as n from pg_trigger
      where tgrelid = ${`${broken}.users`}::regclass and tgname = 'users_credentials'`.execute(
      raw(db),
    );
    expect(triggers.rows[0]?.n).toBe(0);
    await expect(migrate(db)).rejects.toMatchObject({ code: "migration_failed" });
  });

  it("a schema named like a dedicated one whose academy is not placed there is reported as stray and left alone", async () => {
    const id = randomUUID();
    await sql`insert into academies (id, slug, name) values (${id}, 'shared-one', 'Shared')`.execute(
      raw(db),
    );
    await sql.raw(`create schema ${dedicatedSchemaName(id)}`).execute(raw(db));
    const run = await runTenantMigrations(db);
    const stray = (await readTenantSchemaStates(db)).find((s) => s.stray);
    expect(stray).toMatchObject({ schema: dedicatedSchemaName(id), academyId: id, exists: false });
    expect(run.migrated).toEqual([]);
    expect(run.behind).toEqual([]);
  });
});

describe.runIf(ENGINES.includes("postgres"))(
  "tenant migration runner concurrency (postgres)",
  () => {
    let db: SkillBridgeDatabase;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ db, dispose } = await openTestDatabase("postgres", { poolSize: 8 }));
    });
    afterEach(() => dispose());

    it.each([1, 3])("migrates at most %i schemas at once", async (concurrency) => {
      for (let i = 0; i < 6; i++) await behindAcademy(db, 1);
      const events: TenantMigrationEvent[] = [];
      const run = await runTenantMigrations(db, { concurrency, onEvent: (e) => events.push(e) });
      expect(run.migrated).toHaveLength(6);
      expect(maxInFlight(events)).toBe(concurrency);
    });

    it("a schema whose connection is killed mid-migration is left untouched; the next run migrates it", async () => {
      const schemas = [];
      for (let i = 0; i < 3; i++) schemas.push(await behindAcademy(db, 1));
      // A session holding a lock the second schema's migration needs, so it is caught mid-way.
      const victim = schemas[1] ?? "";
      const blocker = await db.pgPool?.connect();
      await blocker?.query(`begin; lock table ${victim}.mastery in access share mode`);
      const killer = setInterval(async () => {
        const waiting = await sql<{ pid: number }>`
        select pid from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(raw(db));
        for (const row of waiting.rows)
          await sql`select pg_terminate_backend(${row.pid})`.execute(raw(db));
      }, 100);
      const run = await runTenantMigrations(db, { concurrency: 1 });
      clearInterval(killer);
      await blocker?.query("rollback");
      blocker?.release();
      expect(run.failed.map((f) => f.schema)).toEqual([victim]);
      const states = await readTenantSchemaStates(db);
      expect(states.find((s) => s.schema === victim)?.applied).toEqual(names.slice(0, 1));
      const again = await runTenantMigrations(db, { concurrency: 1 });
      expect(again.migrated.map((m) => m.schema).sort()).toEqual(
        run.behind.map((s) => s.schema).sort(),
      );
      expect(again.behind).toEqual([]);
    });
  },
);
