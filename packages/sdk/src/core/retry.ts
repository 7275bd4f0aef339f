import { AbortError } from "../errors/errors.js";

/** Backoff bounds: 0.5 s, 1 s, 2 s … up to 8 s, each less up to a quarter of jitter. */
export const INITIAL_RETRY_DELAY_MS = 500;
export const MAX_RETRY_DELAY_MS = 8_000;
/** The longest `Retry-After` the SDK waits out; a longer one is cut to this. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Statuses worth another attempt: the server did not do the work, or may do it next time. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Answers worth another attempt: a retryable status (but not a spent daily AI
 * budget), or a 409 saying that the first attempt with this idempotency key is
 * still running (a retry after it finishes gets its response replayed).
 */
export function isRetryableAnswer(status: number, body: unknown): boolean {
  const code = (body as { code?: unknown } | null)?.code;
  // A spent daily AI budget renews at midnight UTC: no retry within a call can succeed.
  if (code === "ai_budget_exhausted") return false;
  if (isRetryableStatus(status)) return true;
  return status === 409 && code === "idempotency_key_in_progress";
}

/**
 * `Retry-After` in milliseconds from now: delta-seconds (`"2"`) or an HTTP
 * date (`"Wed, 21 Oct 2026 07:28:00 GMT"`, never negative); undefined when
 * absent or unreadable.
 */
export function parseRetryAfterMs(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  // An HTTP date names a weekday and a month; anything else ("-5", "soon") is unreadable.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (0 for the first): what the
 * server asked for, capped at {@link MAX_RETRY_AFTER_MS}; else exponential
 * backoff with jitter, so many clients do not come back in step.
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | undefined,
  random: () => number = Math.random,
): number {
  const asked = parseRetryAfterMs(retryAfter);
  if (asked !== undefined) return Math.min(asked, MAX_RETRY_AFTER_MS);
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return backoff * (1 - random() * 0.25);
}

/** Waits `ms`, or rejects with an {@link AbortError} as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function abortError(signal: AbortSignal): AbortError {
  return new AbortError("aborted", "The request was aborted.", { cause: signal.reason });
}
