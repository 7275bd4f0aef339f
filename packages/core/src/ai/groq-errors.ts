import { APIConnectionError, APIError, APIUserAbortError } from "groq-sdk";
import { type AiError, AiRateLimitedError, AiUnavailableError } from "../errors.js";

/**
 * How a failed Groq call is treated: retried in place (after `waitMs`, when
 * the caller's retry budget allows) or turned into a typed core error.
 */
export type GroqFailure =
  | { readonly kind: "retry"; readonly waitMs: number | undefined; readonly error: AiError }
  | { readonly kind: "json_validate_failed"; readonly failedGeneration: string | undefined }
  | { readonly kind: "fatal"; readonly error: unknown };

/**
 * `retry-after-ms` (Groq and OpenAI send it), else `Retry-After` as seconds or
 * an HTTP date; undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const after = headers?.get("retry-after")?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const date = /[a-z]/i.test(after) ? Date.parse(after) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorCode(error: APIError): string | undefined {
  const body = error.error as { code?: unknown; error?: { code?: unknown } } | undefined;
  const code = body?.code ?? body?.error?.code;
  return typeof code === "string" ? code : undefined;
}

function failedGeneration(error: APIError): string | undefined {
  const body = error.error as
    | { failed_generation?: unknown; error?: { failed_generation?: unknown } }
    | undefined;
  const text = body?.failed_generation ?? body?.error?.failed_generation;
  return typeof text === "string" ? text : undefined;
}

/** Sorts a thrown value from groq-sdk into what to do next. */
export function classifyGroqError(error: unknown): GroqFailure {
  if (error instanceof APIUserAbortError) return { kind: "fatal", error };
  if (error instanceof APIConnectionError) {
    return {
      kind: "retry",
      waitMs: undefined,
      error: new AiUnavailableError("The AI provider could not be reached.", { cause: error }),
    };
  }
  if (!(error instanceof APIError)) return { kind: "fatal", error };
  const status = error.status;
  if (status === 400 && errorCode(error) === "json_validate_failed") {
    return { kind: "json_validate_failed", failedGeneration: failedGeneration(error) };
  }
  const waitMs = retryAfterMs(error.headers);
  if (status === 429) {
    return {
      kind: "retry",
      waitMs,
      error: new AiRateLimitedError(waitMs === undefined ? undefined : waitMs / 1000, {
        cause: error,
      }),
    };
  }
  if (status === undefined || status >= 500 || status === 408) {
    return {
      kind: "retry",
      waitMs,
      error: new AiUnavailableError(undefined, {
        cause: error,
        retryAfterSeconds: waitMs === undefined ? undefined : waitMs / 1000,
      }),
    };
  }
  if (status === 401 || status === 403) {
    return {
      kind: "fatal",
      error: new AiUnavailableError("The AI provider refused the platform's credentials.", {
        cause: error,
      }),
    };
  }
  // Any other 4xx is a request we built wrongly or a model that is gone: a
  // configuration problem to log, never the caller's input.
  return {
    kind: "fatal",
    error: new AiUnavailableError(`The AI provider rejected the request (${status}).`, {
      cause: error,
    }),
  };
}
