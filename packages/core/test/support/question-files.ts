import { expect } from "vitest";
import {
  isSkillBridgeError,
  QuestionFileError,
  type QuestionRow,
  type QuestionSource,
  type ReadQuestionFileOptions,
  readQuestionFile,
} from "../../src/index.js";

/** Every row of a file. */
export async function readAll(
  source: QuestionSource,
  options: ReadQuestionFileOptions,
): Promise<QuestionRow[]> {
  const rows: QuestionRow[] = [];
  for await (const row of readQuestionFile(source, options)) rows.push(row);
  return rows;
}

/** The file-level error reading a file throws (failing the test if it reads cleanly). */
export async function fileError(
  source: QuestionSource,
  options: ReadQuestionFileOptions,
): Promise<{ error: QuestionFileError; rows: QuestionRow[] }> {
  const rows: QuestionRow[] = [];
  try {
    for await (const row of readQuestionFile(source, options)) rows.push(row);
  } catch (error) {
    expect(isSkillBridgeError(error)).toBe(true);
    expect(error).toBeInstanceOf(QuestionFileError);
    expect((error as QuestionFileError).code).toBe("invalid_question_file");
    return { error: error as QuestionFileError, rows };
  }
  throw new Error(`expected a file-level error; read ${rows.length} rows`);
}

/** The text cut into `size`-byte pieces, to prove no parser depends on where chunks end. */
export function chunks(text: string | Uint8Array, size: number): Uint8Array[] {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Rows without their parsed questions' bulk: `[line, externalId, ok or first error path]`. */
export function summary(rows: readonly QuestionRow[]): [number, string | undefined, string][] {
  return rows.map((row) => [
    row.line,
    row.externalId,
    row.ok ? "ok" : row.errors.map((e) => `${e.path}: ${e.message}`).join(" | "),
  ]);
}

/**
 * A source that hands over `head`, then waits until `release` is called
 * before handing over `tail`: a reader that yields a row in between reads
 * as a stream, not the whole file first.
 */
export function gatedSource(
  head: string,
  tail: string,
): {
  source: AsyncIterable<Uint8Array>;
  release: () => void;
  released: () => boolean;
} {
  let open!: () => void;
  let done = false;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const encoder = new TextEncoder();
  async function* source() {
    yield encoder.encode(head);
    await gate;
    yield encoder.encode(tail);
  }
  return {
    source: source(),
    release: () => {
      done = true;
      open();
    },
    released: () => done,
  };
}

/**
 * Reads rows from a gated source, releasing the tail only once the first row
 * has arrived. The bank check's read-ahead (100 rows) is turned off unless
 * `options.lookahead` says otherwise: this is about the parsers streaming.
 */
export async function firstRowBeforeTail(
  head: string,
  tail: string,
  options: ReadQuestionFileOptions,
): Promise<{ firstArrivedBeforeTail: boolean; rows: QuestionRow[] }> {
  const gated = gatedSource(head, tail);
  const rows: QuestionRow[] = [];
  let firstArrivedBeforeTail = false;
  for await (const row of readQuestionFile(gated.source, { lookahead: 0, ...options })) {
    if (rows.length === 0) {
      firstArrivedBeforeTail = !gated.released();
      gated.release();
    }
    rows.push(row);
  }
  return { firstArrivedBeforeTail, rows };
}
