import { createHash } from "node:crypto";
import type { QuestionBank } from "../../contracts/index.js";
import type { FieldProblem } from "../../errors.js";
import { equals, parseNumber } from "../numbers.js";
import { position, type SourceRow } from "../rows.js";
import type { SourceLine } from "../text-source.js";
import { findUnescaped, type GiftAnswers, readGiftAnswers, unescapeGift } from "./gift-answers.js";

/** What GIFT and Aiken cannot say: the topic (without `$CATEGORY`) and the difficulty. */
export interface FormatDefaults {
  readonly topic: string;
  readonly difficulty: number;
}

export const DEFAULTS: FormatDefaults = { topic: "general", difficulty: 3 };

const LETTERS = "ABCDEFGHIJ";
const METADATA_KEYS = ["id", "difficulty", "tags", "standard", "topic"] as const;
type MetadataKey = (typeof METADATA_KEYS)[number];

/** A stable id for a question without one: the hash of its prompt. */
export function promptId(prefix: string, prompt: string): string {
  return `${prefix}-${createHash("sha256").update(prompt).digest("hex").slice(0, 16)}`;
}

/** `$course$/top/SAT/Algebra` → `Algebra`: a category's last segment is the topic. */
function topicOf(category: string): string {
  const segments = category
    .replace(/^\$[a-z0-9]+\$\//i, "")
    .split("/")
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s !== "top");
  return segments.at(-1) ?? "";
}

interface Block {
  readonly lines: SourceLine[];
}

/** Groups lines into blocks separated by blank lines (GIFT's question separator). */
async function* blocksOf(lines: AsyncIterable<SourceLine>): AsyncGenerator<Block> {
  let current: SourceLine[] = [];
  for await (const line of lines) {
    if (line.text.trim().length === 0) {
      if (current.length > 0) yield { lines: current };
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) yield { lines: current };
}

/**
 * Moodle GIFT: multiple choice (`{=right ~wrong}`), true/false (`{T}`), short
 * answer (`{=3/4 =0.75}`), numerical (`{#3.14:0.01}`, `{#1..5}`) and multiple
 * answers with weights (`{~%50%A ~%50%B ~%-100%C}`). `::title::` is the
 * externalId; `$CATEGORY:` sets the topic of the questions after it;
 * `####text` inside the braces is the explanation; `// @difficulty: 4`,
 * `// @tags: a, b`, `// @standard: …`, `// @topic: …` and `// @id: …` comments
 * before a question fill the fields GIFT lacks. Short answer and numerical
 * become grid-ins in the SAT bank and numeric entries in the GRE bank.
 * Matching, essay and description items are rejected with a reason.
 */
export async function* parseGiftQuestions(
  lines: AsyncIterable<SourceLine>,
  options: { readonly bank: QuestionBank; readonly defaults?: Partial<FormatDefaults> },
): AsyncGenerator<SourceRow, void, undefined> {
  const defaults = { ...DEFAULTS, ...options.defaults };
  let category: string | undefined;
  let metadata = new Map<MetadataKey, { value: string; line: number }>();
  let metadataErrors: FieldProblem[] = [];
  let index = 0;
  for await (const block of blocksOf(lines)) {
    const content: SourceLine[] = [];
    for (const line of block.lines) {
      const trimmed = line.text.trim();
      if (trimmed.startsWith("//")) {
        const meta = /^\/\/\s*@(\w+)\s*:\s*(.*)$/.exec(trimmed);
        if (!meta) continue;
        const key = (meta[1] ?? "").toLowerCase();
        if ((METADATA_KEYS as readonly string[]).includes(key)) {
          metadata.set(key as MetadataKey, { value: (meta[2] ?? "").trim(), line: line.line });
        } else {
          metadataErrors.push({
            path: "",
            message: `Line ${line.line}: unknown @${key}; use ${METADATA_KEYS.map((k) => `@${k}`).join(", ")}.`,
          });
        }
        continue;
      }
      if (content.length === 0 && /^\$CATEGORY:/i.test(trimmed)) {
        category = topicOf(trimmed.replace(/^\$CATEGORY:/i, ""));
        continue;
      }
      content.push(line);
    }
    const first = content[0];
    if (!first) continue;
    const text = content.map((l) => l.text).join("\n");
    const result = toQuestion(text, options.bank, {
      topic: metadata.get("topic")?.value ?? (category || defaults.topic),
      difficulty: metadata.get("difficulty")?.value,
      defaultDifficulty: defaults.difficulty,
      tags: metadata.get("tags")?.value,
      standardId: metadata.get("standard")?.value,
      id: metadata.get("id")?.value,
    });
    const at = position(index++, first.line, result.externalId);
    const errors = [...metadataErrors, ...(result.ok ? [] : result.errors)];
    metadata = new Map();
    metadataErrors = [];
    yield errors.length > 0 || !result.ok
      ? { ...at, ok: false, errors }
      : { ...at, ok: true, value: result.value };
  }
}

interface Fields {
  readonly topic: string;
  readonly difficulty: string | undefined;
  readonly defaultDifficulty: number;
  readonly tags: string | undefined;
  readonly standardId: string | undefined;
  readonly id: string | undefined;
}

type Built =
  | {
      readonly ok: true;
      readonly value: Record<string, unknown>;
      readonly externalId: string | undefined;
    }
  | {
      readonly ok: false;
      readonly errors: FieldProblem[];
      readonly externalId: string | undefined;
    };

function toQuestion(text: string, bank: QuestionBank, fields: Fields): Built {
  let body = text.trim();
  let title: string | undefined;
  if (body.startsWith("::")) {
    const end = findUnescaped(body, "::", 2);
    if (end === -1) return broken("The ::title:: is not closed.", fields.id);
    title = unescapeGift(body.slice(2, end)).trim() || undefined;
    body = body.slice(end + 2).trim();
  }
  const externalIdHint = fields.id ?? title;
  const open = findUnescaped(body, "{");
  if (open === -1)
    return broken("No answer block {...}: descriptions are not questions.", externalIdHint);
  const close = findUnescaped(body, "}", open + 1);
  const nested = findUnescaped(body, "{", open + 1);
  if (close === -1) return broken("The answer block { is never closed with }.", externalIdHint);
  if (nested !== -1 && nested < close)
    return broken(
      "A { opens inside the answer block (write \\{ for a literal brace).",
      externalIdHint,
    );
  const after = body.slice(close + 1).trim();
  if (findUnescaped(after, "{") !== -1)
    return broken("More than one answer block {...}.", externalIdHint);

  const before = body
    .slice(0, open)
    .trim()
    .replace(/^\[(html|moodle|plain|markdown)\]/i, "");
  // Missing-word form: the blank stands where the braces were ("is _____.", "is _____ of").
  const tail = after.length === 0 ? "" : /^[.,;:!?)]/.test(after) ? after : ` ${after}`;
  const prompt = unescapeGift(after.length > 0 ? `${before} _____${tail}` : before).trim();
  let inner = body.slice(open + 1, close);
  let explanation: string | undefined;
  const general = findUnescaped(inner, "####");
  if (general !== -1) {
    explanation = unescapeGift(inner.slice(general + 4)).trim() || undefined;
    inner = inner.slice(0, general);
  }
  const externalId = externalIdHint ?? promptId("gift", prompt);
  const answers = readGiftAnswers(inner);
  if (answers.kind === "error") return broken(answers.message, externalId);
  const typed = typeFields(answers, bank);
  if (!typed.ok) return broken(typed.error, externalId);

  const value: Record<string, unknown> = {
    externalId,
    prompt,
    topic: fields.topic,
    difficulty:
      fields.difficulty === undefined
        ? fields.defaultDifficulty
        : /^\d+$/.test(fields.difficulty)
          ? Number(fields.difficulty)
          : fields.difficulty,
    ...typed.fields,
  };
  if (fields.standardId) value.standardId = fields.standardId;
  if (explanation) value.explanation = explanation;
  if (fields.tags !== undefined)
    value.tags = fields.tags
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
  return { ok: true, value, externalId };
}

function broken(message: string, externalId: string | undefined): Built {
  return { ok: false, errors: [{ path: "", message }], externalId };
}

/** The SkillBridge type and its fields for a GIFT answer block, in this bank. */
type TypeFields =
  | { readonly ok: true; readonly fields: Record<string, unknown> }
  | { readonly ok: false; readonly error: string };

function typeFields(
  answers: Exclude<GiftAnswers, { kind: "error" }>,
  bank: QuestionBank,
): TypeFields {
  const typed = (fields: Record<string, unknown>): TypeFields => ({ ok: true, fields });
  const error = (message: string): TypeFields => ({ ok: false, error: message });
  switch (answers.kind) {
    case "true_false":
      return typed({
        type: "multiple_choice",
        options: [
          { id: "A", text: "True" },
          { id: "B", text: "False" },
        ],
        answer: answers.value ? "A" : "B",
      });
    case "choice": {
      if (answers.options.length > LETTERS.length)
        return error(`At most ${LETTERS.length} choices.`);
      const options = answers.options.map((text, i) => ({ id: LETTERS.charAt(i), text }));
      const ids = answers.correct.map((i) => LETTERS.charAt(i));
      return answers.multiple
        ? typed({ type: "multi_select", options, answer: ids })
        : typed({ type: "multiple_choice", options, answer: ids[0] });
    }
    case "short": {
      const numbers = answers.answers.map((a) => parseNumber(a));
      if (numbers.some((n) => n === undefined)) {
        return error(
          "Short answers must be numbers (they become grid-ins or numeric entries): SkillBridge has no free-text type.",
        );
      }
      if (bank === "sat") return typed({ type: "grid_in", answer: [...answers.answers] });
      const [first, ...rest] = numbers;
      if (first && rest.some((n) => n && !equals(n.value, first.value)))
        return error("A GRE numeric entry has one answer; these short answers differ in value.");
      return typed({ type: "numeric_entry", answer: answers.answers[0] });
    }
    case "numerical":
      if (bank === "sat") {
        if (answers.range || answers.tolerance > 0)
          return error("SAT grid-ins are exact: remove the tolerance or range.");
        return typed({ type: "grid_in", answer: [answers.value] });
      }
      return typed(
        answers.tolerance > 0
          ? { type: "numeric_entry", answer: answers.value, tolerance: answers.tolerance }
          : { type: "numeric_entry", answer: answers.value },
      );
  }
}
