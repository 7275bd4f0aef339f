import { UnreadableFileError } from "../../errors.js";
import type { SourceLimits } from "./source-limits.js";
import { measureZip, readZipParts, storedZip } from "./zip-parts.js";

const NOT_DOCX = "The file is not a readable Word document (.docx): it is corrupt or truncated.";

/** The parts mammoth reads for raw text: XML and relationships, not media. */
const TEXT_PART = /\.(?:xml|rels)$/i;

/**
 * The text of a Word document, with mammoth. First every entry of the ZIP
 * is inflated and counted, and the file is refused (422 `archive_too_large`)
 * as soon as the bytes really unpacked pass `maxUnpackedBytes`, whatever its
 * directory declares (`zip-parts.ts`). Then mammoth reads a new archive of
 * the checked XML parts only, so it never inflates anything unmeasured.
 */
export async function docxText(bytes: Uint8Array, limits: SourceLimits): Promise<string> {
  const names = await measureZip(bytes, limits.maxUnpackedBytes);
  if (!names.includes("word/document.xml")) {
    throw new UnreadableFileError(
      "The ZIP file is not a Word document: it has no word/document.xml part.",
    );
  }
  const parts = await readZipParts(bytes, (name) => TEXT_PART.test(name));
  const mammoth = (await import("mammoth")).default;
  let text: string;
  try {
    const result = await mammoth.extractRawText({ buffer: storedZip(parts) });
    text = result.value;
  } catch (error) {
    throw new UnreadableFileError(NOT_DOCX, { cause: error });
  }
  if (text.trim() === "") throw new UnreadableFileError("The Word document has no text.");
  return text;
}
