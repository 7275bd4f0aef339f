import { type SkillBridgeDatabase, TENANT_TABLES } from "@skillbridge/core";
import { sql } from "kysely";

const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every UUID written anywhere in `text` (lowercased). */
export function uuidsIn(text: string): string[] {
  return (text.match(UUID_PATTERN) ?? []).map((id) => id.toLowerCase());
}

export interface Owner {
  /** The academy the row belongs to; null for platform rows (platform users, audit events). */
  readonly academyId: string | null;
  readonly table: string;
}

/**
 * Who owns every id in the database, read as a superuser (past row-level
 * security), so a response can be checked for ids that are not the caller's.
 */
export class IdIndex {
  readonly #owners = new Map<string, Owner>();
  readonly #db: SkillBridgeDatabase;

  constructor(db: SkillBridgeDatabase) {
    this.#db = db;
  }

  /** Reads every id again (after writes). */
  async refresh(): Promise<void> {
    const tenant = TENANT_TABLES.map(
      (table) => `select id::text, tenant_id::text as academy, '${table}' as t from ${table}`,
    );
    const platform = [
      "select id::text, id::text as academy, 'academies' as t from academies",
      "select id::text, null as academy, 'platform_users' as t from platform_users",
      "select id::text, academy_id::text as academy, 'audit_log' as t from audit_log",
    ];
    const rows = await sql<{ id: string; academy: string | null; t: string }>`${sql.raw(
      [...tenant, ...platform].join(" union all "),
    )}`.execute(this.#db.kysely);
    this.#owners.clear();
    for (const row of rows.rows) this.#owners.set(row.id, { academyId: row.academy, table: row.t });
  }

  owner(id: string): Owner | undefined {
    return this.#owners.get(id.toLowerCase());
  }

  /** Ids in `text` that belong to an academy other than `academyId`, or to the platform. */
  foreignIn(text: string, academyId: string): string[] {
    return [
      ...new Set(
        uuidsIn(text).filter((id) => {
          const owner = this.#owners.get(id);
          return owner !== undefined && owner.academyId !== academyId;
        }),
      ),
    ];
  }

  /** Every id of one academy's rows (its academy row included), by table. */
  idsOf(academyId: string): Map<string, string[]> {
    const byTable = new Map<string, string[]>();
    for (const [id, owner] of this.#owners) {
      if (owner.academyId !== academyId) continue;
      byTable.set(owner.table, [...(byTable.get(owner.table) ?? []), id]);
    }
    return byTable;
  }
}

/**
 * A digest of everything one academy has, in every tenant table and its
 * academy row: equal digests before and after an attack mean nothing of that
 * academy was written.
 */
export async function academyFingerprint(
  db: SkillBridgeDatabase,
  academyId: string,
): Promise<string> {
  const parts = [
    ...TENANT_TABLES.map(
      (table) =>
        `select '${table}' as t, coalesce(md5(string_agg(x::text, '|' order by x.id)), '') as d from ${table} x where x.tenant_id = $1`,
    ),
    `select 'academies' as t, coalesce(md5(string_agg(x::text, '|')), '') as d from academies x where x.id = $1`,
  ];
  const rows = await sql<{ t: string; d: string }>`${sql.raw(
    parts.join(" union all ").replaceAll("$1", `'${academyId.replace(/[^0-9a-f-]/gi, "")}'`),
  )}`.execute(db.kysely);
  return rows.rows.map((r) => `${r.t}:${r.d}`).join(",");
}
