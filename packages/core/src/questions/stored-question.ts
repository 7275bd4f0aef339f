import { hash } from "node:crypto";
import type {
  ExamQuestion,
  LearnerExamQuestion,
  Question,
  QuestionTextFormat,
} from "../contracts/index.js";
import { iso } from "../services/service-deps.js";

/**
 * How a question sits in `exam_questions`: the fields filtered across rows
 * are columns, the type's own fields are `content`, and everything that
 * scores it is `answer` (so a learner's read never needs to touch it).
 * `content` and `answer` are kept as JSON text: serialised once, they feed
 * the hash, the JSON recordset and COPY alike.
 */
export interface StoredQuestion {
  readonly bank: string;
  readonly external_id: string;
  readonly type: string;
  readonly topic: string;
  readonly standard_id: string | null;
  readonly section: string | null;
  readonly format: QuestionTextFormat;
  readonly difficulty: number;
  readonly prompt: string;
  readonly passage: string | null;
  readonly explanation: string | null;
  readonly content: string;
  readonly answer: string;
  readonly tags: readonly string[];
  readonly content_hash: string;
}

/** Bumped when the stored shape changes, so a re-import rewrites every row once. */
const HASH_VERSION = "v2";

/** The type's own fields, as stored in `content` (and hashed for generated ids). */
export function contentOf(question: Question): Record<string, unknown> {
  const options = (list: readonly { id: string; text: string }[]) =>
    list.map(({ id, text }) => ({ id, text }));
  switch (question.type) {
    case "multiple_choice":
    case "multi_select":
    case "sentence_equivalence":
      return { options: options(question.options) };
    case "quantitative_comparison":
      return { quantityA: question.quantityA, quantityB: question.quantityB };
    case "numeric_entry":
      return question.tolerance === undefined ? {} : { tolerance: question.tolerance };
    case "grid_in":
      return {};
    case "text_completion":
      return { blanks: question.blanks.map((blank) => ({ options: options(blank.options) })) };
    case "select_in_passage":
      return { sentences: [...question.sentences] };
  }
}

/**
 * The row for a validated question, with its content hash: SHA-256 over
 * every stored field but the key (bank, externalId), so an unchanged question
 * hashes the same on every import and any edit changes it.
 */
export function toStoredQuestion(question: Question): StoredQuestion {
  const content = JSON.stringify(contentOf(question));
  const answer = JSON.stringify(question.answer);
  const tags = question.tags ?? [];
  const standardId = question.standardId ?? null;
  const section = question.section ?? null;
  const passage = question.passage ?? null;
  const explanation = question.explanation ?? null;
  const format = question.format ?? "plain";
  // Text fields hold no NUL (validation refuses it) and are never empty, so NUL-separated
  // fields, with "" for null and the tag count up front, are an unambiguous canonical text.
  const content_hash = hash(
    "sha256",
    [
      HASH_VERSION,
      question.type,
      question.topic,
      standardId ?? "",
      section ?? "",
      String(question.difficulty),
      question.prompt,
      passage ?? "",
      explanation ?? "",
      String(tags.length),
      ...tags,
      content,
      answer,
      // Only a non-plain format adds a field, so questions stored before formats existed
      // hash as they did and a re-import leaves them unchanged.
      ...(format === "plain" ? [] : [`format:${format}`]),
    ].join("\u0000"),
  );
  return {
    bank: question.bank,
    external_id: question.externalId,
    type: question.type,
    topic: question.topic,
    standard_id: standardId,
    section,
    format,
    difficulty: question.difficulty,
    prompt: question.prompt,
    passage,
    explanation,
    content,
    answer,
    tags,
    content_hash,
  };
}

/** A row of `exam_questions` as read back. */
export interface ExamQuestionRow {
  id: string;
  bank: string;
  external_id: string;
  type: string;
  topic: string;
  standard_id: string | null;
  section: string | null;
  format: string;
  difficulty: number;
  prompt: string;
  passage: string | null;
  explanation: string | null;
  content: Record<string, unknown>;
  answer: unknown;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  /** Absent where a reader did not select it (a quiz copy): the copy does not carry it. */
  retired_at?: Date | null;
}

const retiredAt = (row: { retired_at?: Date | null }) =>
  row.retired_at ? iso(row.retired_at) : null;

/** The full view: platform users, academy admins and instructors. */
export function toExamQuestion(row: ExamQuestionRow): ExamQuestion {
  return {
    id: row.id,
    externalId: row.external_id,
    bank: row.bank,
    section: row.section,
    format: row.format,
    type: row.type,
    prompt: row.prompt,
    topic: row.topic,
    standardId: row.standard_id,
    difficulty: row.difficulty,
    explanation: row.explanation,
    passage: row.passage,
    tags: row.tags,
    ...row.content,
    answer: row.answer,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    retiredAt: retiredAt(row),
  } as ExamQuestion;
}

/** The view for students and parents, built without the answer or the explanation. */
export function toLearnerExamQuestion(
  row: Omit<ExamQuestionRow, "answer" | "explanation">,
): LearnerExamQuestion {
  return {
    id: row.id,
    externalId: row.external_id,
    bank: row.bank,
    section: row.section,
    format: row.format,
    type: row.type,
    prompt: row.prompt,
    topic: row.topic,
    standardId: row.standard_id,
    difficulty: row.difficulty,
    passage: row.passage,
    tags: row.tags,
    ...row.content,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    retiredAt: retiredAt(row),
  } as LearnerExamQuestion;
}
