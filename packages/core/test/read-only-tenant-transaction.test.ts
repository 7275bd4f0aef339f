import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type SkillBridgeDatabase,
  type TenantContext,
  UnauthenticatedError,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// A read-only tenant transaction (`readOnly`, what the server uses for GET
// routes): PostgreSQL refuses any write in it, and on PostgreSQL withTenant
// returns once the data has come, without waiting for COMMIT's reply; the
// connection goes back to the pool when that reply comes, clean.

const PLACEMENTS = ["shared", "schema"] as const;

describe.each(ENGINES)("read-only tenant transaction (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  const services = fastServices();
  const academies = new Map<string, SeededAcademy>();

  beforeAll(async () => {
    // One pooled connection: every transaction reuses the one before it, so a
    // connection given back too early, or still in its transaction, would show.
    ({ db, dispose } = await openTestDatabase(engine, { poolSize: 1 }));
    for (const placement of PLACEMENTS)
      academies.set(placement, await seedAcademy(db, services, `ro-${placement}`, placement));
  });
  afterAll(() => dispose());

  const academy = (placement: string) => academies.get(placement) as SeededAcademy;
  const instructorOf = (a: SeededAcademy): TenantContext => ({
    tenantId: a.academyId,
    userId: a.users.i1,
    role: "instructor",
  });
  const recheckOf = (ctx: TenantContext) => ({
    userId: ctx.userId as string,
    role: "instructor" as const,
  });
  const titles = (a: SeededAcademy) =>
    sql<{ n: number }>`select count(*)::int as n from ${sql.table(
      `${a === academy("schema") ? `academy_${a.academyId.replaceAll("-", "")}` : "public"}.courses`,
    )} where tenant_id = ${a.academyId}`.execute(db.kysely);

  describe.each(PLACEMENTS)("%s placement", (placement) => {
    it("reads the academy's rows and refuses a write, storing nothing", async () => {
      const a = academy(placement);
      const ctx = instructorOf(a);
      const before = (await titles(a)).rows[0]?.n;
      const read = await withTenant(
        db,
        ctx,
        (trx) => trx.selectFrom("courses").select(["id", "tenant_id"]).execute(),
        { readOnly: true, recheck: recheckOf(ctx) },
      );
      expect(read.length).toBeGreaterThan(0);
      for (const row of read) expect(row.tenant_id).toBe(a.academyId);
      await expect(
        withTenant(
          db,
          ctx,
          (trx) =>
            trx
              .insertInto("courses")
              .values({ title: "written in a read", instructor_id: a.users.i1 } as never)
              .execute(),
          { readOnly: true, recheck: recheckOf(ctx) },
        ),
      ).rejects.toThrow(/read-only transaction/);
      expect((await titles(a)).rows[0]?.n).toBe(before);
    });

    it("still stops a deleted user with 401, with a query and without one", async () => {
      const a = academy(placement);
      const ctx: TenantContext = { ...instructorOf(a), userId: a.users.i2 };
      const schema =
        placement === "schema" ? `academy_${a.academyId.replaceAll("-", "")}` : "public";
      await sql
        .raw(`update ${schema}.users set deleted_at = now() where id = '${a.users.i2}'`)
        .execute(db.kysely);
      try {
        let rows: unknown;
        await expect(
          withTenant(
            db,
            ctx,
            async (trx) => {
              rows = await trx.selectFrom("courses").select("id").execute();
              return rows;
            },
            { readOnly: true, recheck: recheckOf(ctx) },
          ),
        ).rejects.toBeInstanceOf(UnauthenticatedError);
        expect(rows).toBeUndefined();
        await expect(
          withTenant(db, ctx, async () => "no query", {
            readOnly: true,
            recheck: recheckOf(ctx),
          }),
        ).rejects.toBeInstanceOf(UnauthenticatedError);
      } finally {
        await sql
          .raw(`update ${schema}.users set deleted_at = null where id = '${a.users.i2}'`)
          .execute(db.kysely);
      }
    });
  });

  if (engine === "postgres")
    it("returns before COMMIT's reply, with the connection still out; it comes back clean", async () => {
      const pool = db.pgPool as NonNullable<SkillBridgeDatabase["pgPool"]>;
      const a = academy("schema");
      const ctx = instructorOf(a);
      let released: Promise<void> | undefined;
      const read = await withTenant(
        db,
        ctx,
        (trx) => trx.selectFrom("courses").select("id").execute(),
        {
          readOnly: true,
          recheck: recheckOf(ctx),
          whenReleased: (done) => {
            released = done;
          },
        },
      );
      expect(read.length).toBeGreaterThan(0);
      // A reply needs a turn of the event loop; withTenant's return did not wait for one.
      expect(released).toBeDefined();
      expect(pool.idleCount).toBe(0);
      await released;
      expect(pool.idleCount).toBe(1);
      const after = await sql<{ role: string; tenant: string | null; search: string; tx: boolean }>`
        select current_user as role, current_setting('app.tenant_id', true) as tenant,
               current_setting('search_path') as search,
               now() <> statement_timestamp() as tx`.execute(db.kysely);
      expect(after.rows[0]?.role).not.toBe("skillbridge_tenant");
      expect(after.rows[0]?.tenant ?? "").toBe("");
      expect(after.rows[0]?.search).not.toContain("academy_");
      expect(after.rows[0]?.tx).toBe(false);
    });

  if (engine === "postgres")
    it("waits for COMMIT when a statement failed or none was sent, and never tells of an early release", async () => {
      const ctx = instructorOf(academy("shared"));
      const pool = db.pgPool as NonNullable<SkillBridgeDatabase["pgPool"]>;
      let told = 0;
      const whenReleased = () => {
        told += 1;
      };
      // The body catches the failure, and still the transaction fails.
      await expect(
        withTenant(
          db,
          ctx,
          async (trx) => {
            await sql`select 1 / 0`.execute(trx).catch(() => undefined);
            return "swallowed";
          },
          { readOnly: true, recheck: recheckOf(ctx), whenReleased },
        ),
      ).rejects.toThrow(/division by zero/);
      expect(pool.idleCount).toBe(1);
      expect(
        await withTenant(db, ctx, async () => "nothing read", { readOnly: true, whenReleased }),
      ).toBe("nothing read");
      expect(pool.idleCount).toBe(1);
      expect(told).toBe(0);
    });

  it("without readOnly, a read waits for COMMIT: the connection is back when withTenant returns", async () => {
    const ctx = instructorOf(academy("shared"));
    let told = 0;
    await withTenant(db, ctx, (trx) => trx.selectFrom("courses").select("id").execute(), {
      recheck: recheckOf(ctx),
      whenReleased: () => {
        told += 1;
      },
    });
    expect(told).toBe(0);
    if (db.pgPool) expect(db.pgPool.idleCount).toBe(1);
  });
});
