import { describe, expect, it } from "vitest";
import {
  DEFAULT_SOURCE_LIMITS,
  extractSourceText,
  isSkillBridgeError,
  type SourceLimits,
  type UploadedFile,
} from "../src/index.js";
import {
  docxBomb,
  docxWithoutDocument,
  docxWithParagraphs,
  pdfWithoutText,
  pdfWithText,
  zip,
} from "./support/document-fixtures.js";

// Reading uploaded documents for quiz generation: what each kind yields, and
// that every way a file can be unusable is a typed 4xx error with a message
// that says what to do — never a crash.

const PARAGRAPH =
  "Photosynthesis converts light energy into chemical energy stored in glucose. " +
  "It takes place in the chloroplasts of plant cells.";

/** The parts of a Word document, as a fixture ZIP needs them. */
const CONTENT_TYPES_FOR_TEST = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/></Types>`;
const ROOT_RELS_FOR_TEST = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const DOCUMENT_FOR_TEST = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${PARAGRAPH}</w:t></w:r></w:p></w:body></w:document>`;

async function rejection(file: UploadedFile, limits?: Partial<SourceLimits>) {
  try {
    await extractSourceText(file, { ...DEFAULT_SOURCE_LIMITS, ...limits });
  } catch (error) {
    if (!isSkillBridgeError(error)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
  throw new Error("expected the file to be refused");
}

describe("reading uploaded documents", () => {
  it("a PDF's text layer is read page by page, with the page count", async () => {
    const bytes = pdfWithText([
      ["Chapter 1. Cells", PARAGRAPH],
      ["Chapter 2. Energy", "Mitochondria release the energy stored in glucose (respiration)."],
    ]);
    const source = await extractSourceText({ fileName: "biology.pdf", bytes });
    expect(source).toMatchObject({ kind: "pdf", pages: 2, bytes: bytes.length });
    expect(source.text).toContain("Photosynthesis converts light energy");
    expect(source.text).toContain(
      "Mitochondria release the energy stored in glucose (respiration).",
    );
  });

  it("a Word document's paragraphs are read", async () => {
    const bytes = docxWithParagraphs(["Cells & energy", PARAGRAPH]);
    const source = await extractSourceText({ fileName: "notes.docx", bytes });
    expect(source.kind).toBe("docx");
    expect(source.pages).toBeNull();
    expect(source.text).toBe(`Cells & energy\n\n${PARAGRAPH}`);
  });

  it("Markdown is read as the prose a reader sees", async () => {
    const markdown = `# Cells\n\n**Photosynthesis** converts light energy into [chemical energy](https://x.example) stored in glucose.\n\n- It takes place in the *chloroplasts*.\n`;
    const source = await extractSourceText({
      fileName: "cells.md",
      bytes: Buffer.from(markdown),
    });
    expect(source.kind).toBe("markdown");
    expect(source.text).toBe(
      "Cells\n\nPhotosynthesis converts light energy into chemical energy stored in glucose.\n\nIt takes place in the chloroplasts.",
    );
  });

  it("plain text is read as UTF-8, a byte-order mark and CRLF line ends normalised", async () => {
    const source = await extractSourceText({
      fileName: "notes.txt",
      bytes: Buffer.from(`\uFEFF${PARAGRAPH.replace(". ", ".\r\n\r\n")}`),
    });
    expect(source.kind).toBe("text");
    expect(source.text.startsWith("Photosynthesis")).toBe(true);
    expect(source.text).not.toMatch(/\r|\uFEFF/);
  });

  it("the bytes decide the kind, not the name: a PDF called notes.txt is read as a PDF", async () => {
    const source = await extractSourceText({
      fileName: "notes.txt",
      bytes: pdfWithText([[PARAGRAPH]]),
    });
    expect(source.kind).toBe("pdf");
  });

  it("a PDF without a text layer (a scan) is a 422 that says to run OCR", async () => {
    expect(await rejection({ fileName: "scan.pdf", bytes: pdfWithoutText(2) })).toEqual({
      status: 422,
      code: "unreadable_file",
      message: expect.stringMatching(/no extractable text.*OCR/),
    });
  });

  it("a corrupt or truncated PDF is a 422, not a crash", async () => {
    const whole = pdfWithText([[PARAGRAPH]]);
    for (const bytes of [
      whole.subarray(0, 120),
      Buffer.from("%PDF-1.7\n garbage and more garbage"),
    ]) {
      expect(await rejection({ fileName: "broken.pdf", bytes })).toEqual({
        status: 422,
        code: "unreadable_file",
        message: expect.stringMatching(/PDF cannot be read: it is corrupt, truncated/),
      });
    }
  });

  it("a file named .pdf that is not a PDF is a 422 naming the mismatch", async () => {
    expect(
      await rejection({ fileName: "chapter.pdf", bytes: Buffer.from(PARAGRAPH) }),
    ).toMatchObject({
      status: 422,
      message: expect.stringMatching(/named as a PDF but is not one/),
    });
  });

  it("a PDF over the page limit is a 413 naming both numbers", async () => {
    const bytes = pdfWithText([[PARAGRAPH], [PARAGRAPH], [PARAGRAPH]]);
    expect(await rejection({ fileName: "long.pdf", bytes }, { maxPages: 2 })).toEqual({
      status: 413,
      code: "payload_too_large",
      message: expect.stringMatching(/has 3 pages; at most 2 are read/),
    });
  });

  it("a file over the size limit is a 413 before anything is parsed", async () => {
    expect(
      await rejection({ fileName: "big.txt", bytes: Buffer.alloc(2048, "a") }, { maxBytes: 1024 }),
    ).toMatchObject({ status: 413, message: expect.stringMatching(/2 KiB; at most 1 KiB/) });
  });

  it("a ZIP without a Word document part, and a corrupt ZIP, are 422s", async () => {
    expect(await rejection({ fileName: "x.docx", bytes: docxWithoutDocument() })).toMatchObject({
      status: 422,
      message: expect.stringMatching(/no word\/document\.xml/),
    });
    const broken = docxWithParagraphs([PARAGRAPH]).subarray(0, 200);
    expect(await rejection({ fileName: "x.docx", bytes: broken })).toMatchObject({
      status: 422,
      message: expect.stringMatching(/not a readable Word document/),
    });
  });

  it("a DOCX whose directory declares more than the limit is a 422 archive_too_large", async () => {
    const big = zip({
      "[Content_Types].xml": "<Types/>",
      "word/document.xml": Buffer.alloc(3 * 1024 * 1024, " "),
    });
    expect(big.length).toBeLessThan(64 * 1024);
    expect(
      await rejection({ fileName: "big.docx", bytes: big }, { maxUnpackedBytes: 1024 * 1024 }),
    ).toMatchObject({
      status: 422,
      code: "archive_too_large",
      message: expect.stringMatching(/unpacks to more than 1 MiB/),
    });
  });

  it("a zip bomb whose directory lies (1,000 bytes declared, 400 MiB inside) is counted as it inflates and refused, memory flat", async () => {
    const bomb = docxBomb(400, 1_000);
    expect(bomb.length).toBeLessThan(600 * 1024);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    try {
      expect(await rejection({ fileName: "bomb.docx", bytes: bomb })).toMatchObject({
        status: 422,
        code: "archive_too_large",
        message: expect.stringMatching(/unpacks to more than 50 MiB \(counted as it was unpacked/),
      });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect((peak - before) / 1024 / 1024).toBeLessThan(64);
  });

  it("a Word document is read from its checked parts only: media are counted, not handed on", async () => {
    const bytes = zip({
      "[Content_Types].xml": CONTENT_TYPES_FOR_TEST,
      "_rels/.rels": ROOT_RELS_FOR_TEST,
      "word/document.xml": DOCUMENT_FOR_TEST,
      "word/media/image1.png": Buffer.alloc(2 * 1024 * 1024, 7),
    });
    expect((await extractSourceText({ fileName: "notes.docx", bytes })).text).toContain(
      "Photosynthesis converts light energy",
    );
    expect(
      await rejection({ fileName: "notes.docx", bytes }, { maxUnpackedBytes: 1024 * 1024 }),
    ).toMatchObject({ status: 422, code: "archive_too_large" });
  });

  it("other archives, legacy Word and binary files are 415s that say what is read", async () => {
    const xlsx = zip({ "xl/workbook.xml": "<workbook/>" });
    const legacyDoc = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xfe]);
    for (const [fileName, bytes, hint] of [
      ["sheet.xlsx", xlsx, /\.xlsx archive is not read/],
      ["old.doc", legacyDoc, /save it as \.docx or PDF/],
      ["photo.png", png, /neither text \(UTF-8\) nor a PDF/],
    ] as const) {
      expect(await rejection({ fileName, bytes })).toEqual({
        status: 415,
        code: "unsupported_file",
        message: expect.stringMatching(hint),
      });
    }
  });

  it("an empty file, a blank Word document and a note too short to ask about are 422s", async () => {
    expect(await rejection({ fileName: "empty.txt", bytes: Buffer.alloc(0) })).toMatchObject({
      status: 422,
      message: "The file is empty.",
    });
    expect(
      await rejection({ fileName: "blank.docx", bytes: docxWithParagraphs(["   "]) }),
    ).toMatchObject({ status: 422, message: "The Word document has no text." });
    expect(
      await rejection({ fileName: "short.md", bytes: Buffer.from("# Title\n\nToo short.") }),
    ).toMatchObject({
      status: 422,
      message: expect.stringMatching(/has 17 characters of text; at least 100 are needed/),
    });
  });
});
