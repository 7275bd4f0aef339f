import { createHash } from "node:crypto";
import type { ProblemDocument } from "@skillbridge/core/contracts";
import type { Next } from "koa";
import type { Principal } from "../auth/token-service.js";
import { problem, problemDetails } from "../middleware/problem-details.js";
import type { AppContext } from "../state.js";
import type { BeginResult, StoredResponse } from "./idempotency-store.js";

/** 1..255 printable ASCII characters (Stripe's limit), spaces included. */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * How long a key stays "in progress" if its request never finishes (a crashed
 * process): a retry after that runs again. Longer than any handler should take.
 */
export const IN_PROGRESS_TTL_MS = 5 * 60_000;

/** Response header on a replayed response. */
export const REPLAYED_HEADER = "Idempotent-Replayed";

/**
 * Whose keys these are: the academy and user (and the platform admin acting
 * through impersonation, if any), or the platform user. Two principals never
 * share an entry, so a stored body never reaches anyone but its first caller.
 * Fields are UUIDs or fixed words, so the joined string is unambiguous.
 */
export function idempotencyScope(principal: Principal): string {
  return principal.kind === "academy"
    ? `academy:${principal.academyId}:${principal.userId}:${principal.impersonatorId ?? "self"}`
    : `platform:${principal.userId}`;
}

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What makes two requests "the same": method, path, query string and the
 * parsed body (for an upload, its fields and the file's name, size and hash).
 */
function fingerprint(ctx: AppContext): string {
  const body = (ctx.request as { body?: unknown }).body;
  const parts: unknown[] = [ctx.method, ctx.path, ctx.querystring, body ?? null];
  if (ctx.state.uploadFingerprint) parts.push(ctx.state.uploadFingerprint);
  return createHash("sha256").update(stableJson(parts)).digest("hex");
}

function send(ctx: AppContext, document: ProblemDocument): void {
  ctx.status = document.status;
  ctx.type = "application/problem+json";
  ctx.body = document;
}

/**
 * The finished response, if it is one to keep: successes and 4xx are final
 * (a retry gets them again); 5xx and 429 are not (the retry runs again).
 * Only JSON bodies (or none) can be replayed faithfully.
 */
function finalResponse(ctx: AppContext): StoredResponse | undefined {
  const status = ctx.status;
  if (status >= 500 || status === 429) return undefined;
  const body: unknown = ctx.body;
  if (body === undefined || body === null) return { status, type: ctx.response.type, body: null };
  const json =
    typeof body === "object" &&
    !Buffer.isBuffer(body) &&
    typeof (body as { pipe?: unknown }).pipe !== "function";
  return json ? { status, type: ctx.response.type, body } : undefined;
}

function replay(ctx: AppContext, response: StoredResponse): void {
  if (response.body !== null) {
    ctx.body = response.body;
    if (response.type) ctx.type = response.type;
  }
  ctx.status = response.status;
  ctx.set(REPLAYED_HEADER, "true");
}

/**
 * `Idempotency-Key` on POST routes, with Stripe's semantics. Runs after auth,
 * tenant context, rate limit, role gate and body parsing (a replay is limited
 * and gated like any request) and before the handler:
 *
 * - no header: the request runs as if this middleware were not there;
 * - a key that is not 1..255 printable ASCII characters: 400;
 * - a new key: claimed atomically as "in progress", the request runs, and its
 *   final status and JSON body are kept for `idempotencyTtlSeconds`
 *   (successes and 4xx; a 5xx or 429 releases the key so a retry runs again);
 * - a kept key, same request: the kept status and body, with
 *   `Idempotent-Replayed: true`, after re-checking the caller (a deleted user
 *   or a suspended academy gets its 401/403, not the replay);
 * - a kept or running key, different method, path, query or body: 422
 *   `idempotency_key_reused`; same request still running: 409
 *   `idempotency_key_in_progress`;
 * - the store unreachable: 503 `idempotency_unavailable`, for keyed requests only.
 *
 * Errors of the handler are mapped to problem documents by the problem
 * middleware run here, inside the claim, so the 4xx kept is exactly the one
 * sent; the outer problem middleware then has nothing left to map.
 *
 * @param recheck runs the handler's re-check of the caller without the work.
 */
export function idempotency(recheck: (ctx: AppContext) => Promise<void>) {
  return async function idempotent(ctx: AppContext, next: Next): Promise<void> {
    const header = ctx.request.headers["idempotency-key"];
    const principal = ctx.state.principal;
    if (header === undefined || !principal) return next();
    const key = Array.isArray(header) ? header.join(", ") : header;
    if (!KEY_PATTERN.test(key)) {
      send(
        ctx,
        problem(
          400,
          "validation_failed",
          "The Idempotency-Key header must be 1 to 255 printable ASCII characters.",
          [
            {
              path: "headers.idempotency-key",
              message: "Expected 1 to 255 printable ASCII characters.",
            },
          ],
        ),
      );
      return;
    }
    const { idempotency: store, config, logger } = ctx.deps;
    const ttlMs = config.idempotencyTtlSeconds * 1000;
    const print = fingerprint(ctx);
    let begun: BeginResult;
    try {
      begun = await store.begin(
        `${idempotencyScope(principal)}:${key}`,
        print,
        Math.min(IN_PROGRESS_TTL_MS, ttlMs),
      );
    } catch (error) {
      logger.warn({ err: error, requestId: ctx.state.requestId }, "idempotency store unavailable");
      ctx.set("Retry-After", "1");
      send(
        ctx,
        problem(
          503,
          "idempotency_unavailable",
          "Idempotency keys cannot be checked right now; retry shortly with the same key.",
        ),
      );
      return;
    }

    if (!begun.claimed) {
      const { entry } = begun;
      if (entry.fingerprint !== print) {
        send(ctx, {
          ...problem(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different request (method, path or body); use a new key.",
          ),
          title: "Unprocessable Content",
        });
        return;
      }
      if (entry.state === "in_progress") {
        ctx.set("Retry-After", "1");
        send(
          ctx,
          problem(
            409,
            "idempotency_key_in_progress",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
          ),
        );
        return;
      }
      await recheck(ctx);
      replay(ctx, entry.response);
      return;
    }

    const { claim } = begun;
    try {
      await problemDetails(ctx, next);
    } catch (error) {
      await store.release(claim).catch(() => undefined);
      throw error;
    }
    const response = finalResponse(ctx);
    try {
      if (response) await store.complete(claim, response, ttlMs);
      else await store.release(claim);
    } catch (error) {
      // The work is done and the response stands; the key stays "in progress"
      // until it expires, so a retry meanwhile gets 409 rather than a second effect.
      logger.warn(
        { err: error, requestId: ctx.state.requestId },
        "idempotency store failed to record a response",
      );
    }
  };
}
