import { createHash } from "node:crypto";
import {
  type FieldProblem,
  formatBytes,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  type UploadedFile,
  ValidationError,
} from "@skillbridge/core";
import busboy from "busboy";
import type { Next } from "koa";
import type { AppContext, AppDeps } from "../state.js";

/** A route that takes one uploaded file (multipart/form-data) beside its text fields. */
export interface UploadSpec {
  /** The file part's name, e.g. `file`. */
  readonly field: string;
  /** The largest file accepted; a bigger one is a 413 and is not kept. */
  readonly maxBytes: (deps: AppDeps) => number;
}

const LIMITS = { fields: 20, fieldSize: 16 * 1024, parts: 24, files: 1 } as const;

interface Parsed {
  readonly fields: Record<string, string>;
  readonly file: UploadedFile | undefined;
  readonly problems: FieldProblem[];
  readonly tooLarge: boolean;
}

function parse(ctx: AppContext, spec: UploadSpec): Promise<Parsed> {
  const maxBytes = spec.maxBytes(ctx.deps);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: ctx.req.headers,
        limits: { ...LIMITS, fileSize: maxBytes },
        defParamCharset: "utf8",
      });
    } catch {
      reject(new ValidationError("The multipart body has no boundary."));
      return;
    }
    const fields: Record<string, string> = {};
    const problems: FieldProblem[] = [];
    let file: UploadedFile | undefined;
    let tooLarge = false;
    let pending = 0;
    let finished = false;
    const settle = () => {
      if (finished && pending === 0) resolve({ fields, file, problems, tooLarge });
    };
    parser.on("field", (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) {
        problems.push({ path: name, message: `At most ${LIMITS.fieldSize} characters.` });
      } else if (name === spec.field) {
        problems.push({ path: name, message: "Send the document as a file part, not as text." });
      } else if (Object.hasOwn(fields, name)) {
        problems.push({ path: name, message: "Given more than once." });
      } else {
        fields[name] = value;
      }
    });
    parser.on("file", (name, stream, info) => {
      if (name !== spec.field || file !== undefined) {
        problems.push({
          path: name,
          message: name === spec.field ? "Send one file only." : `Unknown file part "${name}".`,
        });
        stream.resume();
        return;
      }
      pending++;
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => {
        tooLarge = true;
      });
      stream.on("close", () => {
        pending--;
        if (!tooLarge) {
          file = {
            fileName: info.filename ?? "upload",
            mediaType: info.mimeType,
            bytes: Buffer.concat(chunks),
          };
        }
        settle();
      });
    });
    parser.on("filesLimit", () =>
      problems.push({ path: spec.field, message: "Send one file only." }),
    );
    parser.on("fieldsLimit", () => problems.push({ path: "", message: "Too many fields." }));
    parser.on("partsLimit", () => problems.push({ path: "", message: "Too many parts." }));
    parser.on("error", () => reject(new ValidationError("The multipart body is malformed.")));
    parser.on("close", () => {
      finished = true;
      settle();
    });
    ctx.req.pipe(parser);
  });
}

/**
 * Reads a multipart/form-data upload in place of the JSON body parser: text
 * fields become `ctx.request.body` (validated by the route's body schema like
 * any body), the one file part goes to `ctx.state.upload`. The file is held
 * in memory up to the route's limit and not a byte further. Idempotency keys
 * see the fields plus the file's name, size and SHA-256, so the same key with
 * a different file is a different request.
 */
export function multipart(spec: UploadSpec) {
  return async (ctx: AppContext, next: Next): Promise<void> => {
    if (!ctx.is("multipart/form-data")) {
      throw new UnsupportedMediaTypeError(
        `Send multipart/form-data with the document as the "${spec.field}" part.`,
      );
    }
    // busboy reads the body as sent: a compressed upload would be inflated by
    // nobody and parsed as garbage. Say so instead (documents are compressed already).
    const encoding = (ctx.get("content-encoding") || "identity").trim().toLowerCase();
    if (encoding !== "identity") {
      throw new UnsupportedMediaTypeError(
        `An upload is not accepted with Content-Encoding "${encoding}": send the file as it is (PDF and .docx files are compressed already).`,
      );
    }
    const parsed = await parse(ctx, spec);
    if (parsed.tooLarge) {
      throw new PayloadTooLargeError(
        `The file is larger than ${formatBytes(spec.maxBytes(ctx.deps))}, the most accepted.`,
      );
    }
    if (parsed.problems.length > 0) {
      throw new ValidationError("The upload is not valid.", parsed.problems);
    }
    if (!parsed.file) {
      throw new ValidationError("The upload is not valid.", [
        { path: spec.field, message: `Attach the document as the "${spec.field}" file part.` },
      ]);
    }
    ctx.state.upload = parsed.file;
    (ctx.request as { body?: unknown }).body = parsed.fields;
    ctx.state.uploadFingerprint = {
      name: parsed.file.fileName,
      size: parsed.file.bytes.length,
      sha256: createHash("sha256").update(parsed.file.bytes).digest("hex"),
    };
    return next();
  };
}
