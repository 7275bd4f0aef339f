import type { Question } from "../contracts/index.js";
import type { FieldProblem } from "../errors.js";

/** Where a question came from: its 0-based position among the file's questions and its 1-based line. */
export interface RowPosition {
  readonly index: number;
  readonly line: number;
  /** Known as soon as the row's id could be read, valid or not. */
  readonly externalId?: string;
}

/**
 * The markup a question's texts are written in, as a file's own markers say
 * (GIFT `[html]`, `[markdown]`, `[plain]`, `[moodle]` → plain). Carried on the
 * row beside the question until the question model has a `format` field of
 * its own (the Moodle XML work adds it); then it moves into the question.
 */
export type TextFormat = "plain" | "markdown" | "html";

/** A parser's output: a candidate object to validate, or why the text is not one. */
export type SourceRow = RowPosition &
  (
    | { readonly ok: true; readonly value: unknown; readonly format?: TextFormat }
    | { readonly ok: false; readonly errors: readonly FieldProblem[] }
  );

export type ValidQuestionRow = RowPosition & {
  readonly ok: true;
  readonly question: Question;
  /** The texts' format when the file stated one (see {@link TextFormat}). */
  readonly format?: TextFormat;
};
export type RejectedQuestionRow = RowPosition & {
  readonly ok: false;
  readonly errors: readonly FieldProblem[];
};

/** One question of a file after validation: ready to import, or rejected with its errors. */
export type QuestionRow = ValidQuestionRow | RejectedQuestionRow;

/** A row position, leaving `externalId` out when unknown (exact optional properties). */
export function position(index: number, line: number, externalId?: string): RowPosition {
  return externalId === undefined ? { index, line } : { index, line, externalId };
}

/** The trimmed `externalId` of a candidate, if it has a usable one. */
export function externalIdOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const id = (value as { externalId?: unknown }).externalId;
  if (typeof id !== "string") return undefined;
  const trimmed = id.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}
