import { UnreadableFileError, UnsupportedFileError } from "../../errors.js";

/**
 * Decodes an upload as UTF-8 text (a UTF-8 or UTF-16 byte-order mark is
 * honoured). Bytes that are not text — NULs, invalid UTF-8 — mean a binary
 * file of a kind we do not read.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes);
    else if (bytes[0] === 0xfe && bytes[1] === 0xff)
      text = new TextDecoder("utf-16be", { fatal: true }).decode(bytes);
    else text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UnsupportedFileError(
      "The file is neither text (UTF-8) nor a PDF or Word (.docx) document.",
    );
  }
  text = text.replace(/^\uFEFF/, "");
  if (text.includes("\u0000")) {
    throw new UnsupportedFileError(
      "The file is binary, not text, and not a PDF or Word (.docx) document.",
    );
  }
  if (text.trim() === "") throw new UnreadableFileError("The file is empty.");
  return text;
}

/**
 * HTML comments removed in one pass: a pattern like `<!--[\s\S]*?-->` would
 * rescan to the end of the text from every unclosed `<!--` (quadratic work).
 * An unclosed comment runs to the end, as in HTML.
 */
function withoutComments(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = text.indexOf("<!--", at);
    if (open < 0) return out + text.slice(at);
    out += text.slice(at, open);
    const close = text.indexOf("-->", open + 4);
    if (close < 0) return out;
    at = close + 3;
  }
}

/**
 * Markdown as the prose a reader sees: headings, emphasis, link and image
 * syntax, HTML tags and front matter removed; code and text kept. Link
 * texts, targets and tags are bounded in length (500 and 2,000 characters),
 * so no unclosed bracket makes the work grow with the square of the text.
 */
export function markdownToText(markdown: string): string {
  return withoutComments(markdown.replace(/^---\n[\s\S]*?\n---\n/, ""))
    .replace(/^```.*$/gm, "")
    .replace(/!\[([^\]]{0,500})\]\([^)]{0,2000}\)/g, "$1")
    .replace(/\[([^\]]{1,500})\]\([^)]{0,2000}\)/g, "$1")
    .replace(/<\/?[A-Za-z][^>]{0,2000}>/g, "")
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, "")
    .replace(/^[ \t]{0,3}>[ \t]?/gm, "")
    .replace(/^[ \t]*([-*+]|\d+[.)])[ \t]+/gm, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^[ \t]*([-*_][ \t]*){3,}$/gm, "");
}
