import { type Kysely, sql, type Transaction } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import type { Database } from "../db/tables.js";
import { ValidationError } from "../errors.js";
import { placementLockSql, searchPathExpression } from "../placement/schema-name.js";
import { TENANT_ROLE } from "../schema/tenant-tables.js";
import type { TenantContext, TenantDb } from "./context.js";
import { TenantScopePlugin } from "./tenant-scope-plugin.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = new Set(["admin", "instructor", "student", "parent", "system"]);

/**
 * The statements that turn an open transaction into a tenant transaction, sent
 * together (one round trip with BEGIN):
 * 1. the academy's placement lock, shared: a move of this academy (which takes
 *    it exclusively) waits for this transaction, and this one for a move in
 *    progress;
 * 2. `search_path` from the academy's row (docs/tenancy.md, "Placement"): its
 *    dedicated schema then `public` for `placement = 'schema'`, `public` alone
 *    otherwise. A statement of its own, so its snapshot is taken after the lock
 *    is granted and sees a move that just committed;
 * 3. the tenant role (no BYPASSRLS, owns nothing) and the settings the RLS
 *    policies read. `set_config('role', …, true)` is `SET LOCAL ROLE` as a
 *    function, so it shares a statement with the rest.
 * All transaction-local. Values are inlined only after strict validation.
 */
function scopeStatement(ctx: TenantContext): string {
  if (!UUID.test(ctx.tenantId)) throw new ValidationError("tenant id must be a UUID");
  if (ctx.userId !== null && !UUID.test(ctx.userId))
    throw new ValidationError("user id must be a UUID");
  if (!ROLES.has(ctx.role)) throw new ValidationError("unknown role");
  const tenantId = ctx.tenantId.toLowerCase();
  return (
    `${placementLockSql(tenantId, "shared")}; ` +
    `select set_config('search_path', ${searchPathExpression(tenantId)}, true); ` +
    `select set_config('role', '${TENANT_ROLE}', true), ` +
    `set_config('app.tenant_id', '${tenantId}', true), ` +
    `set_config('app.user_id', '${ctx.userId ?? ""}', true), ` +
    `set_config('app.role', '${ctx.role}', true)`
  );
}

function scoped(db: Kysely<Database>, ctx: TenantContext): TenantDb {
  return db.withPlugin(new TenantScopePlugin(ctx.tenantId.toLowerCase())) as unknown as TenantDb;
}

/**
 * Runs `fn` in one transaction scoped to one academy, and is the only way to
 * reach tenant tables. Three layers hold the line: the tenant role with forced
 * RLS keyed on a transaction-local setting (so a pooled connection never
 * carries it on), the tenant-scope plugin on the Kysely handed to `fn`, and
 * composite keys in the schema.
 *
 * For an academy placed in a dedicated schema, `search_path` (transaction-local)
 * puts that schema first, so the same unqualified queries reach its tables.
 *
 * Round trips: one for BEGIN plus the scope settings, one for COMMIT, and
 * whatever `fn` runs.
 *
 * @example
 * const courses = await withTenant(db, { tenantId, userId, role: "admin" }, (trx) =>
 *   trx.selectFrom("courses").selectAll().execute(),
 * );
 */
export async function withTenant<T>(
  db: SkillBridgeDatabase,
  ctx: TenantContext,
  fn: (trx: TenantDb) => Promise<T>,
): Promise<T> {
  const setup = `begin; ${scopeStatement(ctx)}`;
  return db.kysely.connection().execute(async (conn) => {
    await sql.raw(setup).execute(conn);
    let result: T;
    try {
      result = await fn(scoped(conn, ctx));
    } catch (error) {
      // The caller's error is the one worth reporting; a failed rollback means a
      // broken connection, which the pool discards on its next use.
      await sql
        .raw("rollback")
        .execute(conn)
        .catch(() => undefined);
      throw error;
    }
    await sql.raw("commit").execute(conn);
    return result;
  });
}

/**
 * Turns an open platform transaction into a tenant one for the rest of its
 * life, so that onboarding can create an academy and its first admin
 * atomically. Platform writes must come before this call.
 */
export async function enterTenantScope(
  trx: Transaction<Database>,
  ctx: TenantContext,
): Promise<TenantDb> {
  await sql.raw(scopeStatement(ctx)).execute(trx);
  return scoped(trx, ctx);
}
