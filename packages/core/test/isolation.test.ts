import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Placement } from "../src/contracts/index.js";
import {
  type Database,
  type SkillBridgeDatabase,
  schemaOf,
  TENANT_ROLE,
  TENANT_TABLES,
  type TenantDb,
  TenantScopeViolationError,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// The seeds' "deliberately try to leak": two academies with look-alike data
// (same emails, titles, shapes), and for every tenant table an attempt at
// every kind of cross-academy read and write, through the plugin and around it.
// Run for each placement pair: both shared, A in a dedicated schema beside a
// shared B, and the other way round (docs/tenancy.md, "Placement").

const PLACEMENTS: readonly (readonly [Placement, Placement])[] = [
  ["shared", "shared"],
  ["schema", "shared"],
  ["shared", "schema"],
];
const CASES = ENGINES.flatMap((engine) => PLACEMENTS.map(([pa, pb]) => [engine, pa, pb] as const));

type Raw = Kysely<unknown>;

// Tables with no foreign key into another tenant table: users are the root, and a
// question rating is keyed by a question id that lives in a quiz's JSONB or in the
// platform's bank, neither of which a tenant foreign key can name.
const POINTS_AT_NO_TENANT_ROW: ReadonlySet<string> = new Set(["users", "question_ratings"]);
const raw = (db: SkillBridgeDatabase | TenantDb) =>
  ("kysely" in db ? db.kysely : db) as unknown as Raw;
const system = (tenantId: string) => ({ tenantId, userId: null, role: "system" as const });

async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? "no-code";
  }
}

/** `schema.table` for `sql.table`. */
const inSchema = (schema: string, table: string) => sql.table(`${schema}.${table}`);

/** Ground truth over every schema in play, counted as the (superuser) owner with RLS out of the way. */
async function rowsByAcademy(
  db: SkillBridgeDatabase,
  schemas: readonly string[],
  table: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const schema of schemas) {
    const result = await sql<{ tenant_id: string; n: number }>`
      select tenant_id, count(*)::int as n from ${inSchema(schema, table)} group by tenant_id`.execute(
      raw(db),
    );
    for (const r of result.rows) counts.set(r.tenant_id, (counts.get(r.tenant_id) ?? 0) + r.n);
  }
  return counts;
}

async function anyId(
  db: SkillBridgeDatabase,
  schema: string,
  table: string,
  tenantId: string,
): Promise<string> {
  const result = await sql<{ id: string }>`
    select id from ${inSchema(schema, table)} where tenant_id = ${tenantId} limit 1`.execute(
    raw(db),
  );
  const id = result.rows[0]?.id;
  if (!id) throw new Error(`no ${table} row for ${tenantId}`);
  return id;
}

/** A column of the table other than the keys, for no-op updates. */
async function plainColumn(db: SkillBridgeDatabase, table: string): Promise<string> {
  const result = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = 'public' and table_name = ${table} and column_name not in ('tenant_id', 'id')
    order by ordinal_position limit 1`.execute(raw(db));
  const column = result.rows[0]?.column_name;
  if (!column) throw new Error(`${table} has no plain column`);
  return column;
}

describe.each(CASES)("tenant isolation (%s, A %s, B %s)", (engine, placementA, placementB) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let a: SeededAcademy;
  let b: SeededAcademy;
  /** The schema holding each academy's rows, and every schema in play. */
  let schemaA: string;
  let schemaB: string;
  let schemas: string[];

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    const services = fastServices();
    a = await seedAcademy(db, services, "north", placementA);
    b = await seedAcademy(db, services, "south", placementB);
    schemaA = schemaOf(a.academyId, placementA);
    schemaB = schemaOf(b.academyId, placementB);
    schemas = [...new Set(["public", schemaA, schemaB])];
  });
  afterAll(() => dispose());

  const rowsOf = (table: string) => rowsByAcademy(db, schemas, table);

  describe.each(TENANT_TABLES)("%s", (table) => {
    it("holds rows for both academies, so every check below has something to leak", async () => {
      const counts = await rowsOf(table);
      expect(counts.get(a.academyId)).toBeGreaterThan(0);
      expect(counts.get(b.academyId)).toBe(counts.get(a.academyId));
    });

    it("a scoped select returns exactly the own academy's rows", async () => {
      const counts = await rowsOf(table);
      const rows = await withTenant(db, system(a.academyId), (trx) =>
        (trx as unknown as Kysely<Database>)
          .selectFrom(table)
          .select(["tenant_id", "id"])
          .execute(),
      );
      expect(rows).toHaveLength(counts.get(a.academyId) ?? -1);
      expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([a.academyId]));
    });

    it("raw SQL with no WHERE and no plugin still sees only the own academy (RLS alone)", async () => {
      const counts = await rowsOf(table);
      const rows = await withTenant(db, system(b.academyId), async (trx) => {
        const result = await sql<{
          tenant_id: string;
        }>`select tenant_id from ${sql.table(table)}`.execute(raw(trx));
        return result.rows;
      });
      expect(rows).toHaveLength(counts.get(b.academyId) ?? -1);
      expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([b.academyId]));
    });

    it("an insert carrying the other academy's tenant_id is refused by the policy", async () => {
      const before = await rowsOf(table);
      const code = await sqlState(
        withTenant(db, system(a.academyId), (trx) =>
          sql`insert into ${sql.table(table)}
              select (jsonb_populate_record(null::${sql.table(table)},
                to_jsonb(t) || jsonb_build_object('tenant_id', ${b.academyId}::uuid, 'id', gen_random_uuid()))).*
              from ${sql.table(table)} t limit 1`.execute(raw(trx)),
        ),
      );
      expect(code).toBe("42501");
      expect(await rowsOf(table)).toEqual(before);
    });

    it("the plugin refuses code that writes tenant_id itself", async () => {
      await expect(
        withTenant(db, system(a.academyId), (trx) =>
          (trx as unknown as Kysely<Record<string, Record<string, unknown>>>)
            .insertInto(table)
            .values({ tenant_id: b.academyId })
            .execute(),
        ),
      ).rejects.toBeInstanceOf(TenantScopeViolationError);
    });

    it("updates and deletes by id across academies touch 0 rows, with and without the plugin", async () => {
      const before = await rowsOf(table);
      const foreignId = await anyId(db, schemaB, table, b.academyId);
      const column = await plainColumn(db, table);
      const touched = await withTenant(db, system(a.academyId), async (trx) => {
        const scoped = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
        const viaPluginUpdate = await scoped
          .updateTable(table)
          .set({ [column]: sql.ref(column) })
          .where("id", "=", foreignId)
          .executeTakeFirst();
        const viaPluginDelete = await scoped
          .deleteFrom(table)
          .where("id", "=", foreignId)
          .executeTakeFirst();
        const rawUpdate =
          await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)}
                                    where id = ${foreignId}`.execute(raw(trx));
        const rawDelete =
          await sql`delete from ${sql.table(table)} where id = ${foreignId}`.execute(raw(trx));
        return [
          viaPluginUpdate.numUpdatedRows,
          viaPluginDelete.numDeletedRows,
          rawUpdate.numAffectedRows,
          rawDelete.numAffectedRows,
        ].map(Number);
      });
      expect(touched).toEqual([0, 0, 0, 0]);
      expect(await rowsOf(table)).toEqual(before);
    });

    it("a foreign key pointing into the other academy is rejected by the schema", async () => {
      // As the owner, with RLS out of the way: only the composite keys stand guard here.
      const fks = await sql<{ column: string; target: string }>`
        select a.attname as column, ref.relname as target
        from pg_constraint c
        join pg_class t on t.oid = c.conrelid
        join pg_class ref on ref.oid = c.confrelid
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[2]
        join pg_namespace n on n.oid = t.relnamespace
        where c.contype = 'f' and t.relname = ${table} and n.nspname = ${schemaA}
          and ref.relname <> 'academies'`.execute(raw(db));
      for (const fk of fks.rows) {
        const foreignTarget = await anyId(db, schemaB, fk.target, b.academyId);
        const own = inSchema(schemaA, table);
        const code = await sqlState(
          sql`insert into ${own}
              select (jsonb_populate_record(null::${own},
                to_jsonb(t) || jsonb_build_object('id', gen_random_uuid(), ${fk.column}::text, ${foreignTarget}::uuid))).*
              from ${own} t where tenant_id = ${a.academyId} limit 1`.execute(raw(db)),
        );
        expect(code, `${table}.${fk.column} -> ${fk.target}`).toBe("23503");
      }
      if (!POINTS_AT_NO_TENANT_ROW.has(table)) expect(fks.rows.length).toBeGreaterThan(0);
    });

    it("the tenant role with no academy setting sees zero rows, and an empty one too", async () => {
      for (const schema of schemas) {
        const counts = await raw(db)
          .transaction()
          .execute(async (trx) => {
            await sql`select set_config('role', ${TENANT_ROLE}, true)`.execute(trx);
            const unset = await sql<{
              n: number;
            }>`select count(*)::int as n from ${inSchema(schema, table)}`.execute(trx);
            await sql`select set_config('app.tenant_id', '', true)`.execute(trx);
            const empty = await sql<{
              n: number;
            }>`select count(*)::int as n from ${inSchema(schema, table)}`.execute(trx);
            return [unset.rows[0]?.n, empty.rows[0]?.n];
          });
        expect(counts, schema).toEqual([0, 0]);
      }
    });

    it("naming the other academy's schema explicitly reads, changes and deletes none of its rows", async () => {
      const before = await rowsOf(table);
      const column = await plainColumn(db, table);
      const foreign = inSchema(schemaB, table);
      const seen = await withTenant(db, system(a.academyId), async (trx) => {
        const read = await sql<{ n: number }>`
          select count(*)::int as n from ${foreign} where tenant_id = ${b.academyId}`.execute(
          raw(trx),
        );
        const update = await sql`update ${foreign} set ${sql.ref(column)} = ${sql.ref(column)}
                                 where tenant_id = ${b.academyId}`.execute(raw(trx));
        const remove = await sql`delete from ${foreign} where tenant_id = ${b.academyId}`.execute(
          raw(trx),
        );
        return [read.rows[0]?.n, Number(update.numAffectedRows), Number(remove.numAffectedRows)];
      });
      expect(seen).toEqual([0, 0, 0]);
      expect(await rowsOf(table)).toEqual(before);
    });
  });

  it("the platform's own queries outside a tenant transaction do not run as the tenant role", async () => {
    await withTenant(db, system(a.academyId), async () => undefined);
    const who = await sql<{ user: string; tenant: string | null; path: string }>`
      select current_user as user, current_setting('app.tenant_id', true) as tenant,
             current_setting('search_path') as path`.execute(raw(db));
    expect(who.rows[0]?.user).not.toBe(TENANT_ROLE);
    expect(who.rows[0]?.tenant ?? "").toBe("");
    expect(who.rows[0]?.path).not.toMatch(/academy_/);
  });
});

describe.each(CASES)(
  "one pooled connection shared by academies (%s, A %s, B %s)",
  (engine, placementA, placementB) => {
    let db: SkillBridgeDatabase;
    let dispose: () => Promise<void>;
    let a: SeededAcademy;
    let b: SeededAcademy;
    const paths = new Map<string, string>();

    beforeAll(async () => {
      ({ db, dispose } = await openTestDatabase(engine, { poolSize: 1 }));
      const services = fastServices();
      a = await seedAcademy(db, services, "east", placementA);
      b = await seedAcademy(db, services, "west", placementB);
      for (const [academy, placement] of [
        [a, placementA],
        [b, placementB],
      ] as const) {
        const schema = schemaOf(academy.academyId, placement);
        paths.set(academy.academyId, schema === "public" ? "public" : `${schema}, public`);
      }
    });
    afterAll(() => dispose());

    const observe = (tenantId: string) =>
      withTenant(db, system(tenantId), async (trx) => {
        const setting = await sql<{
          t: string;
          path: string;
        }>`select current_setting('app.tenant_id', true) as t, current_setting('search_path') as path`.execute(
          raw(trx),
        );
        const users = await sql<{ tenant_id: string }>`select tenant_id from users`.execute(
          raw(trx),
        );
        return {
          setting: setting.rows[0]?.t,
          path: setting.rows[0]?.path,
          tenants: new Set(users.rows.map((r) => r.tenant_id)),
        };
      });

    it("A then B then A never shows the previous academy's setting or search_path", async () => {
      for (const academy of [a, b, a, b]) {
        const seen = await observe(academy.academyId);
        expect(seen.setting).toBe(academy.academyId);
        expect(seen.path).toBe(paths.get(academy.academyId));
        expect(seen.tenants).toEqual(new Set([academy.academyId]));
      }
    });

    it("after an error and rollback in B, the connection carries nothing into the next transaction", async () => {
      await expect(
        withTenant(db, system(b.academyId), (trx) => sql`select 1 / 0`.execute(raw(trx))),
      ).rejects.toMatchObject({ code: "22012" });
      await expect(
        withTenant(db, system(b.academyId), async () => {
          throw new Error("application failure after reads");
        }),
      ).rejects.toThrow("application failure");
      const outside = await sql<{ t: string | null; r: string }>`
      select current_setting('app.tenant_id', true) as t, current_user as r`.execute(raw(db));
      expect(outside.rows[0]?.t ?? "").toBe("");
      expect(outside.rows[0]?.r).not.toBe(TENANT_ROLE);
      const seen = await observe(a.academyId);
      expect(seen.tenants).toEqual(new Set([a.academyId]));
    });

    it("interleaved concurrent requests each see only their own academy", async () => {
      const order = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? b : a));
      const results = await Promise.all(order.map((academy) => observe(academy.academyId)));
      results.forEach((seen, i) => {
        const academy = order[i];
        expect(seen.setting).toBe(academy?.academyId);
        expect(seen.path).toBe(paths.get(academy?.academyId ?? ""));
        expect(seen.tenants).toEqual(new Set([academy?.academyId]));
      });
    });
  },
);
