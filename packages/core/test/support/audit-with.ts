import { type Kysely, sql } from "kysely";
import { expect } from "vitest";
import type { IsolationAuditReport } from "../../src/contracts/index.js";
import { runIsolationAuditInTransaction, type SkillBridgeDatabase } from "../../src/index.js";

// The audit must find real breaches, not restate the happy path. Each breach is
// applied with SQL inside a transaction, the audit runs in that transaction,
// and the transaction is rolled back: DDL and even role changes (cluster-wide
// on a real server) never outlive the test.

export type Raw = Kysely<unknown>;
export const raw = (db: SkillBridgeDatabase) => db.kysely as unknown as Raw;

const ROLLBACK = new Error("rollback");

/** The audit of the database with `breach` applied, then rolled back. */
export async function auditWith(
  db: SkillBridgeDatabase,
  breach: (trx: Raw) => Promise<unknown>,
): Promise<IsolationAuditReport> {
  let report: IsolationAuditReport | undefined;
  const outcome = await raw(db)
    .transaction()
    .execute(async (trx) => {
      await breach(trx);
      report = await runIsolationAuditInTransaction(trx);
      throw ROLLBACK;
    })
    .catch((e: unknown) => e);
  expect(outcome).toBe(ROLLBACK);
  if (!report) throw new Error("the audit did not run");
  return report;
}

export const exec = (trx: Raw, text: string) => sql.raw(text).execute(trx);
