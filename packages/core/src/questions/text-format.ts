import { Parser } from "htmlparser2";
import sanitizeHtml from "sanitize-html";
import type { Question, QuestionTextFormat } from "../contracts/index.js";
import type { FieldProblem } from "../errors.js";

/**
 * Question text as integrators may render it (#20). Bank questions are shown
 * inside academies' own pages, so what an importer stores must be safe to put
 * there: HTML is cut down to an allowlist, markdown loses its raw HTML, plain
 * text is left alone (integrators escape it, as they escape any text).
 */

/** Images may come inline (a Moodle file kept with its question) or from an https address. */
const IMAGE_SOURCE =
  /^(?:data:image\/(?:png|jpeg|gif|webp|bmp);base64,[A-Za-z0-9+/=\s]*|https:\/\/)/i;

/**
 * The HTML allowlist (docs/question-banks.md, "Text formats"): basic
 * formatting, headings, lists, tables, sub/sup, links (http, https, mailto)
 * and images. Everything else goes: `script`, `style`, `iframe`, `object`,
 * forms, every `on*` handler, `style` and `class` attributes, and any URL
 * with another scheme (`javascript:`, `vbscript:`, `data:` outside images).
 */
export const HTML_ALLOWLIST: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "div",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "del",
    "ins",
    "mark",
    "small",
    "sub",
    "sup",
    "code",
    "pre",
    "kbd",
    "var",
    "samp",
    "blockquote",
    "q",
    "cite",
    "abbr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "a",
    "img",
  ],
  allowedAttributes: {
    a: ["href", "title"],
    img: ["src", "alt", "title", "width", "height"],
    ol: ["start", "type"],
    td: ["colspan", "rowspan"],
    th: ["colspan", "rowspan", "scope"],
    col: ["span"],
    colgroup: ["span"],
    abbr: ["title"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["data", "https"] },
  allowProtocolRelative: false,
  // script, style, textarea, option and noscript lose their content too, not only their tags.
  disallowedTagsMode: "discard",
  transformTags: {
    img: (tagName, attribs) => ({
      tagName,
      // Attributes keep their order; a `src` that is neither an inline image nor https goes.
      attribs: Object.fromEntries(
        Object.entries(attribs).filter(
          ([name, value]) => name !== "src" || IMAGE_SOURCE.test(value),
        ),
      ),
    }),
  },
  // An image with no acceptable source shows nothing but a broken frame: drop it.
  exclusiveFilter: (frame) => frame.tag === "img" && frame.attribs.src === undefined,
};

/**
 * HTML cut down to {@link HTML_ALLOWLIST}. One pass of a streaming parser
 * (htmlparser2), so the work is linear in the input.
 *
 * @example
 * sanitizeQuestionHtml('<p onclick="x()">2<sup>3</sup><script>steal()</script></p>');
 * // '<p>2<sup>3</sup></p>'
 */
export function sanitizeQuestionHtml(html: string): string {
  if (!nestedWithin(html, HTML_MAX_DEPTH)) return escapeHtml(html);
  return sanitizeHtml(html, HTML_ALLOWLIST);
}

/**
 * How deep question HTML may nest elements. htmlparser2 keeps its open
 * elements with `Array#unshift` (v12, `Parser.js`), so each element opened
 * costs time in the depth: 512 KiB of `<b><i>` took 8.8 s where 64 KiB took
 * 49 ms. Real questions nest a table in a list in a paragraph, a dozen deep.
 */
export const HTML_MAX_DEPTH = 256;

const TOO_DEEP = Symbol("too deep");

/**
 * Whether no element of `html` opens deeper than `max`, read as sanitize-html
 * reads it: the same parser and options, after the same rewrite of
 * `<![CDATA[` (sanitize-html 2.18 turns it into a bogus comment that ends at
 * the first `>`; unrewritten, htmlparser2 hides everything up to `]]>`, so
 * elements nested inside one went uncounted here and were parsed there). The
 * parse stops at the first element too deep: the work stays linear.
 */
function nestedWithin(html: string, max: number): boolean {
  let depth = 0;
  const parser = new Parser(
    {
      onopentag() {
        depth += 1;
        if (depth > max) throw TOO_DEEP;
      },
      onclosetag() {
        depth -= 1;
      },
    },
    { decodeEntities: true },
  );
  try {
    parser.end(html.replaceAll("<![CDATA[", "<!&#91;CDATA["));
    return true;
  } catch (error) {
    if (error === TOO_DEEP) return false;
    throw error;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Markup shown as text: what is left of HTML nested too deep to sanitise in linear time. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A `<` that opens a tag, a closing tag, a comment or a processing instruction. */
const RAW_HTML = /<(?=[A-Za-z!?/])/g;
/** A link destination (`](…)` or a reference `]: …`) with a scheme that runs code. */
const SCRIPT_LINK = /(\]\([ \t]*|\]:[ \t]*)(?=(?:javascript|vbscript|data(?!:image\/))[ \t]*:)/gi;

/**
 * Markdown without raw HTML: a `<` that would open a tag becomes `&lt;`, which
 * every markdown renderer shows as the character `<`; a link to a
 * `javascript:`, `vbscript:` or non-image `data:` address becomes a harmless
 * fragment link (`#javascript:…`). Both are single regular-expression passes.
 */
export function neutraliseMarkdown(markdown: string): string {
  return markdown.replace(RAW_HTML, "&lt;").replace(SCRIPT_LINK, "$1#");
}

/** A text made safe for its format: sanitised HTML, markdown without raw HTML, plain as is. */
export function safeText(text: string, format: QuestionTextFormat): string {
  switch (format) {
    case "html":
      return sanitizeQuestionHtml(text).trim();
    case "markdown":
      return neutraliseMarkdown(text);
    case "plain":
      return text;
  }
}

/** A question's texts, each made safe; an HTML text with nothing left is a problem at its path. */
export function safeQuestionTexts<Q extends Question>(
  question: Q,
): { readonly question: Q; readonly errors: FieldProblem[] } {
  const format = question.format ?? "plain";
  if (format === "plain") return { question, errors: [] };
  const errors: FieldProblem[] = [];
  const clean = (value: string, path: string): string => {
    if (format === "html" && !nestedWithin(value, HTML_MAX_DEPTH)) {
      errors.push({
        path,
        message: `HTML nested more than ${HTML_MAX_DEPTH} elements deep; flatten it.`,
      });
      return value;
    }
    // Depth checked above: the allowlist directly, not a second check through `safeText`.
    const safe =
      format === "html" ? sanitizeHtml(value, HTML_ALLOWLIST).trim() : safeText(value, format);
    if (safe.length === 0)
      errors.push({ path, message: "Nothing is left of this text once unsafe HTML is removed." });
    return safe;
  };
  const options = (list: readonly { id: string; text: string }[], path: string) =>
    list.map((option, i) => ({ ...option, text: clean(option.text, `${path}.${i}.text`) }));
  const out: Record<string, unknown> = { ...question, prompt: clean(question.prompt, "prompt") };
  if (question.passage !== undefined) out.passage = clean(question.passage, "passage");
  if (question.explanation !== undefined)
    out.explanation = clean(question.explanation, "explanation");
  if ("options" in question) out.options = options(question.options, "options");
  if ("quantityA" in question) {
    out.quantityA = clean(question.quantityA, "quantityA");
    out.quantityB = clean(question.quantityB, "quantityB");
  }
  if ("sentences" in question)
    out.sentences = question.sentences.map((s, i) => clean(s, `sentences.${i}`));
  if ("blanks" in question)
    out.blanks = question.blanks.map((blank, b) => ({
      options: options(blank.options, `blanks.${b}.options`),
    }));
  return { question: out as Q, errors };
}
