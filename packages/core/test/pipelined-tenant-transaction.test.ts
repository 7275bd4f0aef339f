import type { Writable } from "node:stream";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AcademySuspendedError,
  type SkillBridgeDatabase,
  type TenantContext,
  type TenantDb,
  UnauthenticatedError,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// The tenant transaction as one pipeline (PostgreSQL) or one statement after
// another (PGlite): the caller re-check aborts it before the route's first
// query can run, and any failure rolls the whole transaction back.

const PLACEMENTS = ["shared", "schema"] as const;

describe.each(ENGINES)("pipelined tenant transaction (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  const services = fastServices();
  const academies = new Map<string, SeededAcademy>();

  beforeAll(async () => {
    // One pooled connection on PostgreSQL: every transaction below reuses the
    // connection the one before it left, so a leaked role or setting would show.
    ({ db, dispose } = await openTestDatabase(engine, { poolSize: 1 }));
    for (const placement of PLACEMENTS)
      academies.set(placement, await seedAcademy(db, services, `pipe-${placement}`, placement));
  });
  afterAll(() => dispose());

  const academy = (placement: string) => academies.get(placement) as SeededAcademy;
  const ctxOf = (a: SeededAcademy, user: "i1" | "i2" | "admin"): TenantContext => ({
    tenantId: a.academyId,
    userId: a.users[user],
    role: user === "admin" ? "admin" : "instructor",
  });
  const recheckOf = (ctx: TenantContext) => ({
    recheck: { userId: ctx.userId as string, role: ctx.role as "admin" | "instructor" },
  });

  /** How many course titles an instructor of `a` reads in one re-checked tenant transaction. */
  const titlesSeenBy = (a: SeededAcademy) => {
    const ctx = ctxOf(a, "i1");
    return withTenant(
      db,
      ctx,
      async (trx: TenantDb) => (await trx.selectFrom("courses").select("title").execute()).length,
      recheckOf(ctx),
    );
  };

  /** As the database owner, outside any tenant transaction (what an operator or another request does). */
  const owner = (text: string, ...values: unknown[]) =>
    sql.raw(text.replace(/\$(\d)/g, (_, n) => `'${values[Number(n) - 1]}'`)).execute(db.kysely);

  /** The courses of an academy, counted as the owner. */
  const courseCount = async (a: SeededAcademy, title: string) => {
    const schema =
      a === academy("schema") ? `academy_${a.academyId.replaceAll("-", "")}` : "public";
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(`${schema}.courses`)}
      where tenant_id = ${a.academyId} and title = ${title}`.execute(db.kysely);
    return rows.rows[0]?.n ?? -1;
  };

  /** Runs a route-like body that records what its queries got, and which insert it tried. */
  async function attempt(ctx: TenantContext, title: string) {
    const seen: { rows?: unknown[]; error?: unknown } = {};
    const outcome = await withTenant(
      db,
      ctx,
      async (trx: TenantDb) => {
        try {
          await trx
            .insertInto("courses")
            .values({ title, instructor_id: ctx.userId as string } as never)
            .execute();
          seen.rows = await trx.selectFrom("courses").select("id").execute();
        } catch (error) {
          seen.error = error;
        }
        // A body that swallows the error still cannot turn the transaction into a success.
        return "body finished";
      },
      recheckOf(ctx),
    ).then(
      (value): { value?: string; error?: unknown } => ({ value }),
      (error: unknown): { value?: string; error?: unknown } => ({ error }),
    );
    return { seen, outcome };
  }

  describe.each(PLACEMENTS)("%s placement", (placement) => {
    it("a valid caller's queries run and commit", async () => {
      const a = academy(placement);
      const { seen, outcome } = await attempt(ctxOf(a, "i1"), `ok-${placement}`);
      expect(outcome).toEqual({ value: "body finished" });
      expect(seen.error).toBeUndefined();
      expect((seen.rows ?? []).length).toBeGreaterThan(0);
      expect(await courseCount(a, `ok-${placement}`)).toBe(1);
    });

    it("a user deleted mid-session gets 401 and their queries neither read nor write", async () => {
      const a = academy(placement);
      const ctx = ctxOf(a, "i2");
      const schema =
        placement === "schema" ? `academy_${a.academyId.replaceAll("-", "")}` : "public";
      // The session's first request goes through.
      expect((await attempt(ctx, `before-delete-${placement}`)).outcome).toEqual({
        value: "body finished",
      });
      await owner(`update ${schema}.users set deleted_at = now() where id = $1`, a.users.i2);
      try {
        const { seen, outcome } = await attempt(ctx, `after-delete-${placement}`);
        expect(outcome.error).toBeInstanceOf(UnauthenticatedError);
        expect(seen.rows).toBeUndefined();
        expect(seen.error).toBeDefined();
        expect(await courseCount(a, `after-delete-${placement}`)).toBe(0);
      } finally {
        await owner(`update ${schema}.users set deleted_at = null where id = $1`, a.users.i2);
      }
    });

    it("a user demoted mid-session gets 401 for the old role", async () => {
      const a = academy(placement);
      const ctx = ctxOf(a, "i1");
      const schema =
        placement === "schema" ? `academy_${a.academyId.replaceAll("-", "")}` : "public";
      await owner(`update ${schema}.users set role = 'student' where id = $1`, a.users.i1);
      try {
        const { seen, outcome } = await attempt(ctx, `after-demote-${placement}`);
        expect(outcome.error).toBeInstanceOf(UnauthenticatedError);
        expect(seen.rows).toBeUndefined();
        expect(await courseCount(a, `after-demote-${placement}`)).toBe(0);
      } finally {
        await owner(`update ${schema}.users set role = 'instructor' where id = $1`, a.users.i1);
      }
    });

    it("an academy suspended mid-session gets 403 and its queries neither read nor write", async () => {
      const a = academy(placement);
      const ctx = ctxOf(a, "admin");
      await owner("update academies set status = 'suspended' where id = $1", a.academyId);
      try {
        const { seen, outcome } = await attempt(ctx, `after-suspend-${placement}`);
        expect(outcome.error).toBeInstanceOf(AcademySuspendedError);
        expect(seen.rows).toBeUndefined();
        expect(await courseCount(a, `after-suspend-${placement}`)).toBe(0);
      } finally {
        await owner("update academies set status = 'active' where id = $1", a.academyId);
      }
      expect((await attempt(ctx, `after-resume-${placement}`)).outcome).toEqual({
        value: "body finished",
      });
    });

    it("a deleted academy's users get 401", async () => {
      const a = academy(placement);
      await owner("update academies set deleted_at = now() where id = $1", a.academyId);
      try {
        const { outcome } = await attempt(ctxOf(a, "admin"), `after-academy-delete-${placement}`);
        expect(outcome.error).toBeInstanceOf(UnauthenticatedError);
        expect(await courseCount(a, `after-academy-delete-${placement}`)).toBe(0);
      } finally {
        await owner("update academies set deleted_at = null where id = $1", a.academyId);
      }
    });
  });

  // Named prepared statements exist on PostgreSQL only (PGlite runs one statement after another).
  if (engine === "postgres")
    it("a route query is one named prepared statement on the connection, serving both placements their own rows", async () => {
      for (const placement of PLACEMENTS)
        await attempt(ctxOf(academy(placement), "i1"), `named-${placement}`);
      const read = (placement: string) => {
        const ctx = ctxOf(academy(placement), "i1");
        return withTenant(
          db,
          ctx,
          async (trx: TenantDb) => {
            const rows = await trx
              .selectFrom("courses")
              .select("title")
              .where("title", "like", "named-%")
              .execute();
            const { rows: prepared } = await sql<{ name: string; statement: string }>`
              select name, statement from pg_prepared_statements`.execute(trx);
            return { titles: rows.map((r) => r.title), prepared };
          },
          recheckOf(ctx),
        );
      };
      const shared = await read("shared");
      const schema = await read("schema");
      // search_path differs between the two: PostgreSQL re-parses the named statement for each.
      expect(shared.titles).toEqual(["named-shared"]);
      expect(schema.titles).toEqual(["named-schema"]);
      const select = (prepared: readonly { name: string; statement: string }[]) =>
        prepared.filter((p) => p.statement.includes(`"title" like`));
      expect(select(shared.prepared)).toHaveLength(1);
      expect(select(shared.prepared)[0]?.name).toMatch(/^sb_[0-9a-f]{24}$/);
      expect(select(schema.prepared)).toEqual(select(shared.prepared));
    });

  // Sent as one simple query with the ids inlined, the setup was parsed and planned on every
  // request: 120 µs of a backend's CPU against 55 µs prepared (#21, docs/tenancy.md).
  if (engine === "postgres")
    it("BEGIN, the setup, the re-check and COMMIT are named prepared statements, prepared once per connection", async () => {
      const runs = 4;
      for (let i = 0; i < runs; i++) {
        const ctx = ctxOf(academy(PLACEMENTS[i % 2] as string), "i1");
        await withTenant(
          db,
          ctx,
          (trx) => trx.selectFrom("courses").select("id").execute(),
          recheckOf(ctx),
        );
      }
      const ctx = ctxOf(academy("shared"), "i1");
      const prepared = await withTenant(
        db,
        ctx,
        async (trx) =>
          (
            await sql<{ name: string; statement: string; runs: number }>`
              select name, statement, (generic_plans + custom_plans)::int as runs
              from pg_prepared_statements`.execute(trx)
          ).rows,
        recheckOf(ctx),
      );
      const named = (test: (text: string) => boolean) => {
        const found = prepared.filter((p) => test(p.statement.trim().toLowerCase()));
        expect(found).toHaveLength(1);
        expect(found[0]?.name).toMatch(/^sb_[0-9a-f]{24}$/);
        return found[0] as { runs: number };
      };
      named((t) => t === "begin");
      named((t) => t === "commit");
      // Planned statements count their runs: the ones before, and this transaction's own.
      expect(named((t) => t.includes("pg_advisory_xact_lock_shared")).runs).toBeGreaterThan(runs);
      expect(named((t) => t.includes("set_config('search_path'")).runs).toBeGreaterThan(runs);
      expect(named((t) => t.includes("skillbridge_raise")).runs).toBeGreaterThan(runs);
      // The ids are parameters: one text for every academy and user, none inlined.
      for (const p of prepared) expect(p.statement).not.toContain(academy("shared").academyId);
    });

  // What a pipeline saves is waits and, corked, system calls: a write per statement cost a
  // tenth of the server's CPU (#21).
  if (engine === "postgres")
    it("setup, re-check and the first query leave the server in one socket write, COMMIT in a second", async () => {
      const pool = db.pgPool as NonNullable<SkillBridgeDatabase["pgPool"]>;
      const client = await pool.connect();
      const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
      client.release();
      // The socket's own write methods, each one system call (a vectored one for several chunks).
      const socket = Object.getPrototypeOf(stream) as Writable;
      const writes: number[] = [];
      const own = stream as unknown as Record<"_write" | "_writev", unknown>;
      own._write = function (this: Writable, ...args: Parameters<Writable["_write"]>) {
        writes.push(1);
        return socket._write.apply(this, args);
      };
      own._writev = function (
        this: Writable,
        ...args: Parameters<NonNullable<Writable["_writev"]>>
      ) {
        writes.push(args[0].length);
        return socket._writev?.apply(this, args);
      };
      try {
        expect(await titlesSeenBy(academy("shared"))).toBeGreaterThan(0);
      } finally {
        delete own._write;
        delete own._writev;
      }
      // The first write holds several protocol messages (setup, then Bind/Execute/Sync of two).
      expect(writes).toHaveLength(2);
      expect(writes[0]).toBeGreaterThan(1);
    });

  // PGlite has no plan cache to gain from named statements, and each message is a trip
  // through its WebAssembly backend: there the setup stays one message.
  if (engine === "pglite")
    it("sends the setup as one message: setup, re-check, query and COMMIT are four calls", async () => {
      const exec = vi.spyOn(PGlite.prototype, "exec");
      const query = vi.spyOn(PGlite.prototype, "query");
      try {
        expect(await titlesSeenBy(academy("schema"))).toBeGreaterThan(0);
        const setup = exec.mock.calls.map(([text]) => text).filter((t) => t.startsWith("begin"));
        expect(setup).toHaveLength(1);
        expect(setup[0]).toContain(academy("schema").academyId);
        expect(exec.mock.calls.length + query.mock.calls.length).toBe(4);
      } finally {
        exec.mockRestore();
        query.mockRestore();
      }
    });

  it("a token for another academy's user fails the re-check with 401", async () => {
    const a = academy("shared");
    const b = academy("schema");
    // Tenant A, but B's instructor: the user is not A's, so no row, so 401.
    const ctx: TenantContext = { tenantId: a.academyId, userId: b.users.i1, role: "instructor" };
    const { seen, outcome } = await attempt(ctx, "cross-academy");
    expect(outcome.error).toBeInstanceOf(UnauthenticatedError);
    expect(seen.rows).toBeUndefined();
    expect(await courseCount(a, "cross-academy")).toBe(0);
  });

  it("an error mid-pipeline rolls back every statement before it, and is what withTenant rejects with", async () => {
    const a = academy("shared");
    const ctx = ctxOf(a, "i1");
    const failure = await withTenant(
      db,
      ctx,
      async (trx) => {
        await trx
          .insertInto("courses")
          .values({ title: "rolled-back-1", instructor_id: a.users.i1 } as never)
          .execute();
        await trx
          .insertInto("courses")
          .values({ title: "rolled-back-2", instructor_id: a.users.i1 } as never)
          .execute();
        // A foreign key into nowhere: the third statement fails on the server.
        await trx
          .insertInto("courses")
          .values({
            title: "rolled-back-3",
            instructor_id: "00000000-0000-4000-8000-000000000000",
          } as never)
          .execute();
        return "unreachable";
      },
      recheckOf(ctx),
    ).catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe("23503");
    for (const title of ["rolled-back-1", "rolled-back-2", "rolled-back-3"])
      expect(await courseCount(a, title)).toBe(0);
  });

  it("a body that catches a failed statement still ends in a rollback and a rejection", async () => {
    const a = academy("shared");
    const ctx = ctxOf(a, "i1");
    let later: unknown;
    const failure = await withTenant(
      db,
      ctx,
      async (trx) => {
        await trx
          .insertInto("courses")
          .values({ title: "caught-1", instructor_id: a.users.i1 } as never)
          .execute();
        await sql`select 1 / 0`.execute(trx).catch(() => undefined);
        // Every later query reports the first failure rather than running.
        later = await trx
          .selectFrom("courses")
          .select("id")
          .execute()
          .catch((error: unknown) => error);
        return "swallowed";
      },
      recheckOf(ctx),
    ).catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe("22012");
    expect(later).toBe(failure);
    expect(await courseCount(a, "caught-1")).toBe(0);
  });

  it("the connection goes back with no tenant role or setting after a failed re-check or statement", async () => {
    const a = academy("shared");
    await owner("update academies set status = 'suspended' where id = $1", a.academyId);
    try {
      await expect(
        attempt(ctxOf(a, "admin"), "x").then((r) => r.outcome.error),
      ).resolves.toBeInstanceOf(AcademySuspendedError);
    } finally {
      await owner("update academies set status = 'active' where id = $1", a.academyId);
    }
    await withTenant(db, ctxOf(a, "i1"), (trx) => sql`select 1 / 0`.execute(trx)).catch(
      () => undefined,
    );
    // The pool holds one connection (PGlite is one session): this is the one those used.
    const after = await sql<{ role: string; tenant: string | null; search: string; tx: boolean }>`
      select current_user as role, current_setting('app.tenant_id', true) as tenant,
             current_setting('search_path') as search,
             now() <> statement_timestamp() as tx`.execute(db.kysely);
    const row = after.rows[0];
    expect(row?.role).not.toBe("skillbridge_tenant");
    expect(row?.tenant ?? "").toBe("");
    expect(row?.search).not.toContain("academy_");
  });
});
