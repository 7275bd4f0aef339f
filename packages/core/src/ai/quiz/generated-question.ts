import { type ParsedQuizQuestion, QuizQuestionInputSchema } from "../../contracts/index.js";

const KEYS = [
  "type",
  "prompt",
  "options",
  "answer",
  "explanation",
  "topic",
  "difficulty",
  "source",
  "tolerance",
  "standardId",
  "passage",
  "quantityA",
  "quantityB",
  "blanks",
  "sentences",
] as const;

/** What a question the model left without a topic or level gets. */
export interface QuestionDefaults {
  /** Usually the quiz's title. */
  readonly topic: string;
  /** 1-5; default 3. */
  readonly difficulty?: number;
}

const LETTERS = "ABCDEFGHIJ";

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * A model's question in the quiz question schema (the bank's question
 * model), or undefined when it cannot be one. Forgiving about form (options
 * given as plain strings, an answer given as the option's text, a level as
 * text, nulls for absent fields, extra keys; no topic or level: the
 * defaults), never about substance: the result must pass the same strict
 * schema a hand-written question does.
 */
export function toQuizQuestion(
  item: unknown,
  defaults: QuestionDefaults = { topic: "general" },
): ParsedQuizQuestion | undefined {
  const source = record(item);
  if (!source) return undefined;
  const picked: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = source[key];
    if (value !== null && value !== undefined && value !== "") picked[key] = value;
  }
  if (Array.isArray(picked.options)) {
    const options = picked.options.map((option, i) =>
      typeof option === "string" ? { id: LETTERS[i] ?? String(i + 1), text: option } : option,
    );
    picked.options = options.map((o) => {
      const r = record(o);
      return r ? { id: r.id, text: r.text } : o;
    });
    const ids = new Set((picked.options as { id?: unknown }[]).map((o) => o.id));
    const byText = new Map(
      (picked.options as { id?: unknown; text?: unknown }[]).map((o) => [
        String(o.text).trim().toLowerCase(),
        o.id,
      ]),
    );
    const toId = (answer: unknown) =>
      typeof answer === "string" && !ids.has(answer)
        ? (byText.get(answer.trim().toLowerCase()) ?? answer)
        : answer;
    picked.answer = Array.isArray(picked.answer) ? picked.answer.map(toId) : toId(picked.answer);
  }
  if (typeof picked.topic !== "string" || picked.topic.trim() === "") {
    picked.topic = defaults.topic.trim().slice(0, 100) || "general";
  }
  if (typeof picked.difficulty === "string" && /^\s*[1-5]\s*$/.test(picked.difficulty)) {
    picked.difficulty = Number(picked.difficulty);
  }
  picked.difficulty ??= defaults.difficulty ?? 3;
  if (picked.type === "numeric_entry" && typeof picked.answer === "number") {
    picked.answer = String(picked.answer);
  }
  const parsed = QuizQuestionInputSchema.safeParse(picked);
  return parsed.success ? parsed.data : undefined;
}
