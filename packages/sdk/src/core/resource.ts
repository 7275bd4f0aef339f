import { randomUUID } from "node:crypto";
import type { Page } from "@skillbridge/core/contracts";
import type { z } from "zod";
import {
  ConnectionError,
  isSkillBridgeError,
  ResponseValidationError,
  TimeoutError,
} from "../errors/errors.js";
import { errorFromResponse } from "../errors/factory.js";
import { APIPromise, type WithResponse } from "./api-promise.js";
import type { HttpClient, HttpRequest } from "./http-client.js";
import { PagePromise } from "./pagination.js";
import { abortError, isRetryableAnswer, retryDelayMs, sleep } from "./retry.js";
import { validateResponse } from "./validate.js";

// ─── options and the shared client state ─────────────────────────────────────

/** Per-call options, the last argument of every method. */
export interface RequestOptions {
  /** Cancels the call, including any wait between retries: it rejects with `AbortError`. */
  readonly signal?: AbortSignal | undefined;
  /** Limit for each attempt, connection to last byte (default: the client's `timeoutMs`). */
  readonly timeoutMs?: number | undefined;
  /** Retries after the first attempt (default: the client's `maxRetries`). */
  readonly maxRetries?: number | undefined;
  /**
   * For POSTs: the `Idempotency-Key` to send (default: a new UUID per call,
   * kept across its retries). `headers: { "Idempotency-Key": "" }` sends none,
   * and then the POST is never retried.
   */
  readonly idempotencyKey?: string | undefined;
  /** Extra headers; they win over the SDK's own (names are case-insensitive). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** What every resource of one client shares; `token` changes on `auth.login`. */
export interface ClientContext {
  /** Absolute URL of the API root, `…/api/v1`, without a trailing slash. */
  readonly apiUrl: string;
  readonly http: HttpClient;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly validateResponses: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly userAgent: string;
  token: string | undefined;
}

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface RequestSpec<T> {
  readonly method: HttpRequest["method"];
  /** Under the API root, e.g. `/courses/${id}`, ids already encoded. */
  readonly path: string;
  readonly query?: Query | undefined;
  readonly body?: unknown;
  /** A multipart/form-data body (see `encodeMultipart`), sent as is instead of JSON. */
  readonly form?: { readonly contentType: string; readonly body: Uint8Array } | undefined;
  /** The contract of a success body; absent when none is expected (204). */
  readonly schema?: z.ZodType<T> | undefined;
  /** Send the bearer token (default true; false for login). */
  readonly auth?: boolean;
  /** POST only: send an `Idempotency-Key` (default true; false for login). */
  readonly idempotent?: boolean;
  /**
   * Answer every status as data (a {@link RawResponse}) instead of throwing on
   * 4xx and 5xx; only a 429 is retried (honouring `Retry-After`).
   */
  readonly raw?: boolean;
}

/** Any answer of the API as it came: what `rawRequest` resolves to. */
export interface RawResponse {
  readonly status: number;
  /** The parsed JSON body; the text when it is not JSON; null when empty. */
  readonly body: unknown;
  readonly requestId: string | null;
  /** Lowercased header names. */
  readonly headers: Readonly<Record<string, string>>;
}

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

// ─── the base class: the one request path ────────────────────────────────────

/**
 * Base of every resource class. It owns the only request path of the SDK:
 * URL and headers, the bearer token, idempotency keys, per-attempt timeouts,
 * the caller's AbortSignal, retries with backoff and `Retry-After`, typed
 * errors, response validation and auto-pagination.
 */
export abstract class APIResource {
  protected readonly client: ClientContext;

  constructor(client: ClientContext) {
    this.client = client;
  }

  /** One API call; the promise resolves to the body (or undefined for a 204). */
  protected request<T>(spec: RequestSpec<T>, options: RequestOptions = {}): APIPromise<T> {
    return new APIPromise(this.#send(spec, options));
  }

  /** A list call: every page is one `request()` with the cursor of the page before. */
  protected paginate<T>(
    path: string,
    query: Query & { readonly cursor?: string | undefined },
    schema: z.ZodType<Page<T>>,
    options: RequestOptions = {},
  ): PagePromise<T> {
    return new PagePromise<T>(
      (cursor) =>
        this.request({ method: "GET", path, query: { ...query, cursor }, schema }, options),
      query.cursor,
    );
  }

  async #send<T>(spec: RequestSpec<T>, options: RequestOptions): Promise<WithResponse<T>> {
    const { client } = this;
    const label = `${spec.method} ${spec.path}`;
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": client.userAgent,
      ...lowercaseKeys(client.headers),
    };
    if (spec.auth !== false && client.token) headers.authorization = `Bearer ${client.token}`;
    let body: string | Uint8Array | undefined;
    if (spec.form !== undefined) {
      body = spec.form.body;
      headers["content-type"] = spec.form.contentType;
    } else if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers["content-type"] = "application/json";
    }
    if (spec.method === "POST" && (spec.idempotent !== false || options.idempotencyKey)) {
      headers["idempotency-key"] = options.idempotencyKey ?? randomUUID();
    }
    Object.assign(headers, lowercaseKeys(options.headers ?? {}));
    // A blank header (`{ "Idempotency-Key": "" }`) is how a caller opts out of the key.
    if (headers["idempotency-key"] === "") delete headers["idempotency-key"];
    // A POST without a key may have done its work before the answer was lost: never repeat it.
    const retryable = spec.method !== "POST" || headers["idempotency-key"] !== undefined;
    const maxRetries = retryable ? (options.maxRetries ?? client.maxRetries) : 0;
    const request = { method: spec.method, url: buildUrl(client.apiUrl, spec.path, spec.query) };

    for (let attempt = 1; ; attempt++) {
      let answer: Answer;
      try {
        answer = await this.#attempt({ ...request, headers, body }, label, options);
      } catch (error) {
        if (!(error instanceof ConnectionError) || attempt > maxRetries) throw error;
        await sleep(retryDelayMs(attempt - 1, undefined), options.signal);
        continue;
      }
      const { status } = answer;
      const requestId = answer.headers["x-request-id"] ?? null;
      if (spec.raw) {
        if (status === 429 && attempt <= maxRetries) {
          await sleep(retryDelayMs(attempt - 1, answer.headers["retry-after"]), options.signal);
          continue;
        }
        const response = { status, requestId, headers: answer.headers, attempts: attempt };
        const body = answer.text === "" ? null : (parseJson(answer.text) ?? answer.text);
        const data: RawResponse = { status, body, requestId, headers: answer.headers };
        return { data: data as T, requestId, response };
      }
      if (status >= 200 && status < 300) {
        const response = { status, requestId, headers: answer.headers, attempts: attempt };
        const data = spec.schema ? this.#parse(spec.schema, answer, label, requestId) : undefined;
        return { data: data as T, requestId, response };
      }
      const errorBody = parseJson(answer.text) ?? answer.text;
      if (isRetryableAnswer(status, errorBody) && attempt <= maxRetries) {
        await sleep(retryDelayMs(attempt - 1, answer.headers["retry-after"]), options.signal);
        continue;
      }
      throw errorFromResponse({ status, headers: answer.headers, body: errorBody, label });
    }
  }

  /** One attempt under its own timeout, tied to the caller's signal. */
  async #attempt(
    request: Omit<HttpRequest, "signal">,
    label: string,
    options: RequestOptions,
  ): Promise<Answer> {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    const timeoutMs = options.timeoutMs ?? this.client.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await this.client.http.request({ ...request, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (cause) {
      if (signal?.aborted) throw abortError(signal);
      if (timedOut) {
        throw new TimeoutError("timeout", `No answer to ${label} within ${timeoutMs} ms.`, {
          cause,
        });
      }
      if (isSkillBridgeError(cause)) throw cause;
      throw new ConnectionError("connection_error", `${label} failed: ${describe(cause)}.`, {
        cause,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  #parse<T>(schema: z.ZodType<T>, answer: Answer, label: string, requestId: string | null): T {
    const body = parseJson(answer.text);
    if (body === undefined) {
      throw new ResponseValidationError(
        `The response to ${label} is not JSON (status ${answer.status}).`,
        { status: answer.status, requestId, issues: [{ path: "", message: "Not JSON" }] },
      );
    }
    if (!this.client.validateResponses) return body as T;
    return validateResponse(schema, body, { label, status: answer.status, requestId });
  }
}

// ─── helpers ─────────────────────────────────────────────────────────────────

function buildUrl(apiUrl: string, path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return `${apiUrl}${path}${search ? `?${search}` : ""}`;
}

/** Encodes one path segment (an id). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function lowercaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${typeof code === "string" ? `${code} ` : ""}${error.message}${cause}`;
}
