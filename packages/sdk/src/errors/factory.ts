import { type ProblemDocument, ProblemDocumentSchema } from "@skillbridge/core/contracts";
import { parseRetryAfterMs } from "../core/retry.js";
import {
  AuthenticationError,
  ConflictError,
  IdempotencyError,
  InternalServerError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SkillBridgeError,
  type SkillBridgeErrorCode,
  ValidationError,
} from "./errors.js";

/** An error answer, as the request path read it. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
  /** `METHOD /path`, for messages. */
  readonly label?: string;
}

// What a status means when the body is not a problem document (a proxy's HTML page, say).
const DEFAULT_CODES: Record<number, SkillBridgeErrorCode> = {
  400: "validation_failed",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  422: "validation_failed",
  429: "rate_limited",
  503: "unavailable",
};

function problemOf(body: unknown): ProblemDocument | undefined {
  const parsed = ProblemDocumentSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The one place an error answer becomes a typed error: the problem document's
 * status picks the class (as stripe-node's `generateV1Error` does with its
 * error type), its `code` and `detail` become the error's.
 */
export function errorFromResponse(response: ErrorResponse): SkillBridgeError {
  const { status, headers } = response;
  const problem = problemOf(response.body);
  const requestId = headers["x-request-id"] ?? null;
  const code =
    problem?.code ?? DEFAULT_CODES[status] ?? (status >= 500 ? "internal" : "http_error");
  const detail = problem?.detail ?? `The server answered ${status}.`;
  const message = response.label ? `${detail} (${status} on ${response.label})` : detail;
  const options = { status, requestId, problem };

  switch (true) {
    // Whatever its status, a key problem is one class: the fix is a new key.
    case code.startsWith("idempotency_"):
      return new IdempotencyError(code, message, options);
    case status === 400 || status === 422:
      return new ValidationError(code, message, options);
    case status === 401:
      return new AuthenticationError(code, message, options);
    case status === 403:
      return new PermissionError(code, message, options);
    case status === 404:
      return new NotFoundError(code, message, options);
    case status === 409:
      return new ConflictError(code, message, options);
    case status === 429: {
      const waitMs = parseRetryAfterMs(headers["retry-after"]);
      return new RateLimitError(code, message, {
        ...options,
        retryAfter: waitMs === undefined ? undefined : Math.ceil(waitMs / 1000),
      });
    }
    case status >= 500:
      return new InternalServerError(code, message, options);
    default:
      return new SkillBridgeError(code, message, options);
  }
}
