import { PayloadTooLargeError, UnreadableFileError } from "../../errors.js";
import { formatBytes, type SourceLimits } from "./source-limits.js";
import { readZipDirectory } from "./zip-directory.js";

const NOT_DOCX = "The file is not a readable Word document (.docx): it is corrupt or truncated.";

/**
 * The text of a Word document, with mammoth. The ZIP's directory is checked
 * first: it must hold a main document part, and what it unpacks to must stay
 * under the limit (mammoth inflates everything in memory).
 */
export async function docxText(bytes: Uint8Array, limits: SourceLimits): Promise<string> {
  const entries = readZipDirectory(bytes);
  if (!entries) throw new UnreadableFileError(NOT_DOCX);
  if (!entries.some((e) => e.name === "word/document.xml")) {
    throw new UnreadableFileError(
      "The ZIP file is not a Word document: it has no word/document.xml part.",
    );
  }
  const unpacked = entries.reduce((n, e) => n + e.size, 0);
  if (unpacked > limits.maxUnpackedBytes) {
    throw new PayloadTooLargeError(
      `The document unpacks to ${formatBytes(unpacked)}; at most ${formatBytes(limits.maxUnpackedBytes)} is read.`,
    );
  }
  const mammoth = (await import("mammoth")).default;
  let text: string;
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    text = result.value;
  } catch (error) {
    throw new UnreadableFileError(NOT_DOCX, { cause: error });
  }
  if (text.trim() === "") throw new UnreadableFileError("The Word document has no text.");
  return text;
}
