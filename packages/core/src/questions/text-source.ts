import { createReadStream } from "node:fs";
import { QuestionFileError } from "../errors.js";

/** A file path, or the bytes (or text) of a file as they arrive: a `Readable`, a web stream, an array. */
export type QuestionSource =
  | string
  | URL
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

/** One line of text without its line break, with its 1-based number. */
export interface SourceLine {
  readonly text: string;
  readonly line: number;
}

const NEWLINE = 0x0a;

async function* chunksOf(source: QuestionSource): AsyncGenerator<Uint8Array | string> {
  if (typeof source !== "string" && !(source instanceof URL)) {
    yield* source;
    return;
  }
  try {
    yield* createReadStream(source, { highWaterMark: 1 << 20 });
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    throw new QuestionFileError(
      `Cannot read ${String(source)}${typeof code === "string" ? ` (${code})` : ""}.`,
      undefined,
      { cause },
    );
  }
}

function refuseOtherEncodings(head: Uint8Array): void {
  const [a, b, c, d] = head;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
    throw new QuestionFileError(
      "The file is UTF-16 (it starts with a UTF-16 byte order mark). Save it as UTF-8 and import it again.",
      1,
    );
  }
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) {
    throw new QuestionFileError("The file is UTF-32. Save it as UTF-8 and import it again.", 1);
  }
}

/**
 * The text of a question file in blocks of whole lines (`\r\n` and lone `\r`
 * become `\n`), decoded strictly as UTF-8 (a leading BOM is dropped). Bytes
 * are never held beyond the current chunk and its unfinished last line.
 * Throws a {@link QuestionFileError} naming the line for UTF-16/UTF-32 files,
 * NUL bytes and invalid UTF-8 (Latin-1 or Windows-1252 text, say).
 */
export async function* readTextBlocks(
  source: QuestionSource,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const encoder = new TextEncoder();
  let pending: Uint8Array = new Uint8Array(0);
  let line = 1;
  let first = true;

  /**
   * Decodes whole lines. On a bad byte, the lines before it are still
   * returned, with the error to throw once they have been handed on.
   */
  const decode = (bytes: Uint8Array): { text: string; error?: QuestionFileError } => {
    const nul = bytes.indexOf(0);
    let bad: { at: number; error: QuestionFileError } | undefined;
    let text: string | undefined;
    if (nul !== -1) {
      bad = {
        at: lineStart(bytes, nul),
        error: new QuestionFileError(
          "The file holds NUL bytes: it is binary, or text in UTF-16. Save it as UTF-8 text.",
          line + countNewlines(bytes.subarray(0, nul)),
        ),
      };
    } else {
      try {
        text = decoder.decode(bytes);
      } catch {
        bad = invalidUtf8(bytes, line);
      }
    }
    const good = bad ? bytes.subarray(0, bad.at) : bytes;
    text ??= decoder.decode(good);
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    line += countNewlines(good);
    text = text.replace(/\r\n?/g, "\n");
    return bad ? { text, error: bad.error } : { text };
  };

  for await (const chunk of chunksOf(source)) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    if (bytes.length === 0) continue;
    const joined = pending.length === 0 ? bytes : concat(pending, bytes);
    if (first && joined.length < 4) {
      pending = joined;
      continue;
    }
    if (first) refuseOtherEncodings(joined);
    const end = joined.lastIndexOf(NEWLINE);
    if (end === -1) {
      pending = joined;
      continue;
    }
    // A line break byte never occurs inside a multi-byte UTF-8 sequence: whole lines decode alone.
    pending = joined.slice(end + 1);
    const { text, error } = decode(joined.subarray(0, end + 1));
    if (text.length > 0) yield text;
    if (error) throw error;
  }
  if (pending.length > 0) {
    if (first) refuseOtherEncodings(pending);
    const { text, error } = decode(pending);
    if (text.length > 0) yield text;
    if (error) throw error;
  }
}

/** The lines of a question file, numbered from 1. */
export async function* readLines(
  source: QuestionSource,
): AsyncGenerator<SourceLine, void, undefined> {
  let line = 1;
  let carry = "";
  for await (const block of readTextBlocks(source)) {
    const parts = (carry + block).split("\n");
    carry = parts.pop() ?? "";
    for (const text of parts) yield { text, line: line++ };
  }
  if (carry.length > 0) yield { text: carry, line };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/** Where the line holding byte `index` starts. */
function lineStart(bytes: Uint8Array, index: number): number {
  return index === 0 ? 0 : bytes.lastIndexOf(NEWLINE, index - 1) + 1;
}

/** The first line of `bytes` that is not valid UTF-8: where it starts, and the error naming it. */
function invalidUtf8(
  bytes: Uint8Array,
  firstLine: number,
): { at: number; error: QuestionFileError } {
  // Line by line: a line break byte never occurs inside a multi-byte sequence.
  const strict = new TextDecoder("utf-8", { fatal: true });
  let start = 0;
  for (let n = 0; start < bytes.length; n++) {
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end === -1 ? bytes.length : end + 1;
    try {
      strict.decode(bytes.subarray(start, stop));
    } catch (cause) {
      return {
        at: start,
        error: new QuestionFileError(
          "This line is not valid UTF-8 (Latin-1 or Windows-1252 text, perhaps). Save the file as UTF-8.",
          firstLine + n,
          { cause },
        ),
      };
    }
    start = stop;
  }
  return { at: 0, error: new QuestionFileError("The file is not valid UTF-8.", firstLine) };
}
