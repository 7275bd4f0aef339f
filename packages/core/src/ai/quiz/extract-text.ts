import type { SourceKind } from "../../contracts/index.js";
import { PayloadTooLargeError, UnreadableFileError, UnsupportedFileError } from "../../errors.js";
import { normaliseSourceText } from "./chunk-text.js";
import { docxText } from "./docx-text.js";
import { pdfText } from "./pdf-text.js";
import { decodeText, markdownToText } from "./plain-text.js";
import { DEFAULT_SOURCE_LIMITS, formatBytes, type SourceLimits } from "./source-limits.js";

/** An uploaded file as the server received it. */
export interface UploadedFile {
  readonly fileName: string;
  /** The part's declared media type; a hint only, the bytes decide. */
  readonly mediaType?: string | undefined;
  readonly bytes: Uint8Array;
}

/** The text of an upload, ready to be chunked. */
export interface SourceText {
  readonly fileName: string;
  readonly kind: SourceKind;
  readonly text: string;
  readonly bytes: number;
  /** PDF pages; null for other kinds. */
  readonly pages: number | null;
}

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

function extension(fileName: string): string {
  return /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? "";
}

/** `%PDF-` within the first KiB (pdf.js, like most readers, tolerates a little junk before it). */
function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  return head.includes("%PDF-");
}

/**
 * Reads the text out of an upload: PDF (text layer), Word (.docx), Markdown
 * or plain text. The bytes decide the kind — a name or media type only
 * settles text versus Markdown — and every way a file can fail is a typed
 * 4xx error whose message says what to do: too large (413), a kind we do not
 * read (415), corrupt, encrypted, empty or without text (422).
 *
 * @example
 * const source = await extractSourceText({ fileName: "notes.pdf", bytes });
 * source.kind; // "pdf"
 */
export async function extractSourceText(
  file: UploadedFile,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): Promise<SourceText> {
  const { bytes, fileName } = file;
  if (bytes.length > limits.maxBytes) {
    throw new PayloadTooLargeError(
      `The file is ${formatBytes(bytes.length)}; at most ${formatBytes(limits.maxBytes)} is accepted.`,
    );
  }
  if (bytes.length === 0) throw new UnreadableFileError("The file is empty.");
  const ext = extension(fileName);
  const mediaType = file.mediaType?.toLowerCase().split(";")[0]?.trim() ?? "";

  let kind: SourceKind;
  let raw: string;
  let pages: number | null = null;
  if (isPdf(bytes)) {
    kind = "pdf";
    const pdf = await pdfText(bytes, limits);
    raw = pdf.text;
    pages = pdf.pages;
  } else if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (!(ext === "docx" || mediaType === DOCX_TYPE || ext === "")) {
      throw new UnsupportedFileError(
        `A .${ext} archive is not read; upload a PDF, a Word document (.docx), Markdown or text.`,
      );
    }
    kind = "docx";
    raw = await docxText(bytes, limits);
  } else if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new UnsupportedFileError(
      "Old Word (.doc) and other legacy Office files are not read; save it as .docx or PDF.",
    );
  } else if (ext === "pdf" || mediaType === "application/pdf") {
    throw new UnreadableFileError("The file is named as a PDF but is not one (no PDF header).");
  } else if (ext === "docx" || mediaType === DOCX_TYPE) {
    throw new UnreadableFileError(
      "The file is named as a Word document (.docx) but is not one (not a ZIP package).",
    );
  } else {
    const text = decodeText(bytes);
    if (text.trimStart().startsWith("{\\rtf")) {
      throw new UnsupportedFileError("Rich Text (.rtf) is not read; save it as .docx or PDF.");
    }
    const markdown = ext === "md" || ext === "markdown" || mediaType === "text/markdown";
    kind = markdown ? "markdown" : "text";
    raw = markdown ? markdownToText(text) : text;
  }

  const text = normaliseSourceText(raw);
  if (text.length < limits.minCharacters) {
    throw new UnreadableFileError(
      `The file has ${text.length} characters of text; at least ${limits.minCharacters} are needed to write questions from.`,
    );
  }
  return { fileName, kind, text, bytes: bytes.length, pages };
}
