import {
  isDatabaseUnavailable,
  isSkillBridgeError,
  RateLimitedError,
  type SkillBridgeErrorCode,
} from "@skillbridge/core";
import type { ProblemDocument } from "@skillbridge/core/contracts";
import type { Next } from "koa";
import type { AppContext, AppDeps } from "../state.js";

/** Seconds a client should wait before retrying while the database is away. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

const CODES: Record<number, SkillBridgeErrorCode> = {
  400: "validation_failed",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  429: "rate_limited",
};

/**
 * Postgres data exceptions that only input can cause (bad encoding, a value
 * out of range or too long): a backstop for what validation did not catch.
 */
const BAD_DATA_STATES = new Set(["22021", "22P05", "22001", "22003", "22P02", "22007", "22008"]);

function isBadDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && BAD_DATA_STATES.has(code);
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors?: readonly { readonly path: string; readonly message: string }[],
): ProblemDocument {
  return {
    type: `urn:skillbridge:problem:${code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors: [...errors] } : {}),
  };
}

function send(ctx: AppContext, body: ProblemDocument): void {
  ctx.status = body.status;
  ctx.type = "application/problem+json";
  ctx.body = body;
}

/**
 * Turns every error into an RFC 9457 problem document. Core's typed errors
 * keep their status and code; Koa's HTTP errors (bad JSON, too large, wrong
 * media type) keep their status; a database that cannot be reached (restart,
 * terminated connection, refused connect) is a 503 with Retry-After, since the
 * request itself may be fine; anything else is a 500 that says nothing about
 * the cause: no stack, no SQL, no constraint names.
 */
export async function problemDetails(ctx: AppContext, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      send(ctx, problem(404, "not_found", "No such route."));
    } else if (ctx.status === 405 && (ctx.body === undefined || typeof ctx.body === "string")) {
      send(ctx, problem(405, "method_not_allowed", `${ctx.method} is not allowed here.`));
    } else if (ctx.status === 501 && (ctx.body === undefined || typeof ctx.body === "string")) {
      // The router's answer to a method it does not know at all (TRACE, PROPFIND…) on a
      // path that exists: to a client, the same as any method this path does not take.
      send(ctx, problem(405, "method_not_allowed", `${ctx.method} is not allowed here.`));
    }
  } catch (error) {
    // Core's typed errors keep their status and code; 502/503 are the AI
    // provider's (bad output, down), told to the client rather than hidden as a 500.
    if (
      isSkillBridgeError(error) &&
      (error.status < 500 || error.status === 502 || error.status === 503)
    ) {
      const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof retryAfter === "number") ctx.set("Retry-After", String(retryAfter));
      else if (error instanceof RateLimitedError || error.code === "rate_limited")
        ctx.set("Retry-After", "1");
      if (error.status >= 500) ctx.app.emit("error", error, ctx);
      send(ctx, problem(error.status, error.code, error.message, error.errors));
      return;
    }
    if (isBadDataError(error)) {
      send(
        ctx,
        problem(400, "validation_failed", "A value in the request cannot be stored as given."),
      );
      return;
    }
    if (isDatabaseUnavailable(error)) {
      (ctx.deps as AppDeps | undefined)?.logger.warn(
        { err: error, requestId: ctx.state.requestId },
        "database unavailable",
      );
      ctx.set("Retry-After", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      send(
        ctx,
        problem(503, "unavailable", "The database cannot be reached right now; retry shortly."),
      );
      return;
    }
    const httpStatus = (error as { status?: unknown; expose?: unknown }).status;
    if (typeof httpStatus === "number" && httpStatus >= 400 && httpStatus < 500) {
      const detail =
        httpStatus === 413
          ? "The request body is too large."
          : httpStatus === 415
            ? "Send JSON (application/json)."
            : httpStatus === 400
              ? "The request body is not valid JSON."
              : (TITLES[httpStatus] ?? "The request cannot be processed.");
      send(ctx, problem(httpStatus, CODES[httpStatus] ?? "bad_request", detail));
      return;
    }
    if (httpStatus === 503) {
      send(ctx, problem(503, "unavailable", "The service is not ready; retry shortly."));
      return;
    }
    ctx.app.emit("error", error, ctx);
    send(
      ctx,
      problem(500, "internal", `Something went wrong. Quote request id ${ctx.state.requestId}.`),
    );
  }
}
