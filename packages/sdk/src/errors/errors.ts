import type { ProblemDocument, ProblemFieldError } from "@skillbridge/core/contracts";

/**
 * Codes the server puts in problem documents (`code`), plus the SDK's own for
 * failures that never reached an answer. Open-ended: a newer server may add codes.
 */
export type SkillBridgeErrorCode =
  | "validation_failed"
  | "invalid_cursor"
  | "unauthenticated"
  | "forbidden"
  | "impersonation_forbidden"
  | "academy_suspended"
  | "not_found"
  | "conflict"
  | "invitation_expired"
  | "invitation_used"
  | "rate_limited"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unsupported_file"
  | "unreadable_file"
  | "archive_too_large"
  | "ai_budget_exhausted"
  | "ai_busy"
  | "ai_rate_limited"
  | "ai_unavailable"
  | "ai_output_invalid"
  | "idempotency_key_in_progress"
  | "idempotency_key_reused"
  | "idempotency_unavailable"
  | "method_not_allowed"
  | "bad_request"
  | "unavailable"
  | "internal"
  | "http_error"
  | "connection_error"
  | "timeout"
  | "aborted"
  | "invalid_response"
  | (string & {});

// Symbol.for: one brand across bundles, duplicate installs and realms of the same process.
const BRAND: unique symbol = Symbol.for("@skillbridge/sdk.error");

export interface SkillBridgeErrorOptions {
  readonly status?: number | undefined;
  readonly requestId?: string | null | undefined;
  readonly problem?: ProblemDocument | undefined;
  readonly cause?: unknown;
}

/**
 * Base of every error the SDK throws. `status` is the HTTP status (undefined
 * when no answer arrived), `code` the stable string to branch on, `requestId`
 * the server's `x-request-id` (quote it in support requests) and `problem` the
 * RFC 9457 document the server sent, when there was one.
 *
 * @example
 * try {
 *   await client.courses.get(id);
 * } catch (error) {
 *   if (isSkillBridgeError(error) && error.code === "not_found") return undefined;
 *   throw error;
 * }
 */
export class SkillBridgeError extends Error {
  readonly code: SkillBridgeErrorCode;
  readonly status: number | undefined;
  readonly requestId: string | null;
  readonly problem: ProblemDocument | undefined;

  constructor(code: SkillBridgeErrorCode, message: string, options: SkillBridgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status;
    this.requestId = options.requestId ?? null;
    this.problem = options.problem;
    Object.defineProperty(this, BRAND, { value: true });
  }

  toJSON(): {
    name: string;
    code: SkillBridgeErrorCode;
    status: number | undefined;
    message: string;
    requestId: string | null;
    problem?: ProblemDocument;
  } {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
      requestId: this.requestId,
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }
}

/**
 * True for any error thrown by this SDK, whichever copy of it threw it: a
 * brand check, not `instanceof`.
 *
 * @example
 * if (isSkillBridgeError(error)) console.error(error.code, error.requestId);
 */
export function isSkillBridgeError(value: unknown): value is SkillBridgeError {
  return (
    typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

// ─── answers from the server ─────────────────────────────────────────────────

/** 400 or 422: the request was malformed; `fieldErrors` name each field (`admin.email`). */
export class ValidationError extends SkillBridgeError {
  readonly fieldErrors: readonly ProblemFieldError[];

  constructor(code: SkillBridgeErrorCode, message: string, options: SkillBridgeErrorOptions = {}) {
    super(code, message, options);
    this.fieldErrors = options.problem?.errors ?? [];
  }
}

/** 401: no token, a bad or expired one, or its user or academy is gone. */
export class AuthenticationError extends SkillBridgeError {}

/** 403: the role may not do this, or the academy is suspended (`code: "academy_suspended"`). */
export class PermissionError extends SkillBridgeError {}

/** 404: no such object, or one the caller may not see (the API does not tell them apart). */
export class NotFoundError extends SkillBridgeError {}

/** 409: a unique value is taken (an academy slug, an email) or the object is in use. */
export class ConflictError extends SkillBridgeError {}

/**
 * An `Idempotency-Key` problem: the key was used before with a different
 * request (422 `idempotency_key_reused`), the first request with it is still
 * running (409 `idempotency_key_in_progress`, retried by the SDK first), or
 * the server cannot check keys right now (503 `idempotency_unavailable`). A
 * new request needs a new key. (A malformed key is a `ValidationError`.)
 */
export class IdempotencyError extends SkillBridgeError {}

/** 429: the budget is spent; `retryAfter` is the server's `Retry-After` in seconds. */
export class RateLimitError extends SkillBridgeError {
  readonly retryAfter: number | undefined;

  constructor(
    code: SkillBridgeErrorCode,
    message: string,
    options: SkillBridgeErrorOptions & { readonly retryAfter?: number | undefined } = {},
  ) {
    super(code, message, options);
    this.retryAfter = options.retryAfter;
  }
}

/** 5xx: the server failed; the detail holds only the request id, the cause is in its log. */
export class InternalServerError extends SkillBridgeError {}

// ─── no usable answer ────────────────────────────────────────────────────────

/** The request did not get an answer: refused, reset or dropped connection, DNS failure. */
export class ConnectionError extends SkillBridgeError {}

/** No complete answer within `timeoutMs` (per attempt). */
export class TimeoutError extends ConnectionError {}

/** The caller's `AbortSignal` fired; `cause` is the signal's reason. Named like the DOM's. */
export class AbortError extends SkillBridgeError {}

/** One mismatch between a response and its contract. */
export interface ResponseIssue {
  /** Dotted path in the response body (`data.0.createdAt`); empty for the body itself. */
  readonly path: string;
  readonly message: string;
}

/**
 * The server answered successfully with a body that does not match the
 * contract (with `validateResponses`), or with no JSON at all.
 */
export class ResponseValidationError extends SkillBridgeError {
  readonly issues: readonly ResponseIssue[];

  constructor(
    message: string,
    options: SkillBridgeErrorOptions & { readonly issues?: readonly ResponseIssue[] } = {},
  ) {
    super("invalid_response", message, options);
    this.issues = options.issues ?? [];
  }
}
