import {
  CompiledQuery,
  type ConnectionProvider,
  type Dialect,
  type Driver,
  type Kysely,
  Transaction,
} from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import type { Database } from "../db/tables.js";
import { ValidationError } from "../errors.js";
import { placementLockOn, searchPathExpression } from "../placement/schema-name.js";
import { TENANT_ROLE } from "../schema/tenant-tables.js";
import { type CallerCheck, callerRecheckStatement, recheckProblem } from "./caller-recheck.js";
import type { TenantContext, TenantDb } from "./context.js";
import {
  PipelinedSession,
  queryNamesFor,
  SequentialSession,
  statementName,
  type TenantSession,
  type TenantStatement,
} from "./pipelined-connection.js";
import { TenantScopePlugin } from "./tenant-scope-plugin.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = new Set(["admin", "instructor", "student", "parent", "system"]);

/**
 * The statements that turn an open transaction into a tenant transaction, sent
 * together (one round trip with BEGIN and the route's first query):
 * 1. the academy's placement lock, shared: a move of this academy (which takes
 *    it exclusively) waits for this transaction, and this one for a move in
 *    progress;
 * 2. `search_path` from the academy's row (docs/tenancy.md, "Placement"): its
 *    dedicated schema then `public` for `placement = 'schema'`, `public` alone
 *    otherwise. A statement of its own, after the lock's, so its snapshot is
 *    taken after the lock is granted and sees a move that just committed;
 *    in the same statement, the tenant role (no BYPASSRLS, owns nothing) and
 *    the settings the RLS policies read. `set_config('role', …, true)` is
 *    `SET LOCAL ROLE` as a function, so it shares a statement with the rest;
 *    the academies row is read under the connection's own role (privileges
 *    are checked when the statement starts, before any `set_config` runs).
 * All transaction-local. The ids are parameters (validated first, for a clear
 * error), so each text is a named prepared statement: PostgreSQL parses and
 * plans it once per connection. As one multi-statement simple query with the
 * values inlined it was parsed and planned on every request: the setup cost a
 * backend 120 µs of CPU per transaction, against 55 µs prepared (pgbench,
 * this machine; docs/tenancy.md).
 */
const LOCK_SQL = placementLockOn("$1::text", "shared");
const SCOPE_SQL =
  `select set_config('search_path', ${searchPathExpression("$1::text")}, true), ` +
  `set_config('role', '${TENANT_ROLE}', true), ` +
  "set_config('app.tenant_id', $1::text, true), " +
  "set_config('app.user_id', $2::text, true), " +
  "set_config('app.role', $3::text, true)";
const BEGIN: TenantStatement = { sql: "begin", parameters: [], name: statementName("begin") };
const BEGIN_READ_ONLY_SQL = "begin transaction read only";
const BEGIN_READ_ONLY: TenantStatement = {
  sql: BEGIN_READ_ONLY_SQL,
  parameters: [],
  name: statementName(BEGIN_READ_ONLY_SQL),
};
const LOCK_NAME = statementName(LOCK_SQL);
const SCOPE_NAME = statementName(SCOPE_SQL);

/**
 * The setup as one simple-protocol message, for PGlite: it has no plan cache
 * to gain from named statements, and each message is a round trip through
 * its WebAssembly backend (three messages took a read with the re-check
 * 1.50-2.43 ms a transaction, one message 1.37-1.50, the old inlined setup
 * 1.30-1.37, three runs each, interleaved). The values are those
 * `scopeStatements` validated (UUIDs, a role from the allow-list, or ""), so
 * none can hold a quote.
 */
function inlined(statements: readonly TenantStatement[]): TenantStatement {
  const sql = statements
    .map((s) =>
      s.sql.replace(/\$(\d+)/g, (_, n: string) => `'${String(s.parameters[Number(n) - 1])}'`),
    )
    .join("; ");
  return { sql, parameters: [] };
}

function scopeStatements(ctx: TenantContext): TenantStatement[] {
  if (!UUID.test(ctx.tenantId)) throw new ValidationError("tenant id must be a UUID");
  if (ctx.userId !== null && !UUID.test(ctx.userId))
    throw new ValidationError("user id must be a UUID");
  if (!ROLES.has(ctx.role)) throw new ValidationError("unknown role");
  const tenantId = ctx.tenantId.toLowerCase();
  return [
    { sql: LOCK_SQL, parameters: [tenantId], name: LOCK_NAME },
    { sql: SCOPE_SQL, parameters: [tenantId, ctx.userId ?? "", ctx.role], name: SCOPE_NAME },
  ];
}

/**
 * A session's handle is a Kysely `Transaction` (so `fn` cannot open another
 * transaction or connection from it) whose executor is `db.kysely`'s, with its
 * compiler and adapter, on one session: it needs no driver or dialect of its own.
 */
const refuse = (): never => {
  throw new Error("a tenant transaction's handle cannot open connections or transactions");
};
const NO_DRIVER: Driver = {
  init: async () => refuse(),
  acquireConnection: async () => refuse(),
  beginTransaction: async () => refuse(),
  commitTransaction: async () => refuse(),
  rollbackTransaction: async () => refuse(),
  releaseConnection: async () => refuse(),
  destroy: async () => refuse(),
};
const NO_DIALECT: Dialect = {
  createAdapter: refuse,
  createDriver: refuse,
  createIntrospector: refuse,
  createQueryCompiler: refuse,
};

function scoped(db: Kysely<Database>, ctx: TenantContext): TenantDb {
  return db.withPlugin(new TenantScopePlugin(ctx.tenantId.toLowerCase())) as unknown as TenantDb;
}

/** What `withTenant` checks besides the tenant itself. */
export interface WithTenantOptions {
  /**
   * Re-check the caller in the transaction, before any of `fn`'s queries: the
   * user still exists, undeleted, with this role, in an academy that exists and
   * is active. Otherwise the transaction aborts (401 `UnauthenticatedError`, or
   * 403 `AcademySuspendedError`) and `fn`'s queries return nothing.
   */
  readonly recheck?: CallerCheck;
  /**
   * The transaction only reads: it begins `READ ONLY`, so PostgreSQL refuses
   * any write in it (an error, and the transaction rolls back). On PostgreSQL,
   * once `fn` is done and every statement has answered without error,
   * `withTenant` returns without waiting for COMMIT's reply: a read-only
   * transaction's results cannot change with its commit, so a read route
   * waits once (setup, re-check and query) instead of twice. The connection
   * goes back to the pool when that reply comes; see `whenReleased`.
   */
  readonly readOnly?: boolean;
  /**
   * Told, when `withTenant` returns before its connection is back in the
   * pool (`readOnly`), of the moment it will be: a promise that never
   * rejects. A caller that bounds how many connections it holds (the
   * server's academy gate) counts the connection until then.
   */
  readonly whenReleased?: (released: Promise<void>) => void;
}

/** A Kysely handle whose every query goes to `session` (through the plugins of `base`). */
function onSession(base: Kysely<Database>, session: TenantSession): Kysely<Database> {
  const provider: ConnectionProvider = { provideConnection: (consumer) => consumer(session) };
  return new Transaction<Database>({
    config: { dialect: NO_DIALECT },
    dialect: NO_DIALECT,
    driver: NO_DRIVER,
    executor: base.getExecutor().withConnectionProvider(provider),
  });
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
 * Round trips (PostgreSQL): the setup (and the re-check, with `recheck`) leave
 * with `fn`'s first query in one pipeline (`pipelined-connection.ts`), so a
 * route that reads once waits twice: setup + re-check + query, then COMMIT;
 * with `readOnly`, once (COMMIT is sent, its reply not waited for).
 * On PGlite (one session, no pipeline) the same statements run one by one.
 * An error anywhere rolls the whole transaction back and is what `withTenant`
 * rejects with, even if `fn` caught it.
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
  options: WithTenantOptions = {},
): Promise<T> {
  const setup = [options.readOnly ? BEGIN_READ_ONLY : BEGIN, ...scopeStatements(ctx)];
  const statements: TenantStatement[] = db.pgPool ? setup : [inlined(setup)];
  if (options.recheck) {
    if (!UUID.test(options.recheck.userId)) throw new ValidationError("user id must be a UUID");
    statements.push(callerRecheckStatement(ctx.tenantId.toLowerCase(), options.recheck));
  }
  /** `endsUnawaited`: true when the transaction's end was left to run on its own (read-only). */
  const run = async (session: TenantSession, endsUnawaited?: () => boolean): Promise<T> => {
    session.start(statements);
    let result: T;
    try {
      result = await fn(scoped(onSession(db.kysely, session), ctx));
    } catch (error) {
      await session.finish("rollback");
      // A failed re-check explains every later failure of the transaction.
      throw recheckProblem(session.failure) ?? recheckProblem(error) ?? error;
    }
    if (endsUnawaited?.()) return result;
    try {
      await session.finish("commit");
    } catch (error) {
      throw recheckProblem(error) ?? error;
    }
    return result;
  };
  const pool = db.pgPool;
  if (pool) {
    const client = await pool.connect();
    const session = new PipelinedSession(client, queryNamesFor(pool));
    const release = () => {
      session.detach();
      // Never pool a connection still inside a transaction (it would carry the
      // tenant role to the next user): one whose COMMIT or ROLLBACK did not get
      // through is closed instead.
      client.release(client.getTransactionStatus() !== "I");
    };
    let committing: Promise<void> | undefined;
    const commitUnawaited = () => {
      committing = session.commitUnawaited();
      return committing !== undefined;
    };
    try {
      return await run(session, options.readOnly ? commitUnawaited : undefined);
    } finally {
      if (committing) {
        // Not inside the optional call: its argument would go unevaluated without `whenReleased`.
        // Nobody may be waiting on it, so it must not reject: a throw here would be unhandled.
        const released = committing.then(release).catch(() => undefined);
        options.whenReleased?.(released);
      } else release();
    }
  }
  return db.kysely.connection().execute(async (conn) => {
    const inner = await conn.getExecutor().provideConnection(async (c) => c);
    return run(new SequentialSession(inner));
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
  for (const statement of scopeStatements(ctx))
    await trx.executeQuery(CompiledQuery.raw(statement.sql, [...statement.parameters]));
  return scoped(trx, ctx);
}
