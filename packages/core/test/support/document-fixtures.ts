import { constants, crc32, deflateRawSync } from "node:zlib";

/**
 * Real, small documents built byte by byte for the upload tests: PDFs with a
 * text layer (Helvetica, one content stream per page), a PDF with only a
 * drawing (no text to extract), and DOCX files (a ZIP with the parts Word
 * writes). Built here rather than committed so each test shows what is inside.
 */

// ─── PDF ─────────────────────────────────────────────────────────────────────

/** A PDF string literal: backslashes and parentheses escaped, Latin-1 only. */
function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function textStream(lines: readonly string[]): string {
  const body = lines.map((line, i) => `${i === 0 ? "" : "0 -16 Td "}${pdfString(line)} Tj`);
  return `BT /F1 11 Tf 72 740 Td ${body.join(" ")} ET`;
}

/** Assembles objects into a PDF with a correct cross-reference table. */
function assemblePdf(objects: readonly string[]): Buffer {
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

function pagesPdf(streams: readonly string[]): Buffer {
  // 1 catalog, 2 pages, 3 font, then per page: the page and its content stream.
  const kids = streams.map((_, i) => `${4 + i * 2} 0 R`).join(" ");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${kids}] /Count ${streams.length} >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  streams.forEach((stream, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${5 + i * 2} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
      `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`,
    );
  });
  return assemblePdf(objects);
}

/** A PDF with a text layer: one page per entry, each a list of lines. */
export function pdfWithText(pages: readonly (readonly string[])[]): Buffer {
  return pagesPdf(pages.map(textStream));
}

/** A PDF whose pages only draw a rectangle, as a scan without OCR has no text either. */
export function pdfWithoutText(pageCount = 1): Buffer {
  return pagesPdf(Array.from({ length: pageCount }, () => "0 0 1 rg 100 100 300 400 re f"));
}

// ─── ZIP and DOCX ────────────────────────────────────────────────────────────

/** An entry already deflated: its raw DEFLATE bytes, the size and CRC-32 of what they inflate to. */
export interface DeflatedEntry {
  readonly deflated: Buffer;
  readonly size: number;
  readonly crc: number;
  /** The uncompressed size the archive declares for it (a lie, in a zip bomb). */
  readonly declaredSize?: number;
}

/** A ZIP archive (deflated entries, UTF-8 names), written byte by byte. */
export function zip(entries: Readonly<Record<string, string | Buffer | DeflatedEntry>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    let packed: Buffer;
    let crc: number;
    let declared: number;
    if (typeof content === "string" || Buffer.isBuffer(content)) {
      const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      packed = deflateRawSync(data);
      crc = crc32(data);
      declared = data.length;
    } else {
      packed = content.deflated;
      crc = content.crc;
      declared = content.declaredSize ?? content.size;
    }
    const nameBytes = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Object.keys(entries).length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * `mib` MiB of spaces as raw DEFLATE, built without ever holding them: one
 * MiB is compressed with a full flush (a block that is not the last and
 * leaves no history), so the same bytes repeated are a valid stream, and an
 * empty final block ends it. About 1 KiB per MiB.
 */
export function deflatedSpaces(mib: number): DeflatedEntry {
  const mebibyte = Buffer.alloc(1024 * 1024, " ");
  const block = deflateRawSync(mebibyte, { finishFlush: constants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(mebibyte, crc);
  const final = deflateRawSync(Buffer.alloc(0));
  return {
    deflated: Buffer.concat([...new Array<Buffer>(mib).fill(block), final]),
    size: mib * 1024 * 1024,
    crc,
  };
}

/**
 * A zip bomb dressed as a Word document: `word/document.xml` inflates to
 * `mib` MiB while the central directory declares `declaredSize` bytes.
 */
export function docxBomb(mib: number, declaredSize = 1_000): Buffer {
  return zip({
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": ROOT_RELS,
    "word/document.xml": { ...deflatedSpaces(mib), declaredSize },
  });
}

const xmlText = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;

function documentXml(paragraphs: readonly string[]): string {
  const body = paragraphs
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${xmlText(p)}</w:t></w:r></w:p>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
}

/** A Word document with one paragraph per entry. */
export function docxWithParagraphs(paragraphs: readonly string[]): Buffer {
  return zip({
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": ROOT_RELS,
    "word/document.xml": documentXml(paragraphs),
  });
}

/** A ZIP that claims to be a Word document but has no document part. */
export function docxWithoutDocument(): Buffer {
  return zip({ "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS });
}
