import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { ValidationError } from "@skillbridge/core";
import type { Next } from "koa";
import type { AppContext } from "../state.js";

declare module "koa" {
  interface Request {
    /** The parsed JSON body (set by `jsonBody` on routes that take one). */
    body?: unknown;
  }
}

/**
 * The deepest nesting of arrays and objects a request body may have. Real
 * bodies need 4 or 5 levels; the bound keeps every recursive reader (NUL
 * checks, idempotency fingerprints, zod) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** Bodies a request route reads: `application/json` and the `+json` media types. */
function isJson(ctx: AppContext): boolean {
  return ctx.is("application/json", "application/*+json") !== false;
}

/**
 * True when `text` nests arrays or objects deeper than `max`. One pass over
 * the raw text, before any parser sees it; brackets inside strings do not count.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Reads the body up to `limit` bytes (after decompression): 413 beyond, 415 for an unknown encoding. */
async function readText(ctx: AppContext, limit: number): Promise<string> {
  const declared = ctx.request.length;
  const encoding = (ctx.get("content-encoding") || "identity").toLowerCase();
  // A declared length over the limit is refused before a byte is read.
  if (encoding === "identity" && declared !== undefined && declared > limit) ctx.throw(413);
  let stream: Readable = ctx.req;
  if (encoding === "gzip" || encoding === "x-gzip") stream = ctx.req.pipe(createGunzip());
  else if (encoding === "deflate") stream = ctx.req.pipe(createInflate());
  else if (encoding !== "identity") ctx.throw(415);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      // Counted after decompression, so a small compressed bomb is stopped too.
      if (size > limit) ctx.throw(413);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if ((error as { status?: unknown }).status === 413) throw error;
    // A corrupt compressed stream or an aborted upload: the body cannot be read.
    ctx.throw(400);
  } finally {
    if (stream !== ctx.req) stream.destroy();
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    ctx.throw(400);
  }
}

/** Refuses keys that could poison prototypes once a body is merged into another object. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === "__proto__") throw new SyntaxError("__proto__ is not allowed");
  if (key === "constructor" && value !== null && typeof value === "object" && "prototype" in value)
    throw new SyntaxError("constructor.prototype is not allowed");
  return value;
}

/**
 * JSON request bodies: size-limited (413, counted after decompression),
 * depth-limited on the raw text before parsing (400), parsed strictly (an
 * object or array; anything else is a 400) without prototype keys. Other
 * media types are left unread, so the route's schema sees an empty body.
 */
export function jsonBody(limitBytes: number) {
  return async function readJsonBody(ctx: AppContext, next: Next): Promise<void> {
    if (!BODY_METHODS.has(ctx.method) || !isJson(ctx)) return next();
    const text = await readText(ctx, limitBytes);
    if (text.trim() === "") {
      ctx.request.body = {};
      return next();
    }
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      throw new ValidationError(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    }
    // Strict, as RFC 8259 whitespace then an object or array: a bare scalar is a 400.
    if (!/^[ \t\n\r]*[[{]/.test(text)) ctx.throw(400);
    try {
      ctx.request.body = JSON.parse(text, refusePrototypeKeys);
    } catch {
      ctx.throw(400);
    }
    return next();
  };
}
