import { hash } from "node:crypto";
import type { Question } from "../contracts/index.js";
import { contentOf } from "./stored-question.js";

/**
 * The id of a question whose file states none: a hash of everything that
 * makes it the question it is (type, passage, prompt, options or the type's
 * other fields, answer and tolerance), never of a title or the prompt
 * alone. Two questions that share a stem but not their options get two ids;
 * the same question imported again (or from another format) gets the same
 * one, and a change to its topic, difficulty, explanation or tags is an
 * update of it. Editing what it asks makes a new question: only an id the
 * file states can follow a question through such edits.
 *
 * @example
 * contentId(question); // "q-3f9a0c…" (20 hex digits)
 */
export function contentId(question: Omit<Question, "externalId">): string {
  const canonical = JSON.stringify([
    question.type,
    question.passage ?? null,
    question.prompt,
    contentOf(question as Question),
    question.answer,
  ]);
  return `q-${hash("sha256", canonical).slice(0, 20)}`;
}
