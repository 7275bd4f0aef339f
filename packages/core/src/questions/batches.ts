import {
  QUESTION_BATCH_MAX,
  type QuestionImportReport,
  type QuestionRejection,
  type QuestionUpdate,
} from "../contracts/index.js";
import type { QuestionRow, RejectedQuestionRow, ValidQuestionRow } from "./rows.js";

/** What a client sends per request by default: well under the route's limits (1,000 and 8 MiB). */
export const DEFAULT_CLIENT_BATCH = { maxQuestions: 500, maxBytes: 4 * 1024 * 1024 } as const;

/** Valid rows to send together, and the rows rejected locally while they were gathered. */
export interface QuestionBatch {
  readonly rows: readonly ValidQuestionRow[];
  readonly rejected: readonly RejectedQuestionRow[];
  /** The UTF-8 size of the rows' questions as JSON (the bulk of the request body). */
  readonly bytes: number;
}

/**
 * Groups rows (from `readQuestionFile`) into batches for
 * `POST /admin/questions/batch`: at most `maxQuestions` valid rows and about
 * `maxBytes` of question JSON each, in file order. Each batch also carries
 * the rows rejected locally while it was gathered; the last batch may have
 * no rows, only rejections.
 *
 * @example
 * for await (const batch of questionBatches(readQuestionFile(path, { bank }))) {
 *   tally.reject(batch.rejected);
 *   if (batch.rows.length === 0) continue;
 *   const report = await client.questions.batch({ bank, questions: batch.rows.map((r) => r.question) });
 *   tally.addBatch(batch.rows, report);
 * }
 */
export async function* questionBatches(
  rows: AsyncIterable<QuestionRow> | Iterable<QuestionRow>,
  options: { readonly maxQuestions?: number; readonly maxBytes?: number } = {},
): AsyncGenerator<QuestionBatch, void, undefined> {
  const maxQuestions = Math.min(
    options.maxQuestions ?? DEFAULT_CLIENT_BATCH.maxQuestions,
    QUESTION_BATCH_MAX,
  );
  const maxBytes = options.maxBytes ?? DEFAULT_CLIENT_BATCH.maxBytes;
  if (!(maxQuestions >= 1)) throw new RangeError("maxQuestions must be at least 1.");
  let valid: ValidQuestionRow[] = [];
  let rejected: RejectedQuestionRow[] = [];
  let bytes = 0;
  for await (const row of rows) {
    if (!row.ok) {
      rejected.push(row);
      continue;
    }
    const size = Buffer.byteLength(JSON.stringify(row.question)) + 1;
    if (valid.length > 0 && (valid.length >= maxQuestions || bytes + size > maxBytes)) {
      yield { rows: valid, rejected, bytes };
      valid = [];
      rejected = [];
      bytes = 0;
    }
    valid.push(row);
    bytes += size;
  }
  if (valid.length > 0 || rejected.length > 0) yield { rows: valid, rejected, bytes };
}

function rejection(
  row: { readonly index: number; readonly line: number; readonly externalId?: string },
  errors: QuestionRejection["errors"],
): QuestionRejection {
  return {
    index: row.index,
    line: row.line,
    ...(row.externalId === undefined ? {} : { externalId: row.externalId }),
    errors: [...errors],
  };
}

/**
 * Adds up the reports of one file's batches into one report whose rejections
 * name the file's rows: a batch report's `rejected[].index` is the position in
 * that batch, and is mapped back to the row's index, line and externalId.
 *
 * @example
 * const tally = new QuestionImportTally();
 * tally.reject(localRejections);
 * tally.addBatch(sentRows, await client.questions.batch({ bank, questions: sentRows.map((r) => r.question) }));
 * console.log(tally.report()); // { inserted, updated, unchanged, rejected: [{ index, line, externalId, errors }] }
 */
export class QuestionImportTally {
  #inserted = 0;
  #updated = 0;
  #unchanged = 0;
  #rejected: QuestionRejection[] = [];
  #updates: QuestionUpdate[] = [];

  /** Rows rejected before sending (by `readQuestionFile`'s validation). */
  reject(rows: RejectedQuestionRow | readonly RejectedQuestionRow[]): void {
    for (const row of Array.isArray(rows) ? rows : [rows as RejectedQuestionRow])
      this.#rejected.push(rejection(row, row.errors));
  }

  /** One batch: the rows sent, in the order sent, and the report that came back. */
  addBatch(sent: readonly ValidQuestionRow[], report: QuestionImportReport): void {
    this.#inserted += report.inserted;
    this.#updated += report.updated;
    this.#unchanged += report.unchanged;
    for (const item of report.rejected) {
      const row = sent[item.index];
      if (!row)
        throw new RangeError(`The batch report rejects index ${item.index}, which was not sent.`);
      this.#rejected.push(rejection(row, item.errors));
    }
    for (const item of report.updates ?? []) {
      const row = sent[item.index];
      if (!row)
        throw new RangeError(`The batch report updates index ${item.index}, which was not sent.`);
      this.#updates.push({
        index: row.index,
        line: row.line,
        externalId: row.question.externalId,
        fields: [...item.fields],
      });
    }
  }

  /** Counts so far, for progress displays. */
  get counts(): { inserted: number; updated: number; unchanged: number; rejected: number } {
    return {
      inserted: this.#inserted,
      updated: this.#updated,
      unchanged: this.#unchanged,
      rejected: this.#rejected.length,
    };
  }

  /** The report for the whole file, rejections and updates in file order. */
  report(): QuestionImportReport {
    return {
      inserted: this.#inserted,
      updated: this.#updated,
      unchanged: this.#unchanged,
      rejected: [...this.#rejected].sort((a, b) => a.index - b.index),
      ...(this.#updates.length === 0
        ? {}
        : { updates: [...this.#updates].sort((a, b) => a.index - b.index) }),
    };
  }
}

/** Sums reports whose indexes already refer to one numbering (e.g. tallies of parts of one file). */
export function mergeImportReports(
  ...reports: readonly QuestionImportReport[]
): QuestionImportReport {
  const updates = reports.flatMap((r) => r.updates ?? []).sort((a, b) => a.index - b.index);
  return {
    inserted: reports.reduce((n, r) => n + r.inserted, 0),
    updated: reports.reduce((n, r) => n + r.updated, 0),
    unchanged: reports.reduce((n, r) => n + r.unchanged, 0),
    rejected: reports.flatMap((r) => r.rejected).sort((a, b) => a.index - b.index),
    ...(updates.length === 0 ? {} : { updates }),
  };
}
