import { createHash } from "node:crypto";
import type { QuestionBank } from "../../contracts/index.js";
import type { FieldProblem } from "../../errors.js";
import { equals, parseNumber } from "../numbers.js";
import { position, type SourceRow } from "../rows.js";
import { DEFAULTS, type FormatDefaults } from "./gift.js";
import { childOf, childrenOf, innerText, textOf, type XmlElement } from "./moodle-xml-element.js";
import { type RichText, readRichText, unifyFormats } from "./moodle-xml-text.js";

const LETTERS = "ABCDEFGHIJ";

/** Why each Moodle type SkillBridge cannot hold is refused (docs/question-banks.md). */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  essay:
    "Essay questions are marked by hand; the SAT and GRE banks hold auto-scored questions only.",
  matching: "Matching questions have no SAT or GRE type.",
  randomsamatch: "Random short-answer matching questions have no SAT or GRE type.",
  description: "A description is text, not a question: there is nothing to answer.",
  multianswer: "Embedded answers (Cloze) questions have no SAT or GRE type.",
  ddwtos: "Drag and drop into text questions have no SAT or GRE type.",
  gapselect: "Select missing words questions have no SAT or GRE type.",
  ddimageortext: "Drag and drop onto image questions have no SAT or GRE type.",
  ddmarker: "Drag and drop markers questions have no SAT or GRE type.",
  calculated: "Calculated questions (answers computed from wildcards) have no SAT or GRE type.",
  calculatedsimple:
    "Calculated questions (answers computed from wildcards) have no SAT or GRE type.",
  calculatedmulti:
    "Calculated multichoice questions (answers computed from wildcards) have no SAT or GRE type.",
  random: "A random question is a quiz slot, not a question.",
  ordering: "Ordering questions have no SAT or GRE type.",
};

export interface MoodleContext {
  readonly bank: QuestionBank;
  /** The topic the last `<question type="category">` set. */
  readonly topic: string | undefined;
  readonly defaults: Partial<FormatDefaults>;
  readonly index: number;
}

export type MoodleResult =
  | { readonly kind: "category"; readonly topic: string | undefined }
  | { readonly kind: "row"; readonly row: SourceRow };

/**
 * One `<question>` element as a row: the candidate question, or why it
 * cannot be one. A category question instead names the topic of the
 * questions after it.
 */
export function moodleQuestionRow(question: XmlElement, context: MoodleContext): MoodleResult {
  const type = question.attributes.type ?? "";
  if (type === "category") {
    return { kind: "category", topic: topicOf(innerText(childOf(question, "category"))) };
  }
  const stated = textOf(childOf(question, "idnumber")).trim();
  const externalId = stated.length > 0 ? stated : undefined;
  const at = position(context.index, question.line, externalId);
  const reject = (message: string, path = ""): MoodleResult => ({
    kind: "row",
    row: { ...at, ok: false, errors: [{ path, message }] },
  });
  const unsupported = UNSUPPORTED[type];
  if (unsupported) return reject(unsupported, "type");
  const typed = typeFields(type, question, context.bank);
  if (!typed.ok) return reject(typed.error.message, typed.error.path);

  const questionText = readRichText(childOf(question, "questiontext"), "prompt");
  const feedback = readRichText(childOf(question, "generalfeedback"), "explanation", {
    optional: true,
  });
  const texts: RichText[] = [questionText, ...typed.texts];
  if (feedback.text.length > 0) texts.push(feedback);
  const problems = texts.flatMap((t) => t.problems);
  if (problems.length > 0) return { kind: "row", row: { ...at, ok: false, errors: problems } };
  const unified = unifyFormats(texts);
  if (!unified.ok) return reject(unified.message);

  const value: Record<string, unknown> = {
    type: typed.fields.type,
    format: unified.format,
    prompt: unified.texts[0],
    topic: context.topic ?? context.defaults.topic ?? DEFAULTS.topic,
    difficulty: context.defaults.difficulty ?? DEFAULTS.difficulty,
  };
  if (typed.options) {
    value.options = typed.options.map((id, i) => ({ id, text: unified.texts[i + 1] }));
  }
  Object.assign(value, typed.fields);
  if (feedback.text.length > 0) value.explanation = unified.texts.at(-1);
  const tags = [
    ...new Set(childrenOf(childOf(question, "tags"), "tag").map((t) => innerText(t).trim())),
  ].filter((t) => t.length > 0);
  if (tags.length > 0) value.tags = tags;
  // Only an id the file states names a question; without one the id is the hash of what the
  // question asks and accepts, so a new explanation, topic or tag updates the same question.
  const id = externalId ?? contentId(value);
  return {
    kind: "row",
    row: {
      ...position(context.index, question.line, id),
      ok: true,
      value: { externalId: id, ...value },
    },
  };
}

/** `moodle-` and 16 hex digits of SHA-256 over the type, format, prompt, options and answer. */
function contentId(value: Record<string, unknown>): string {
  const { type, format, prompt, options, answer, tolerance } = value;
  const content = JSON.stringify([
    type,
    format,
    prompt,
    options ?? null,
    answer,
    tolerance ?? null,
  ]);
  return `moodle-${createHash("sha256").update(content).digest("hex").slice(0, 16)}`;
}

/**
 * `$course$/top/SAT/Algebra` → `Algebra`: the category's last segment (Moodle
 * writes a `/` inside a name as `//`). `top` alone, or nothing, leaves the default.
 */
export function topicOf(category: string): string | undefined {
  const segments = category
    .trim()
    .replace(/^\$[a-z0-9]+\$\//i, "")
    .split(/(?<!\/)\/(?!\/)/)
    .map((s) => s.replace(/\/\//g, "/").trim())
    .filter((s) => s.length > 0 && s !== "top");
  return segments.at(-1);
}

// ─── each supported type ─────────────────────────────────────────────────────

type Typed =
  | {
      readonly ok: true;
      readonly fields: Record<string, unknown> & { readonly type: string };
      /** Option ids, in order, when the options' texts are among `texts`. */
      readonly options?: readonly string[];
      readonly texts: readonly RichText[];
    }
  | { readonly ok: false; readonly error: FieldProblem };

const fail = (message: string, path = "answer"): Typed => ({
  ok: false,
  error: { path, message },
});

interface Answer {
  readonly element: XmlElement;
  readonly fraction: number;
}

function answersOf(question: XmlElement): Answer[] {
  return childrenOf(question, "answer").map((element) => ({
    element,
    fraction: Number(element.attributes.fraction ?? "0"),
  }));
}

/** Moodle writes fractions as percentages, `100` or `100.0000000`. */
const isFull = (a: Answer) => Math.abs(a.fraction - 100) < 1e-6;

function typeFields(type: string, question: XmlElement, bank: QuestionBank): Typed {
  switch (type) {
    case "multichoice":
      return multichoice(question);
    case "truefalse":
      return trueFalse(question);
    case "numerical":
      return numerical(question, bank);
    case "shortanswer":
      return shortAnswer(question, bank);
    case "":
      return fail('A <question> without a type="…".', "type");
    default:
      return fail(`Moodle question type "${type}" has no SAT or GRE type.`, "type");
  }
}

function multichoice(question: XmlElement): Typed {
  const answers = answersOf(question);
  if (answers.length < 2) return fail("A multiple choice question needs at least two answers.");
  if (answers.length > LETTERS.length)
    return fail(`At most ${LETTERS.length} answers; this question has ${answers.length}.`);
  const ids = answers.map((_, i) => LETTERS.charAt(i));
  const texts = answers.map((a, i) => readRichText(a.element, `options.${i}.text`));
  const single = !/^(false|0)$/i.test(textOf(childOf(question, "single")).trim());
  if (single) {
    const right = answers.flatMap((a, i) => (isFull(a) ? [ids[i]] : []));
    if (right.length === 0)
      return fail(
        "No answer is worth 100%: a SAT or GRE multiple choice question has one right answer.",
      );
    if (right.length > 1)
      return fail(
        `${right.length} answers are each worth 100%: a SAT or GRE multiple choice question has one right answer.`,
      );
    return { ok: true, fields: { type: "multiple_choice", answer: right[0] }, options: ids, texts };
  }
  // Several answers: scoring is all or nothing, so the right ones are those worth anything.
  const right = answers.flatMap((a, i) => (a.fraction > 0 ? [ids[i]] : []));
  if (right.length === 0) return fail("No answer has a positive grade.");
  return { ok: true, fields: { type: "multi_select", answer: right }, options: ids, texts };
}

function trueFalse(question: XmlElement): Typed {
  const right = answersOf(question).filter(isFull);
  const value = right.map((a) => innerText(a.element).trim().toLowerCase());
  if (value.length !== 1 || (value[0] !== "true" && value[0] !== "false"))
    return fail("A true/false question needs exactly one answer, true or false, worth 100%.");
  return {
    ok: true,
    fields: {
      type: "multiple_choice",
      options: [
        { id: "A", text: "True" },
        { id: "B", text: "False" },
      ],
      answer: value[0] === "true" ? "A" : "B",
    },
    texts: [],
  };
}

/** The right answers' texts (worth 100%); Moodle's `*` (any other answer) is never one. */
function rightAnswers(question: XmlElement): { text: string; element: XmlElement }[] {
  return answersOf(question)
    .filter(isFull)
    .map((a) => ({ text: innerText(a.element).trim(), element: a.element }))
    .filter((a) => a.text !== "*");
}

function numerical(question: XmlElement, bank: QuestionBank): Typed {
  const right = rightAnswers(question);
  if (right.length === 0) return fail("No answer is worth 100%.");
  const read: { text: string; tolerance: number }[] = [];
  for (const { text, element } of right) {
    if (parseNumber(text, { exponent: true }) === undefined)
      return fail(`"${text}" is not a number.`);
    const toleranceText = textOf(childOf(element, "tolerance")).trim() || "0";
    const tolerance = Number(toleranceText);
    if (!Number.isFinite(tolerance) || tolerance < 0 || !/^[\d.eE+-]+$/.test(toleranceText))
      return fail(`The tolerance "${toleranceText}" is not a number of 0 or more.`, "tolerance");
    read.push({ text, tolerance });
  }
  if (bank === "sat") {
    if (read.some((r) => r.tolerance > 0))
      return fail("SAT grid-ins are exact: this numerical question has a tolerance.", "tolerance");
    return {
      ok: true,
      fields: { type: "grid_in", answer: [...new Set(read.map((r) => r.text))] },
      texts: [],
    };
  }
  return oneNumericEntry(read);
}

function shortAnswer(question: XmlElement, bank: QuestionBank): Typed {
  const right = rightAnswers(question);
  if (right.length === 0) return fail("No answer is worth 100%.");
  const words = right.filter((a) => parseNumber(a.text) === undefined);
  if (words.length > 0)
    return fail(
      `Short answers must be numbers (they become grid-ins or numeric entries); "${words[0]?.text}" is not: SkillBridge has no free-text type.`,
    );
  if (bank === "sat")
    return {
      ok: true,
      fields: { type: "grid_in", answer: [...new Set(right.map((a) => a.text))] },
      texts: [],
    };
  return oneNumericEntry(right.map((a) => ({ text: a.text, tolerance: 0 })));
}

/** A GRE numeric entry has one right value: several answers must all be that value. */
function oneNumericEntry(read: readonly { text: string; tolerance: number }[]): Typed {
  const [first, ...rest] = read;
  if (!first) return fail("No answer is worth 100%.");
  const value = parseNumber(first.text, { exponent: true })?.value;
  const differ = rest.find((r) => {
    const other = parseNumber(r.text, { exponent: true })?.value;
    return !value || !other || !equals(value, other) || r.tolerance !== first.tolerance;
  });
  if (differ)
    return fail(
      `A GRE numeric entry has one right answer; this question has several (${first.text}, ${differ.text}).`,
    );
  return {
    ok: true,
    fields:
      first.tolerance > 0
        ? { type: "numeric_entry", answer: first.text, tolerance: first.tolerance }
        : { type: "numeric_entry", answer: first.text },
    texts: [],
  };
}
