import type { QuestionBank } from "../../contracts/index.js";
import type { FieldProblem } from "../../errors.js";
import { numericAnswerText } from "../gift-numbers.js";
import { equals, parseNumber } from "../numbers.js";
import { position, type SourceRow, type TextFormat } from "../rows.js";
import type { SourceLine } from "../text-source.js";
import {
  type FormattedText,
  findUnescaped,
  type GiftAnswers,
  readFormat,
  readGiftAnswers,
  unescapeGift,
} from "./gift-answers.js";

/** What GIFT and Aiken cannot say: the topic (without `$CATEGORY`) and the difficulty. */
export interface FormatDefaults {
  readonly topic: string;
  readonly difficulty: number;
}

export const DEFAULTS: FormatDefaults = { topic: "general", difficulty: 3 };

const LETTERS = "ABCDEFGHIJ";
const METADATA_KEYS = ["id", "difficulty", "tags", "standard", "topic"] as const;
type MetadataKey = (typeof METADATA_KEYS)[number];
/** Moodle's limit on a question name (`question.name` is 255 characters). */
const MAX_TITLE = 255;

/** `$course$/top/SAT/Algebra` → `Algebra`: a category's last segment is the topic. */
function topicOf(category: string): string {
  const segments = category
    .replace(/^\$[a-z0-9]+\$\//i, "")
    .split("/")
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s !== "top");
  return segments.at(-1) ?? "";
}

/**
 * Moodle's own comments before a question, as its exports write them:
 * `// [id:myid] [tag:tag1] [tag:tag2]` (`\]` and `\\` escape inside).
 */
function bracketMetadata(comment: string): { id?: string; tags: string[] } {
  const unbracket = (raw: string) => raw.replace(/\\([\]\\])/g, "$1").trim();
  const tags = [...comment.matchAll(/\[tag:((?:\\.|[^\]\\])*)\]/g)].map((m) =>
    unbracket(m[1] ?? ""),
  );
  const id = /\[id:((?:\\.|[^\]\\])*)\]/.exec(comment);
  return id ? { id: unbracket(id[1] ?? ""), tags } : { tags };
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
 * Moodle GIFT, read as Moodle's `qformat_gift` reads it: multiple choice
 * (`{=right ~wrong}`), true/false (`{T}`), short answer (`{=3/4 =0.75}`),
 * numerical (`{#3.14:0.01}`, `{#1..5}`, `{#=1822 ~1821}`) and multiple
 * answers with weights (`{~%50%A ~%50%B ~%-100%C}`). `::title::` is only a
 * name (titles are not unique in Moodle): a question is named by the id the
 * file states, `// [id:x]` (Moodle's export) or `// @id: x`, and otherwise
 * by its content (see `validateQuestion`). `$CATEGORY:` sets the topic of the
 * questions after it; `####text` inside the braces is the explanation;
 * `[html]`, `[markdown]`, `[plain]`, `[moodle]` markers are taken off the
 * texts and become the row's `format`; `// [tag:x]`, `// @difficulty: 4`,
 * `// @tags: a, b`, `// @standard: …`, `// @topic: …` comments before a
 * question fill the fields GIFT lacks. Short answer and numerical become
 * grid-ins in the SAT bank and numeric entries in the GRE bank. Matching,
 * essay, description, cloze (several blocks) and text short answers are
 * rejected with a reason.
 */
export async function* parseGiftQuestions(
  lines: AsyncIterable<SourceLine>,
  options: { readonly bank: QuestionBank; readonly defaults?: Partial<FormatDefaults> },
): AsyncGenerator<SourceRow, void, undefined> {
  const defaults = { ...DEFAULTS, ...options.defaults };
  let category: string | undefined;
  let metadata = new Map<MetadataKey, { value: string; line: number }>();
  let metadataErrors: FieldProblem[] = [];
  let bracketIds: string[] = [];
  let bracketTags: string[] = [];
  let index = 0;
  for await (const block of blocksOf(lines)) {
    // Moodle reads `[id:]` and `[tag:]` from the comments of the question's own block only.
    bracketIds = [];
    bracketTags = [];
    const content: SourceLine[] = [];
    for (const line of block.lines) {
      const trimmed = line.text.trim();
      if (trimmed.startsWith("//")) {
        const brackets = bracketMetadata(trimmed);
        if (brackets.id !== undefined) bracketIds.push(brackets.id);
        bracketTags.push(...brackets.tags);
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
    const ids = new Set([
      ...bracketIds,
      ...(metadata.has("id") ? [metadata.get("id")?.value ?? ""] : []),
    ]);
    const tags = [
      ...bracketTags,
      ...(metadata.get("tags")?.value ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    ];
    const result = toQuestion(text, options.bank, {
      topic: metadata.get("topic")?.value ?? (category || defaults.topic),
      difficulty: metadata.get("difficulty")?.value,
      defaultDifficulty: defaults.difficulty,
      tags: tags.length > 0 ? [...new Set(tags)] : undefined,
      standardId: metadata.get("standard")?.value,
      id: ids.size === 1 ? [...ids][0] : undefined,
    });
    const at = position(index++, first.line, ids.size === 1 ? [...ids][0] : undefined);
    const errors = [...metadataErrors, ...(result.ok ? [] : result.errors)];
    if (ids.size > 1)
      errors.push({
        path: "externalId",
        message: `The comments give this question ${ids.size} ids (${[...ids].map((id) => `"${id}"`).join(", ")}); give one.`,
      });
    metadata = new Map();
    metadataErrors = [];
    bracketIds = [];
    bracketTags = [];
    yield errors.length > 0 || !result.ok
      ? { ...at, ok: false, errors }
      : { ...at, ok: true, value: result.value, format: result.format };
  }
}

interface Fields {
  readonly topic: string;
  readonly difficulty: string | undefined;
  readonly defaultDifficulty: number;
  readonly tags: readonly string[] | undefined;
  readonly standardId: string | undefined;
  readonly id: string | undefined;
}

type Built =
  | { readonly ok: true; readonly value: Record<string, unknown>; readonly format: TextFormat }
  | { readonly ok: false; readonly errors: FieldProblem[] };

function toQuestion(text: string, bank: QuestionBank, fields: Fields): Built {
  let body = text.trim();
  if (body.startsWith("::")) {
    const end = findUnescaped(body, "::", 2);
    if (end === -1) return broken("The ::title:: is not closed.");
    const title = unescapeGift(body.slice(2, end)).trim();
    if (title.length > MAX_TITLE)
      return broken(`The ::title:: has ${title.length} characters; Moodle allows ${MAX_TITLE}.`);
    body = body.slice(end + 2).trim();
  }
  const open = findUnescaped(body, "{");
  if (open === -1) return broken("No answer block {...}: descriptions are not questions.");
  const close = findUnescaped(body, "}", open + 1);
  const nested = findUnescaped(body, "{", open + 1);
  if (close === -1) return broken("The answer block { is never closed with }.");
  if (nested !== -1 && nested < close)
    return broken("A { opens inside the answer block (write \\{ for a literal brace).");
  const after = body.slice(close + 1).trim();
  if (findUnescaped(after, "{") !== -1)
    return broken("More than one answer block {...} (a cloze question) is not supported.");

  const before = readFormat(body.slice(0, open));
  // Missing-word form: the blank stands where the braces were ("is _____.", "is _____ of").
  const tail = after.length === 0 ? "" : /^[.,;:!?)]/.test(after) ? after : ` ${after}`;
  const prompt = unescapeGift(
    after.length > 0 ? `${before.text} _____${tail}` : before.text,
  ).trim();
  let inner = body.slice(open + 1, close);
  let explanation: FormattedText | undefined;
  const general = findUnescaped(inner, "####");
  if (general !== -1) {
    const formatted = readFormat(inner.slice(general + 4));
    explanation = { ...formatted, text: unescapeGift(formatted.text).trim() };
    inner = inner.slice(0, general);
  }
  const answers = readGiftAnswers(inner);
  if (answers.kind === "error") return broken(answers.message);
  const typed = typeFields(answers, bank);
  if (!typed.ok) return broken(typed.error);

  // Answers and feedback take the question text's format unless they name their own (as in
  // Moodle); one question keeps one format, so texts that disagree are refused, never guessed.
  const format = before.format ?? "plain";
  const named = [explanation?.text ? explanation : undefined, ...typed.texts].flatMap((t) =>
    t?.format !== undefined && t.format !== format ? [t.format] : [],
  );
  if (named.length > 0)
    return broken(
      `The question text is ${format} but ${named[0]} is named for an answer or the feedback: SkillBridge keeps one format per question.`,
    );

  const value: Record<string, unknown> = {
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
  if (fields.id !== undefined) value.externalId = fields.id;
  if (fields.standardId) value.standardId = fields.standardId;
  if (explanation?.text) value.explanation = explanation.text;
  if (fields.tags !== undefined) value.tags = [...fields.tags];
  return { ok: true, value, format };
}

function broken(message: string): Built {
  return { ok: false, errors: [{ path: "", message }] };
}

/** The SkillBridge type and its fields for a GIFT answer block, in this bank. */
type TypeFields =
  | {
      readonly ok: true;
      readonly fields: Record<string, unknown>;
      /** The option texts kept, for the format check. */
      readonly texts: readonly FormattedText[];
    }
  | { readonly ok: false; readonly error: string };

function typeFields(
  answers: Exclude<GiftAnswers, { kind: "error" }>,
  bank: QuestionBank,
): TypeFields {
  const typed = (
    fields: Record<string, unknown>,
    texts: readonly FormattedText[] = [],
  ): TypeFields => ({
    ok: true,
    fields,
    texts,
  });
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
      const options = answers.options.map((o, i) => ({ id: LETTERS.charAt(i), text: o.text }));
      const ids = answers.correct.map((i) => LETTERS.charAt(i));
      return answers.multiple
        ? typed({ type: "multi_select", options, answer: ids }, answers.options)
        : typed({ type: "multiple_choice", options, answer: ids[0] }, answers.options);
    }
    case "short": {
      const texts = answers.answers.map((a) => numericAnswerText(a));
      if (texts.some((t) => t === undefined)) {
        return error(
          "Text short answers are not supported: SkillBridge has no free-text type (numeric short answers become grid-ins or numeric entries).",
        );
      }
      const numbers = texts.map((t) => parseNumber(t ?? "", { exponent: true }));
      if (bank === "sat") return typed({ type: "grid_in", answer: [...new Set(texts)] });
      const [first, ...rest] = numbers;
      if (first && rest.some((n) => n && !equals(n.value, first.value)))
        return error("A GRE numeric entry has one answer; these short answers differ in value.");
      return typed({ type: "numeric_entry", answer: texts[0] });
    }
    case "numerical": {
      if (bank === "sat") {
        if (answers.answers.some((a) => a.range || a.tolerance > 0))
          return error("SAT grid-ins are exact: remove the tolerance or range.");
        return typed({ type: "grid_in", answer: answers.answers.map((a) => a.value) });
      }
      const [only, ...others] = answers.answers;
      if (!only) return error("A numerical question needs a right answer: {#3.14:0.01}.");
      if (others.length > 0)
        return error(
          "A GRE numeric entry has one answer and one tolerance; these right answers differ.",
        );
      return typed(
        only.tolerance > 0
          ? { type: "numeric_entry", answer: only.value, tolerance: only.tolerance }
          : { type: "numeric_entry", answer: only.value },
      );
    }
  }
}
