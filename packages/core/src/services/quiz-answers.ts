import type { QuizAnswer, QuizQuestion, QuizSubmissionResult } from "../contracts/index.js";
import { type FieldProblem, ValidationError } from "../errors.js";
import type { AttemptInput } from "../learning/attempts.js";
import { score } from "../questions/scoring.js";

/**
 * Checks a submission's answers against its quiz and scores them with the
 * bank's scorer (`score()`: all or nothing for multi-select, sentence
 * equivalence and text completion; equal numeric forms accepted). Every
 * problem is collected before anything is written: an answer to no question
 * of the quiz, a question answered twice, an answer of the wrong shape for
 * its question's type (naming `answers.<i>.answer`).
 */

export interface ScoredSubmission {
  readonly score: number;
  readonly maxScore: number;
  /** One per question of the quiz, in the quiz's order. */
  readonly results: QuizSubmissionResult[];
  /** One per answered question, for the learning model (`recordAttempts`). */
  readonly attempts: Omit<AttemptInput, "quizSubmissionId">[];
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

function choices(ids: readonly string[]): string {
  return ids.join(", ");
}

/** Why `response` cannot be an answer to `question`; undefined when it can. */
export function answerProblem(question: QuizQuestion, response: unknown): string | undefined {
  switch (question.type) {
    case "multiple_choice": {
      const ids = question.options.map((o) => o.id);
      return typeof response === "string" && ids.includes(response)
        ? undefined
        : `Choose one option id: ${choices(ids)}.`;
    }
    case "quantitative_comparison":
      return typeof response === "string" && ["A", "B", "C", "D"].includes(response)
        ? undefined
        : "Choose one of A, B, C, D.";
    case "multi_select":
    case "sentence_equivalence": {
      const ids = question.options.map((o) => o.id);
      const two = question.type === "sentence_equivalence";
      const shape = two
        ? "Choose exactly two different option ids"
        : "Choose a list of different option ids";
      if (
        !isStrings(response) ||
        response.length === 0 ||
        new Set(response).size !== response.length
      )
        return `${shape} from: ${choices(ids)}.`;
      if (two && response.length !== 2) return `${shape} from: ${choices(ids)}.`;
      const unknown = response.find((id) => !ids.includes(id));
      return unknown === undefined
        ? undefined
        : `"${unknown}" is not one of the option ids: ${choices(ids)}.`;
    }
    case "text_completion": {
      const blanks = question.blanks.length;
      if (!isStrings(response) || response.length !== blanks)
        return `Choose one option id for each of the ${blanks} blank${blanks === 1 ? "" : "s"}, in order.`;
      const wrong = response.findIndex(
        (id, b) => !question.blanks[b]?.options.some((o) => o.id === id),
      );
      return wrong === -1
        ? undefined
        : `"${response[wrong]}" is not an option of blank ${wrong + 1}.`;
    }
    case "select_in_passage": {
      const last = question.sentences.length - 1;
      return typeof response === "number" &&
        Number.isInteger(response) &&
        response >= 0 &&
        response <= last
        ? undefined
        : `Choose a sentence by its index, from 0 to ${last}.`;
    }
    case "numeric_entry":
    case "grid_in":
      // The scorer reads numbers and gridded text; what it cannot read is a wrong shape.
      return score(question, response).invalid;
  }
}

/**
 * Scores `answers` against `questions`; throws a `ValidationError` listing
 * every problem, so a bad submission writes nothing. A question left out is
 * unanswered: it scores 0 and records no attempt (docs/learning.md).
 */
export function scoreQuizAnswers(
  questions: readonly QuizQuestion[],
  answers: readonly QuizAnswer[],
): ScoredSubmission {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const given = new Map<string, { answer: QuizAnswer; index: number }>();
  const problems: FieldProblem[] = [];
  answers.forEach((answer, index) => {
    const question = byId.get(answer.questionId);
    const first = given.get(answer.questionId);
    if (!question) {
      problems.push({
        path: `answers.${index}.questionId`,
        message: "Not a question of this quiz.",
      });
    } else if (first) {
      problems.push({
        path: `answers.${index}.questionId`,
        message: `This question is already answered at answers.${first.index}.`,
      });
    } else {
      const problem = answerProblem(question, answer.answer);
      if (problem) problems.push({ path: `answers.${index}.answer`, message: problem });
      given.set(answer.questionId, { answer, index });
    }
  });
  if (problems.length > 0) {
    throw new ValidationError("The answers do not fit this quiz.", problems);
  }

  const results: QuizSubmissionResult[] = [];
  const attempts: Omit<AttemptInput, "quizSubmissionId">[] = [];
  let points = 0;
  for (const question of questions) {
    const entry = given.get(question.id);
    if (!entry) {
      results.push({ questionId: question.id, correct: false, answered: false, response: null });
      continue;
    }
    const { correct } = score(question, entry.answer.answer);
    if (correct) points += 1;
    results.push({
      questionId: question.id,
      correct,
      answered: true,
      response: entry.answer.answer,
    });
    attempts.push({
      questionId: question.id,
      topic: question.topic,
      correct,
      level: question.difficulty,
      timeMs: entry.answer.timeMs ?? null,
    });
  }
  return { score: points, maxScore: questions.length, results, attempts };
}
