import type { QuestionTextFormat } from "../../contracts/index.js";
import type { FieldProblem } from "../../errors.js";
import { childrenOf, innerText, type XmlElement } from "./moodle-xml-element.js";

/** Moodle's text formats and what each becomes (`moodle_auto_format` is plain text with line breaks). */
const FORMATS: Readonly<Record<string, QuestionTextFormat>> = {
  html: "html",
  moodle_auto_format: "plain",
  plain_text: "plain",
  markdown: "markdown",
};

/** Image files a question may carry inline, by extension. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
};

/** `@@PLUGINFILE@@/dir/name.png`, up to the quote, space or bracket that ends the address. */
const PLUGINFILE = /@@PLUGINFILE@@\/([^"'\s<>()]*)/g;

/** A text of a question (its prompt, an answer, its feedback) with its own format. */
export interface RichText {
  readonly text: string;
  /** Undefined when the element does not say: it takes the question text's format. */
  readonly format: QuestionTextFormat | undefined;
  readonly problems: readonly FieldProblem[];
}

/**
 * The `<text>` of a Moodle text element (`questiontext`, `answer`,
 * `generalfeedback`) with its `format`, and every `@@PLUGINFILE@@/name`
 * reference replaced by a data URI of the `<file name="name"
 * encoding="base64">` beside it. A reference to a file that is not there,
 * or is not an image, is a problem: a question never keeps a broken link.
 */
export function readRichText(
  element: XmlElement | undefined,
  path: string,
  options: { readonly optional?: boolean } = {},
): RichText {
  if (!element) {
    return options.optional
      ? { text: "", format: undefined, problems: [] }
      : { text: "", format: undefined, problems: [{ path, message: `No <${tagOf(path)}>.` }] };
  }
  const problems: FieldProblem[] = [];
  const stated = element.attributes.format;
  const format = stated === undefined ? undefined : FORMATS[stated];
  if (stated !== undefined && format === undefined) {
    problems.push({
      path,
      message: `Unknown text format "${stated}": use ${Object.keys(FORMATS).join(", ")}.`,
    });
  }
  const files = new Map<string, XmlElement>();
  for (const file of childrenOf(element, "file")) {
    const dir = (file.attributes.path ?? "/").replace(/^\/+/, "");
    files.set(`${dir}${file.attributes.name ?? ""}`, file);
  }
  const text = innerText(element).replace(PLUGINFILE, (_, reference: string) => {
    const name = decoded(reference);
    const file = files.get(name);
    const type = IMAGE_TYPES[name.slice(name.lastIndexOf(".") + 1).toLowerCase()];
    if (!file) {
      problems.push({
        path,
        message: `The text refers to the file "${name}", which is not in it.`,
      });
      return reference;
    }
    if (!type || (file.attributes.encoding ?? "base64") !== "base64") {
      problems.push({
        path,
        message: `"${name}" is not a png, jpeg, gif, webp or bmp image: only images are kept with a question.`,
      });
      return reference;
    }
    const base64 = file.text.join("").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
      problems.push({ path, message: `"${name}" is not valid base64.` });
      return reference;
    }
    return `data:${type};base64,${base64}`;
  });
  return { text: text.trim(), format, problems };
}

function tagOf(path: string): string {
  return path === "prompt" ? "questiontext" : path === "explanation" ? "generalfeedback" : "text";
}

/** Moodle URL-encodes file names in references (`my%20graph.png`). */
function decoded(reference: string): string {
  try {
    return decodeURIComponent(reference);
  } catch {
    return reference;
  }
}

/**
 * One format for the whole question (SkillBridge keeps one per question).
 * Texts that agree keep theirs; plain texts beside HTML become HTML (escaped,
 * line breaks as `<br>`), plain texts beside markdown are backslash-escaped.
 * HTML and markdown in one question cannot both be kept: that is refused.
 * The first text is the question text; a text without a format takes its.
 */
export function unifyFormats(
  texts: readonly RichText[],
):
  | { readonly ok: true; readonly format: QuestionTextFormat; readonly texts: string[] }
  | { readonly ok: false; readonly message: string } {
  const base = texts[0]?.format ?? "plain";
  const formats = texts.map((t) => t.format ?? base);
  const used = new Set(formats);
  if (used.has("html") && used.has("markdown")) {
    return {
      ok: false,
      message:
        "This question mixes HTML and markdown texts; SkillBridge keeps one format per question.",
    };
  }
  const format: QuestionTextFormat = used.has("html")
    ? "html"
    : used.has("markdown")
      ? "markdown"
      : "plain";
  return {
    ok: true,
    format,
    texts: texts.map((t, i) =>
      formats[i] !== "plain" || format === "plain"
        ? t.text
        : format === "html"
          ? escapeHtml(t.text)
          : escapeMarkdown(t.text),
    ),
  };
}

function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"]/g, (c) =>
      c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
    )
    .replace(/\n/g, "<br>");
}

/** Every ASCII punctuation character may be backslash-escaped in CommonMark. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, "\\$&");
}
