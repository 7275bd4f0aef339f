import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  assertTenantSafety,
  dedicatedSchemaName,
  findTenantSafetyProblems,
  type SkillBridgeDatabase,
  TENANT_ROLE,
  UnsafeDatabaseError,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";

const raw = (db: SkillBridgeDatabase) => db.kysely as unknown as Kysely<unknown>;

describe.each(ENGINES)("start-up safety check (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterEach(() => dispose());

  it("a freshly migrated database is safe to serve", async () => {
    expect(await findTenantSafetyProblems(db)).toEqual([]);
    await expect(assertTenantSafety(db)).resolves.toBeUndefined();
  });

  it("refuses an unmigrated database, naming the missing role or tables", async () => {
    const fresh = await openTestDatabase(engine, { migrate: false });
    try {
      const problems = await findTenantSafetyProblems(fresh.db);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.join("; ")).toMatch(/run migrations/);
    } finally {
      await fresh.dispose();
    }
  });

  it("refuses a tenant table whose RLS is not forced, and one with RLS off", async () => {
    await sql`alter table courses no force row level security`.execute(raw(db));
    await sql`alter table enrollments disable row level security`.execute(raw(db));
    const error = await assertTenantSafety(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeDatabaseError);
    expect((error as UnsafeDatabaseError).problems).toEqual(
      expect.arrayContaining([
        "public.courses does not FORCE row-level security",
        "public.enrollments has row-level security disabled",
      ]),
    );
  });

  it("refuses an academy placed in a dedicated schema that lacks a tenant table", async () => {
    const { academy } = await fastServices().academies.onboard(
      db,
      { platformUserId: null },
      {
        slug: "dedicated",
        name: "Dedicated",
        placement: "schema",
        admin: { email: "a@example.com", name: "Admin", password: "admin-password-1" },
      },
    );
    expect(await findTenantSafetyProblems(db)).toEqual([]);
    const schema = dedicatedSchemaName(academy.id);
    await sql.raw(`drop table ${schema}.question_ratings`).execute(raw(db));
    expect(await findTenantSafetyProblems(db)).toEqual([
      `academy ${academy.id} is placed in schema ${schema}, which lacks question_ratings (run skillbridge db migrate)`,
    ]);
  });

  it("refuses an unknown table with a tenant_id column and no policy", async () => {
    await sql`create table side_notes (tenant_id uuid not null, body text)`.execute(raw(db));
    expect(await findTenantSafetyProblems(db)).toEqual(
      expect.arrayContaining([
        "public.side_notes has row-level security disabled",
        "public.side_notes has no row-level security policy",
      ]),
    );
  });

  it("refuses when the tenant role owns a tenant table", async () => {
    await sql`alter table courses owner to ${sql.id(TENANT_ROLE)}`.execute(raw(db));
    expect(await findTenantSafetyProblems(db)).toContain(
      `the tenant role ${TENANT_ROLE} owns public.courses`,
    );
  });

  // Roles are cluster-wide on a real server, so the change is made inside a
  // transaction that is rolled back: ALTER ROLE is transactional, and no other
  // database on the server ever sees the unsafe role.
  it("refuses a tenant role with BYPASSRLS or superuser", async () => {
    const rollback = new Error("rollback");
    let problems: string[] = [];
    const outcome = await raw(db)
      .transaction()
      .execute(async (trx) => {
        await sql`alter role ${sql.id(TENANT_ROLE)} bypassrls superuser`.execute(trx);
        problems = await findTenantSafetyProblems({
          ...db,
          kysely: trx as unknown as SkillBridgeDatabase["kysely"],
        });
        throw rollback;
      })
      .catch((e: unknown) => e);
    expect(outcome).toBe(rollback);
    expect(problems).toEqual(
      expect.arrayContaining([
        `the tenant role ${TENANT_ROLE} is a superuser`,
        `the tenant role ${TENANT_ROLE} has BYPASSRLS`,
      ]),
    );
    expect(await findTenantSafetyProblems(db)).toEqual([]);
  });
});
