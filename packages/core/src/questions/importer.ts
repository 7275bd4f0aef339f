import type { QuestionImportReport } from "../contracts/index.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import {
  type BatchWriter,
  classifyingWriter,
  copyWriter,
  inTransactionWriter,
  statementWriter,
} from "./batch-writers.js";
import { QuestionImportTally } from "./batches.js";
import type { QuestionRow, ValidQuestionRow } from "./rows.js";
import { type StoredQuestion, toStoredQuestion } from "./stored-question.js";

export interface ImportQuestionsOptions {
  /** Questions per transaction (default 1,000); a batch also closes at about 4 MiB of text. */
  readonly batchSize?: number;
  /** Any rejected row: write nothing at all (one transaction for the whole import, rolled back). */
  readonly strict?: boolean;
  /** Validate and classify against the bank; write nothing. */
  readonly dryRun?: boolean;
  /** Called after each batch is committed (or classified), with the running counts. */
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  /** Rows read so far, valid or not. */
  readonly rows: number;
  readonly batches: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
}

const MAX_BATCH_CHARS = 4 * 1024 * 1024;

/** Thrown inside the strict transaction to roll it back; never escapes `importQuestions`. */
class RollBack extends Error {}

interface Batch {
  readonly rows: ValidQuestionRow[];
  readonly stored: StoredQuestion[];
}

/**
 * Imports validated rows (from `readQuestionFile`) into the shared bank,
 * idempotently: upserts by `(bank, externalId)` and rewrites a question only
 * when its content hash changed, so a re-import writes nothing and reports
 * every question `unchanged`. Each rewrite (or, in a dry run, each would-be
 * rewrite) is listed in `updates` with the fields it changes.
 *
 * Writes go in batches, each its own transaction: an import killed part-way
 * leaves whole batches only, and running it again finishes the job (the
 * batches already written come back `unchanged`). On PostgreSQL new rows go
 * in with `COPY`; on PGlite with one `INSERT ... SELECT` per batch. Reading
 * and checking the next batch overlaps writing the current one. With
 * `strict`, the whole import is one transaction, rolled back if any row is
 * rejected (the counts are then 0). With `dryRun`, nothing is written and
 * the counts say what would happen. A database error (a constraint, a lost
 * connection) rolls back the batch in flight and is rethrown; so is a
 * `QuestionFileError` from the rows, once the batch in flight has settled.
 *
 * @example
 * const report = await importQuestions(db, readQuestionFile("sat.csv", { bank: "sat" }));
 * // { inserted: 120, updated: 0, unchanged: 0, rejected: [{ index: 7, line: 9, externalId: "sat-8", errors: [...] }] }
 */
export async function importQuestions(
  db: SkillBridgeDatabase,
  rows: AsyncIterable<QuestionRow> | Iterable<QuestionRow>,
  options: ImportQuestionsOptions = {},
): Promise<QuestionImportReport> {
  const batchSize = options.batchSize ?? 1_000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer; got ${batchSize}.`);
  const tally = new QuestionImportTally();
  const progress = { read: 0, batches: 0 };

  const run = async (writer: BatchWriter) => {
    let batch: Batch = { rows: [], stored: [] };
    let chars = 0;
    // At most one batch is written while the next is read and checked.
    let writing: Promise<void> | undefined;
    const send = async () => {
      if (writing) await writing;
      if (batch.rows.length === 0) return;
      const sent = batch;
      batch = { rows: [], stored: [] };
      chars = 0;
      writing = writer.write(sent.stored).then(({ outcomes, changes }) => {
        tally.addBatch(sent.rows, {
          inserted: outcomes.filter((o) => o === "inserted").length,
          updated: outcomes.filter((o) => o === "updated").length,
          unchanged: outcomes.filter((o) => o === "unchanged").length,
          rejected: [],
          updates: [...changes].map(([index, fields]) => ({
            index,
            externalId: sent.stored[index]?.external_id ?? "",
            fields: [...fields],
          })),
        });
        progress.batches++;
        options.onProgress?.({ rows: progress.read, batches: progress.batches, ...tally.counts });
      });
      // Handled here so a failure while the next batch is read is not "unhandled"; awaited later.
      writing.catch(() => undefined);
    };
    try {
      for await (const row of rows) {
        progress.read++;
        if (!row.ok) {
          tally.reject(row);
          continue;
        }
        // Under strict, one rejection decides: stop writing, keep reading to report them all.
        if (options.strict && tally.counts.rejected > 0) continue;
        const stored = toStoredQuestion(row.question);
        const size = stored.prompt.length + (stored.passage?.length ?? 0) + stored.content.length;
        if (
          batch.rows.length >= batchSize ||
          (batch.rows.length > 0 && chars + size > MAX_BATCH_CHARS)
        )
          await send();
        batch.rows.push(row);
        batch.stored.push(stored);
        chars += size;
      }
      if (!(options.strict && tally.counts.rejected > 0)) await send();
      await writing;
    } catch (error) {
      // Let the batch in flight settle (commit or roll back) before reporting the first failure.
      await writing?.catch(() => undefined);
      throw error;
    }
  };

  const single = async (writer: BatchWriter) => {
    let broken = false;
    try {
      await run(writer);
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      writer.close(broken);
    }
  };

  if (options.dryRun) {
    await single(classifyingWriter(db));
  } else if (options.strict) {
    try {
      await db.kysely.transaction().execute(async (trx) => {
        await run(inTransactionWriter(trx));
        if (tally.counts.rejected > 0) throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
  } else {
    await single(db.pgPool ? await copyWriter(db, db.pgPool) : statementWriter(db));
  }
  const report = tally.report();
  return options.strict && report.rejected.length > 0
    ? { inserted: 0, updated: 0, unchanged: 0, rejected: report.rejected }
    : report;
}
