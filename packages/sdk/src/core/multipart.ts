import { randomBytes } from "node:crypto";

/** A file to upload: its name (the server reads the kind from the bytes) and its content. */
export interface UploadFile {
  readonly name: string;
  readonly content: Uint8Array | string;
  /** The media type to declare (default `application/octet-stream`). */
  readonly type?: string | undefined;
}

/** Quotes a value for a Content-Disposition parameter (RFC 7578: escape `"` and line breaks). */
function quoted(value: string): string {
  return `"${value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`;
}

/**
 * A multipart/form-data body: text fields, then one file part named
 * `fileField`. Undefined fields are left out.
 */
export function encodeMultipart(
  fields: Readonly<Record<string, string | number | undefined>>,
  fileField: string,
  file: UploadFile,
): { contentType: string; body: Uint8Array } {
  const boundary = `skillbridge-${randomBytes(12).toString("hex")}`;
  const chunks: Uint8Array[] = [];
  const text = (s: string) => chunks.push(Buffer.from(s, "utf8"));
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    text(
      `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`,
    );
  }
  text(
    `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(fileField)}; filename=${quoted(file.name)}\r\n` +
      `Content-Type: ${file.type ?? "application/octet-stream"}\r\n\r\n`,
  );
  chunks.push(typeof file.content === "string" ? Buffer.from(file.content, "utf8") : file.content);
  text(`\r\n--${boundary}--\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
