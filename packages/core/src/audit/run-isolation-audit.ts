import { type Kysely, sql } from "kysely";
import type { Executor } from "../catalog/sql.js";
import type { IsolationAuditReport } from "../contracts/isolation-audit.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import type { AuditContext } from "./audit-context.js";
import { readCatalogSnapshot } from "./catalog-snapshot.js";
import { type CheckResult, finder, ran, toReport } from "./check-result.js";
import { STATIC_CHECKS } from "./checks/index.js";
import { isolated } from "./savepoint.js";

export interface IsolationAuditOptions {
  /** Tables estimated larger than this are sampled by the data checks (default 100 000 rows). */
  readonly sampleRows?: number | undefined;
  /** `statement_timeout` of each data-check query, in ms (default 5 000). */
  readonly dataTimeoutMs?: number | undefined;
}

/**
 * The static isolation audit inside a transaction the caller has open (and
 * will roll back): every check runs in savepoints that are rolled back, so it
 * leaves nothing behind. For tests that change cluster-wide state (roles) in a
 * transaction they roll back; otherwise use {@link runIsolationAudit}.
 */
export async function runIsolationAuditInTransaction(
  trx: Kysely<unknown>,
  options: IsolationAuditOptions = {},
): Promise<IsolationAuditReport> {
  const db: Executor = trx;
  const ctx: AuditContext = {
    db,
    catalog: await readCatalogSnapshot(db),
    sampleRows: options.sampleRows ?? 100_000,
    dataTimeoutMs: options.dataTimeoutMs ?? 5_000,
  };
  const results: CheckResult[] = [];
  for (const check of STATIC_CHECKS) {
    const attempt = await isolated(db, () => check.run(ctx));
    if (attempt.ok) {
      results.push(attempt.value);
    } else {
      // A check that breaks is reported, and the others still run.
      const message =
        attempt.error instanceof Error ? attempt.error.message : String(attempt.error);
      results.push(
        ran(check, `could not complete: ${message}`, [
          finder(check)(
            "medium",
            check.id,
            `The check failed to run (${message}), so what it proves is unverified.`,
            "Rerun the audit; if it keeps failing, report it with this message.",
          ),
        ]),
      );
    }
  }
  return toReport(results);
}

/**
 * Audits the database for tenant isolation: the catalog (RLS, policies and
 * their behaviour, keys, indexes, foreign keys, tables holding tenant data
 * without tenant_id, views, SECURITY DEFINER functions, the serving role's
 * attributes and grants), sampled data (rows referencing another academy),
 * Citus readiness and dedicated schemas. Read-only: one transaction, rolled
 * back. `ok` is false when any finding is high.
 *
 * @example
 * const report = await runIsolationAudit(db);
 * if (!report.ok) console.error(report.findings.filter((f) => f.severity === "high"));
 */
export async function runIsolationAudit(
  db: SkillBridgeDatabase,
  options: IsolationAuditOptions = {},
): Promise<IsolationAuditReport> {
  const kysely = db.kysely as unknown as Kysely<unknown>;
  return kysely.connection().execute(async (conn) => {
    await sql.raw("begin read only").execute(conn);
    try {
      return await runIsolationAuditInTransaction(conn, options);
    } finally {
      await sql.raw("rollback").execute(conn);
    }
  });
}
