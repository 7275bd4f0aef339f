import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  countSpareSchemas,
  dedicatedSchemaName,
  fillSpareSchemas,
  migrate,
  migrateTenantSchemaIn,
  readTenantSchemaStates,
  runIsolationAudit,
  type SkillBridgeDatabase,
  SPARE_SCHEMA_PREFIX,
  SpareSchemaPool,
  tenantMigrationNames,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";

// Spare schemas: migrated ahead of need and renamed to an academy's dedicated
// schema at onboarding, so the caller does not wait for the tenant DDL.

const raw = (db: SkillBridgeDatabase) => db.kysely as unknown as Kysely<unknown>;
const names = tenantMigrationNames();
const services = fastServices();

/** The listed spares, and every schema named like one, with their OIDs. */
async function spares(db: SkillBridgeDatabase) {
  const listed = await db.kysely
    .selectFrom("spare_schemas")
    .select("name")
    .orderBy("name")
    .execute();
  const present = await sql<{ name: string; oid: number }>`
    select nspname as name, oid::int as oid from pg_namespace
    where starts_with(nspname, ${SPARE_SCHEMA_PREFIX}) order by nspname`.execute(db.kysely);
  return { listed: listed.map((r) => r.name), present: present.rows };
}

async function schemaOid(db: SkillBridgeDatabase, schema: string): Promise<number | null> {
  const row = await sql<{ oid: number | null }>`
    select to_regnamespace(${schema})::oid::int as oid`.execute(db.kysely);
  return row.rows[0]?.oid ?? null;
}

const onboard = (db: SkillBridgeDatabase, slug: string) =>
  services.academies.onboard(
    db,
    { platformUserId: null },
    {
      slug,
      name: `Academy ${slug}`,
      placement: "schema",
      admin: { email: `admin@${slug}.example`, name: "Admin", password: "admin-password-1" },
    },
  );

/** A spare stopped one migration short, as a spare made before a deploy that shipped one. */
async function behindSpare(db: SkillBridgeDatabase): Promise<string> {
  const name = `${SPARE_SCHEMA_PREFIX}${randomUUID().replaceAll("-", "")}`;
  await raw(db)
    .transaction()
    .execute(async (trx) => {
      await migrateTenantSchemaIn(trx, name, { claimSpare: false, upTo: names.at(-2) });
      await sql`insert into public.spare_schemas (name, version)
                values (${name}, ${names.at(-2)})`.execute(trx);
    });
  return name;
}

describe.each(ENGINES)("spare schemas (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;

  // One database for the file: each test starts with no spare (academies stay, each its own).
  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterAll(() => dispose());
  afterEach(async () => {
    const { present } = await spares(db);
    await sql`delete from public.spare_schemas`.execute(db.kysely);
    for (const { name } of present)
      await sql.raw(`drop schema "${name}" cascade`).execute(db.kysely);
  });

  it("onboarding takes a ready spare: the academy's schema is that schema renamed, migrated and isolated", async () => {
    expect(await fillSpareSchemas(db, { count: 1 })).toEqual({ created: 1, dropped: 0, ready: 1 });
    const before = await spares(db);
    expect(before.listed).toHaveLength(1);
    expect(before.present.map((s) => s.name)).toEqual(before.listed);
    const spareOid = before.present[0]?.oid;

    const { academy, admin } = await onboard(db, "from-spare");
    const schema = dedicatedSchemaName(academy.id);
    expect(await schemaOid(db, schema)).toBe(spareOid);
    expect(await spares(db)).toEqual({ listed: [], present: [] });
    const states = await readTenantSchemaStates(db);
    expect(states.find((s) => s.schema === schema)).toMatchObject({
      version: names.at(-1),
      pending: [],
      stray: false,
    });
    // Its rows are where the placement says, and only its own academy sees them.
    const where = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${schema}.users`)} where id = ${admin.id}`.execute(
      db.kysely,
    );
    expect(where.rows[0]?.n).toBe(1);
    const { academy: other } = await onboard(db, "beside-it");
    const seen = await withTenant(db, { tenantId: other.id, userId: null, role: "system" }, (trx) =>
      trx.selectFrom("users").select("id").execute(),
    );
    expect(seen.map((u) => u.id)).not.toContain(admin.id);
    const report = await runIsolationAudit(db);
    expect(report.findings).toEqual([]);
  });

  it("a spare beside the academies' schemas is audited like one and raises no finding", async () => {
    await onboard(db, "placed");
    await fillSpareSchemas(db, { count: 1 });
    const report = await runIsolationAudit(db);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("an onboarding rolled back leaves the spare listed and named as it was", async () => {
    await fillSpareSchemas(db, { count: 1 });
    const before = await spares(db);
    const schema = dedicatedSchemaName(randomUUID());
    const failed = await raw(db)
      .transaction()
      .execute(async (trx) => {
        await migrateTenantSchemaIn(trx, schema);
        expect(
          (
            await sql<{ n: number }>`
          select count(*)::int as n from public.spare_schemas`.execute(trx)
          ).rows[0]?.n,
        ).toBe(0);
        throw new Error("the onboarding failed after taking the spare");
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(await spares(db)).toEqual(before);
    expect(await schemaOid(db, schema)).toBeNull();
  });

  it("a spare behind the latest migration is brought up to date when taken, and dropped by the next fill", async () => {
    const taken = await behindSpare(db);
    const takenOid = await schemaOid(db, taken);
    const { academy } = await onboard(db, "from-behind-spare");
    const schema = dedicatedSchemaName(academy.id);
    expect(await schemaOid(db, schema)).toBe(takenOid);
    const states = await readTenantSchemaStates(db);
    expect(states.find((s) => s.schema === schema)).toMatchObject({
      version: names.at(-1),
      pending: [],
    });

    const stale = await behindSpare(db);
    expect(await fillSpareSchemas(db, { count: 1 })).toEqual({ created: 1, dropped: 1, ready: 1 });
    const after = await spares(db);
    expect(after.listed).toHaveLength(1);
    expect(after.listed).not.toContain(stale);
    expect(after.present.map((s) => s.name)).toEqual(after.listed);
    // The new one is at the latest migration: the next fill keeps it.
    expect(await fillSpareSchemas(db, { count: 1 })).toEqual({ created: 0, dropped: 0, ready: 1 });
  });

  it("migrate() at start-up drops a spare behind the latest migration, so the audit never reads it as a schema behind", async () => {
    const current = await fillSpareSchemas(db, { count: 1 });
    expect(current.created).toBe(1);
    const stale = await behindSpare(db);
    const audited = await runIsolationAudit(db);
    // What it would say if the stale spare stayed: a schema missing a tenant migration.
    expect(audited.findings.map((f) => f.object).join(" ")).toContain(stale);
    await migrate(db);
    const after = await spares(db);
    expect(after.listed).toHaveLength(1);
    expect(after.listed).not.toContain(stale);
    expect(after.present.map((s) => s.name)).toEqual(after.listed);
    expect((await runIsolationAudit(db)).findings).toEqual([]);
  });

  it("a spare a newer version made (rolling deploy) is neither taken nor dropped by this code", async () => {
    await fillSpareSchemas(db, { count: 1 });
    const [newer] = (await spares(db)).listed;
    await sql`update public.spare_schemas set version = '9999_from_a_newer_version'`.execute(
      db.kysely,
    );
    const { academy } = await onboard(db, "beside-newer");
    expect(await schemaOid(db, dedicatedSchemaName(academy.id))).not.toBe(
      (await spares(db)).present[0]?.oid,
    );
    expect(await migrate(db)).toBeDefined();
    expect(await fillSpareSchemas(db, { count: 1 })).toEqual({ created: 0, dropped: 0, ready: 1 });
    expect((await spares(db)).listed).toEqual([newer]);
  });

  it("a spare whose schema was dropped by hand is only unlisted by the next fill", async () => {
    await fillSpareSchemas(db, { count: 1 });
    const [name] = (await spares(db)).listed;
    await sql.raw(`drop schema "${name}" cascade`).execute(db.kysely);
    expect(await fillSpareSchemas(db, { count: 1 })).toEqual({ created: 1, dropped: 1, ready: 1 });
    expect((await spares(db)).listed).not.toContain(name);
  });

  it("a pool refills in the background, keeps its size, and stops between two spares when closed", async () => {
    const pool = new SpareSchemaPool(db, { size: 2 });
    pool.refill();
    pool.refill(); // asked again while filling: one more fill after, which finds nothing to do
    await pool.idle();
    expect(await countSpareSchemas(db)).toBe(2);
    await onboard(db, "pooled");
    expect(await countSpareSchemas(db)).toBe(1);
    pool.refill();
    await pool.close();
    // Closed mid-fill or after it: every spare made is listed, none half-made.
    const { listed, present } = await spares(db);
    expect(present.map((s) => s.name)).toEqual(listed);
    expect(listed.length).toBeLessThanOrEqual(2);
    pool.refill(); // closed: nothing starts
    await pool.idle();
    expect((await spares(db)).listed).toEqual(listed);
  });

  it("a size or count that is not a whole number from 0 is refused, not looped on", async () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new SpareSchemaPool(db, { size: bad })).toThrow(/whole number from 0/);
      await expect(fillSpareSchemas(db, { count: bad })).rejects.toThrow(/whole number from 0/);
    }
    expect(await countSpareSchemas(db)).toBe(0);
  });

  it("a pool of size 0 makes nothing", async () => {
    const pool = new SpareSchemaPool(db, { size: 0 });
    pool.refill();
    await pool.idle();
    expect(await countSpareSchemas(db)).toBe(0);
    await pool.close();
  });

  it.runIf(engine === "postgres")(
    "two onboardings at once with one spare: one renames it, the other creates its schema, both whole",
    async () => {
      await fillSpareSchemas(db, { count: 1 });
      const spareOid = (await spares(db)).present[0]?.oid;
      const [a, b] = await Promise.all([onboard(db, "race-a"), onboard(db, "race-b")]);
      const oids = await Promise.all(
        [a, b].map((x) => schemaOid(db, dedicatedSchemaName(x.academy.id))),
      );
      expect(oids.filter((oid) => oid === spareOid)).toHaveLength(1);
      const states = await readTenantSchemaStates(db);
      for (const x of [a, b]) {
        expect(states.find((s) => s.schema === dedicatedSchemaName(x.academy.id))).toMatchObject({
          version: names.at(-1),
          pending: [],
        });
      }
      expect(await spares(db)).toEqual({ listed: [], present: [] });
    },
  );

  it.runIf(engine === "postgres")(
    "fills from several processes at once never pass the count",
    async () => {
      const fills = await Promise.all([1, 2, 3].map(() => fillSpareSchemas(db, { count: 2 })));
      expect(fills.reduce((n, f) => n + f.created, 0)).toBe(2);
      const { listed, present } = await spares(db);
      expect(listed).toHaveLength(2);
      expect(present.map((s) => s.name)).toEqual(listed);
    },
  );
});
