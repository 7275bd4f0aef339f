import { type Dispatcher, request } from "undici";

/** One HTTP exchange as the SDK needs it; everything else (retries, errors) is above this. */
export interface HttpRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, or the bytes of an upload (multipart/form-data). */
  readonly body?: string | Uint8Array | undefined;
  /** Fires on timeout or on the caller's abort; the client must stop and reject. */
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lowercased names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Reads the whole body; called exactly once per response. */
  text(): Promise<string>;
}

/**
 * The transport behind the client (stripe-node's `HttpClient`): swap it to
 * record, stub or reroute requests. It rejects only when no answer arrived;
 * any status is an answer.
 */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** The default transport: undici's `request`, on the given dispatcher or the global one. */
export class UndiciHttpClient implements HttpClient {
  readonly #dispatcher: Dispatcher | undefined;

  constructor(dispatcher?: Dispatcher) {
    this.#dispatcher = dispatcher;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal,
      ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    return { status: response.statusCode, headers, text: () => response.body.text() };
  }
}

/** What the SDK needs of a `fetch`: the global one, undici's, or a test double. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array;
    signal: AbortSignal;
  },
) => Promise<{
  readonly status: number;
  readonly headers: { forEach(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}>;

/** A transport over any `fetch` implementation (`new SkillBridge({ baseUrl, fetch })`). */
export class FetchHttpClient implements HttpClient {
  readonly #fetch: FetchLike;

  constructor(fetch: FetchLike) {
    this.#fetch = fetch;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const response = await this.#fetch(req.url, {
      method: req.method,
      headers: { ...req.headers },
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: req.signal,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, text: () => response.text() };
  }
}
