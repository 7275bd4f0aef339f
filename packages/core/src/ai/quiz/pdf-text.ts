import { PayloadTooLargeError, UnreadableFileError } from "../../errors.js";
import type { SourceLimits } from "./source-limits.js";

export interface PdfText {
  readonly text: string;
  readonly pages: number;
}

function describeFailure(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "PasswordException") {
    return "The PDF is password-protected; upload a copy without a password.";
  }
  return "The PDF cannot be read: it is corrupt, truncated or not really a PDF.";
}

/**
 * The text layer of a PDF, page by page, with pdf.js (through unpdf, which
 * bundles a build that runs on Node 20 without a canvas). pdf.js is told not
 * to compile fonts into functions (`isEvalSupported: false`) and to stay
 * quiet. A PDF over the page limit, one that cannot be parsed, and one
 * without a text layer (a scan) are refused with a message saying which.
 */
export async function pdfText(bytes: Uint8Array, limits: SourceLimits): Promise<PdfText> {
  const { getDocumentProxy } = await import("unpdf");
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      isEvalSupported: false,
      verbosity: 0,
      disableFontFace: true,
      useSystemFonts: false,
    });
  } catch (error) {
    throw new UnreadableFileError(describeFailure(error), { cause: error });
  }
  try {
    if (pdf.numPages > limits.maxPages) {
      throw new PayloadTooLargeError(
        `The PDF has ${pdf.numPages} pages; at most ${limits.maxPages} are read. Split it or upload the chapter you need.`,
      );
    }
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str + (item.hasEOL ? "\n" : "");
      }
      pages.push(text);
      page.cleanup();
    }
    const text = pages.join("\n\n");
    if (text.trim() === "") {
      throw new UnreadableFileError(
        "The PDF has no extractable text (scanned pages are images): run it through OCR first, or upload the text.",
      );
    }
    return { text, pages: pdf.numPages };
  } catch (error) {
    if (error instanceof PayloadTooLargeError || error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(describeFailure(error), { cause: error });
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}
