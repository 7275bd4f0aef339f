import type { Kysely } from "kysely";
import type { QuestionImportReport } from "../contracts/index.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { QuestionImportTally } from "./batches.js";
import type { QuestionRow, ValidQuestionRow } from "./rows.js";
import { toStoredQuestion } from "./stored-question.js";
import {
  classifyQuestions,
  type PreparedQuestion,
  prepareQuestion,
  type QuestionOutcome,
  upsertQuestions,
} from "./upsert.js";

export interface ImportQuestionsOptions {
  /** Questions per transaction (default 1,000); a batch also closes at about 4 MiB of rows. */
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

// biome-ignore lint/suspicious/noExplicitAny: the upsert is raw SQL, valid on any handle.
type AnyDb = Kysely<any>;

const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Thrown inside the strict transaction to roll it back; never escapes `importQuestions`. */
class RollBack extends Error {}

/**
 * Imports validated rows (from `readQuestionFile`) into the shared bank,
 * idempotently: upserts by `(bank, externalId)`, rewriting a question only
 * when its content hash changed, so a re-import writes nothing and reports
 * every question `unchanged`.
 *
 * Writes go in batches, each its own transaction: an import killed part-way
 * leaves whole batches only, and running it again finishes the job (the
 * batches already written come back `unchanged`). With `strict`, the whole
 * import is one transaction, rolled back if any row is rejected (counts are
 * then 0). With `dryRun`, nothing is written and the counts say what would
 * happen. A database error (a constraint, a lost connection) rolls back the
 * batch in flight and is rethrown; a `QuestionFileError` from the rows is
 * rethrown as is, with the batches before it committed (unless `strict`).
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
  let read = 0;
  let batches = 0;
  let batch: { row: ValidQuestionRow; prepared: PreparedQuestion }[] = [];
  let bytes = 0;

  const flush = async (trx: AnyDb | undefined) => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    bytes = 0;
    const prepared = sent.map((b) => b.prepared);
    let outcomes: QuestionOutcome[];
    if (options.dryRun) outcomes = await classifyQuestions(trx ?? db.kysely, prepared);
    else if (trx) outcomes = await upsertQuestions(trx, prepared);
    else outcomes = await db.kysely.transaction().execute((t) => upsertQuestions(t, prepared));
    tally.addBatch(
      sent.map((b) => b.row),
      {
        inserted: outcomes.filter((o) => o === "inserted").length,
        updated: outcomes.filter((o) => o === "updated").length,
        unchanged: outcomes.filter((o) => o === "unchanged").length,
        rejected: [],
      },
    );
    batches++;
    options.onProgress?.({ rows: read, batches, ...tally.counts });
  };

  const consume = async (trx: AnyDb | undefined) => {
    for await (const row of rows) {
      read++;
      if (!row.ok) {
        tally.reject(row);
        continue;
      }
      // Under strict, one rejection decides: stop writing, keep reading to report them all.
      if (options.strict && tally.counts.rejected > 0) continue;
      const prepared = prepareQuestion(row.question.bank, toStoredQuestion(row.question));
      if (
        batch.length > 0 &&
        (batch.length >= batchSize || bytes + prepared.json.length > MAX_BATCH_BYTES)
      )
        await flush(trx);
      batch.push({ row, prepared });
      bytes += prepared.json.length;
    }
    if (!(options.strict && tally.counts.rejected > 0)) await flush(trx);
  };

  if (!options.strict) {
    await consume(undefined);
    return tally.report();
  }
  try {
    await db.kysely.transaction().execute(async (trx) => {
      await consume(trx);
      if (tally.counts.rejected > 0) throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  const report = tally.report();
  return report.rejected.length > 0
    ? { inserted: 0, updated: 0, unchanged: 0, rejected: report.rejected }
    : report;
}
