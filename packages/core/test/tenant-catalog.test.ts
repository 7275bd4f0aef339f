import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SkillBridgeDatabase, TENANT_TABLES } from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";

// The catalog is the source of truth: whatever table has a tenant_id column
// must be a listed tenant table (so the isolation suite covers it) and must
// carry every guard DESIGN.md names. A new tenant table without them fails here.

const raw = (db: SkillBridgeDatabase) => db.kysely as unknown as Kysely<unknown>;

async function rows<T>(db: SkillBridgeDatabase, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(raw(db))).rows;
}

/** Every way the catalog can fall short of the design, as readable sentences. */
async function catalogProblems(db: SkillBridgeDatabase): Promise<string[]> {
  const problems: string[] = [];
  const listed = new Set<string>(TENANT_TABLES);

  const tables = await rows(
    db,
    sql<{ table: string; rls: boolean; forced: boolean; not_null: boolean }>`
      select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced, a.attnotnull as not_null
      from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')`,
  );
  for (const t of tables) {
    if (!listed.has(t.table))
      problems.push(`${t.table} has tenant_id but is not in TENANT_TABLES (isolation suite)`);
    if (!t.rls || !t.forced) problems.push(`${t.table} lacks enabled and forced RLS`);
    if (!t.not_null) problems.push(`${t.table}.tenant_id is nullable`);
  }
  const present = new Set(tables.map((t) => t.table));
  for (const table of TENANT_TABLES)
    if (!present.has(table)) problems.push(`${table} is listed but missing`);

  const policies = await rows(
    db,
    sql<{ table: string; cmd: string; qual: string | null; check: string | null }>`
      select c.relname as table, p.polcmd::text as cmd,
             pg_get_expr(p.polqual, p.polrelid) as qual, pg_get_expr(p.polwithcheck, p.polrelid) as check
      from pg_policy p join pg_class c on c.oid = p.polrelid
      where c.relnamespace = 'public'::regnamespace`,
  );
  for (const table of present) {
    const own = policies.filter((p) => p.table === table);
    const tight = own.some(
      (p) =>
        p.cmd === "*" &&
        [p.qual, p.check].every(
          (e) => e?.includes("tenant_id =") && e.includes("current_setting('app.tenant_id'"),
        ),
    );
    if (!tight)
      problems.push(`${table} has no FOR ALL policy on tenant_id with USING and WITH CHECK`);
    if (own.some((p) => /\bOR\b|IS NULL/i.test(`${p.qual} ${p.check}`))) {
      problems.push(`${table} has a policy that can fail open (OR / IS NULL)`);
    }
  }

  const keys = await rows(
    db,
    sql<{
      table: string;
      name: string;
      type: string;
      cols: string[];
      ref_table: string | null;
      ref_cols: string[] | null;
    }>`
      select c.relname as table, k.conname as name, k.contype::text as type,
             array(select a.attname::text from unnest(k.conkey) with ordinality u(n, i)
                   join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as cols,
             r.relname as ref_table,
             case when k.contype = 'f' then array(select a.attname::text from unnest(k.confkey) with ordinality u(n, i)
                   join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) end as ref_cols
      from pg_constraint k join pg_class c on c.oid = k.conrelid left join pg_class r on r.oid = k.confrelid
      where c.relnamespace = 'public'::regnamespace and k.contype in ('p', 'u', 'f')`,
  );
  for (const k of keys) {
    const intoTenant = k.ref_table !== null && present.has(k.ref_table);
    if (present.has(k.table) && k.type === "p" && k.cols.join(",") !== "tenant_id,id") {
      problems.push(`${k.table} primary key is (${k.cols}) not (tenant_id, id)`);
    }
    if (present.has(k.table) && k.type === "u" && k.cols[0] !== "tenant_id") {
      problems.push(`${k.table} unique ${k.name} does not start with tenant_id`);
    }
    if (
      k.type === "f" &&
      intoTenant &&
      (k.cols[0] !== "tenant_id" || k.ref_cols?.[0] !== "tenant_id")
    ) {
      problems.push(
        `${k.table} foreign key ${k.name} into ${k.ref_table} is not composite on tenant_id`,
      );
    }
  }
  for (const table of present) {
    const toAcademies = keys.some(
      (k) => k.table === table && k.type === "f" && k.ref_table === "academies",
    );
    if (!toAcademies) problems.push(`${table}.tenant_id does not reference academies`);
  }

  const indexes = await rows(
    db,
    sql<{ table: string; index: string; first: string }>`
      select t.relname as table, i.relname as index, a.attname as first
      from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      left join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where t.relnamespace = 'public'::regnamespace`,
  );
  for (const ix of indexes) {
    if (present.has(ix.table) && ix.first !== "tenant_id")
      problems.push(`index ${ix.index} does not begin with tenant_id`);
  }
  return problems;
}

describe.each(ENGINES)("tenant catalog (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterAll(() => dispose());

  it("every table with tenant_id is listed, forced under RLS, and keyed by tenant_id throughout", async () => {
    expect(await catalogProblems(db)).toEqual([]);
  });

  it("a new tenant table without RLS, listing or composite keys fails the check", async () => {
    await sql`create table rogue_notes (tenant_id uuid, id uuid primary key, body text)`.execute(
      raw(db),
    );
    await sql`create index rogue_notes_body_idx on rogue_notes (id)`.execute(raw(db));
    try {
      const problems = await catalogProblems(db);
      expect(problems).toEqual(
        expect.arrayContaining([
          "rogue_notes has tenant_id but is not in TENANT_TABLES (isolation suite)",
          "rogue_notes lacks enabled and forced RLS",
          "rogue_notes.tenant_id is nullable",
          "rogue_notes has no FOR ALL policy on tenant_id with USING and WITH CHECK",
          "rogue_notes primary key is (id) not (tenant_id, id)",
          "rogue_notes.tenant_id does not reference academies",
          "index rogue_notes_body_idx does not begin with tenant_id",
        ]),
      );
    } finally {
      await sql`drop table rogue_notes`.execute(raw(db));
    }
  });

  it("a single-column foreign key into a tenant table is reported", async () => {
    await sql`create unique index users_id_only on users (id)`.execute(raw(db));
    await sql`create table rogue_refs (id uuid primary key, user_id uuid references users (id))`.execute(
      raw(db),
    );
    try {
      expect(await catalogProblems(db)).toContainEqual(
        expect.stringMatching(/^rogue_refs foreign key .* into users is not composite/),
      );
    } finally {
      await sql`drop table rogue_refs`.execute(raw(db));
      await sql`drop index users_id_only`.execute(raw(db));
    }
  });
});
