import { randomBytes } from "node:crypto";

/** A multipart/form-data body, as a browser or curl -F would send it. */
export interface MultipartBody {
  readonly contentType: string;
  readonly body: Buffer;
}

export interface FilePart {
  readonly name?: string;
  readonly fileName: string;
  readonly type?: string;
  readonly content: Buffer | string;
}

/**
 * Encodes text fields and file parts. Files default to the part name `file`
 * and the type `application/octet-stream`.
 *
 * @example
 * multipartBody({ title: "Cells", count: "3" }, [{ fileName: "cells.pdf", content: pdf }]);
 */
export function multipartBody(
  fields: Readonly<Record<string, string>>,
  files: readonly FilePart[] = [],
): MultipartBody {
  const boundary = `----skillbridge-${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? "file"}"; filename="${file.fileName}"\r\n` +
          `Content-Type: ${file.type ?? "application/octet-stream"}\r\n\r\n`,
      ),
      typeof file.content === "string" ? Buffer.from(file.content) : file.content,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat(parts),
  };
}
