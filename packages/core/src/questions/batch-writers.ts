import type { Kysely } from "kysely";
import type pg from "pg";
import { copyIn } from "../db/copy-in.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { isUniqueViolation } from "../services/db-errors.js";
import { copyRow } from "./copy-text.js";
import type { StoredQuestion } from "./stored-question.js";
import {
  type BatchOutcome,
  classify,
  classifyQuestions,
  describeChanges,
  IMPORT_COLUMNS,
  outcomesOf,
  type QuestionOutcome,
  questionKey,
  type RunSql,
  settledChanges,
  updateChanged,
  upsertQuestions,
} from "./upsert.js";

/** Writes (or classifies) one batch at a time, in import order. */
export interface BatchWriter {
  write(batch: readonly StoredQuestion[]): Promise<BatchOutcome>;
  /** Gives back what the writer holds; `broken` when its connection may be unusable. */
  close(broken: boolean): void;
}

/** Dry runs: classify against the bank, write nothing. */
export function classifyingWriter(db: SkillBridgeDatabase): BatchWriter {
  return { write: (batch) => classifyQuestions(db.kysely, batch), close: () => undefined };
}

/** Each batch in its own transaction, through Kysely (both engines). */
export function statementWriter(db: SkillBridgeDatabase): BatchWriter {
  return {
    write: (batch) => db.kysely.transaction().execute((trx) => upsertQuestions(trx, batch)),
    close: () => undefined,
  };
}

/** Every batch inside one transaction the caller holds (strict imports). */
// biome-ignore lint/suspicious/noExplicitAny: the upsert is raw SQL, valid on any handle.
export function inTransactionWriter(trx: Kysely<any>): BatchWriter {
  return { write: (batch) => upsertQuestions(trx, batch), close: () => undefined };
}

/**
 * PostgreSQL's fast path, each batch its own transaction on one pooled
 * client. New rows go in with `COPY`, the server's bulk path: no per-row
 * statement work, no JSON to take apart.
 *
 * While batches turn out all new (a first import), a batch is one COPY
 * statement, its own transaction, with no look-up. If the unique index refuses it, some keys
 * exist: the batch rolls back and goes the careful way, as do the batches
 * after it until one is all new again: look up the batch's keys, COPY the
 * new rows, update the changed ones, leave the unchanged alone. Should
 * another import insert one of the keys between the look-up and the COPY,
 * the batch rolls back once more and is written through the statement path,
 * whose `ON CONFLICT` handles exactly that.
 */
export async function copyWriter(db: SkillBridgeDatabase, pool: pg.Pool): Promise<BatchWriter> {
  const client = await pool.connect();
  const run: RunSql = async <R>(text: string, parameters: readonly unknown[]) =>
    (await client.query(text, [...parameters])).rows as R[];
  const copy = (rows: readonly StoredQuestion[]) =>
    copyIn(
      client,
      `copy exam_questions (${IMPORT_COLUMNS}) from stdin`,
      rows.map(copyRow).join(""),
    );
  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    await client.query("begin");
    try {
      const result = await work();
      await client.query("commit");
      return result;
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    }
  };
  let allNew = true;

  const careful = async (batch: readonly StoredQuestion[]): Promise<BatchOutcome> => {
    const { planned, updated, changes } = await inTransaction(async () => {
      const planned = await classify(run, batch);
      const changes = await describeChanges(run, batch, planned);
      const fresh = batch.filter((_, i) => planned[i] === "inserted");
      if (fresh.length > 0) await copy(fresh);
      const updated = await updateChanged(
        run,
        batch.filter((_, i) => planned[i] === "updated"),
      );
      return { planned, updated, changes };
    });
    allNew = planned.every((o) => o === "inserted");
    const inserted = new Map(
      batch
        .filter((_, i) => planned[i] === "inserted")
        .map((q) => [questionKey(q), "inserted" as const]),
    );
    const outcomes = outcomesOf(batch, planned, inserted, updated);
    return { outcomes, changes: settledChanges(outcomes, changes) };
  };

  return {
    async write(batch) {
      try {
        if (allNew) {
          try {
            // One statement outside a transaction block is a transaction of its own: the batch
            // is in whole or not at all, for one round trip.
            await copy(batch);
            return { outcomes: batch.map((): QuestionOutcome => "inserted"), changes: new Map() };
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
          }
        }
        return await careful(batch);
      } catch (error) {
        if (isUniqueViolation(error)) return statementWriter(db).write(batch);
        throw error;
      }
    },
    close(broken) {
      client.release(broken);
    },
  };
}
