import { Agent, type Dispatcher, request } from "undici";

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The body as sent on the wire. */
  readonly text: string;
  /** The body parsed, when it is JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: responses of every shape are read by the checks.
  readonly body: any;
}

export interface RequestOptions {
  readonly token?: string | undefined;
  readonly body?: unknown;
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
}

/**
 * A real HTTP client over loopback sockets (undici, keep-alive). Every
 * response is read whole, so the checks see exactly what a client would.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly #dispatcher: Dispatcher;
  /** Requests sent through this client. */
  sent = 0;

  constructor(baseUrl: string, options: { connections?: number } = {}) {
    this.baseUrl = baseUrl;
    this.#dispatcher = new Agent({
      connections: options.connections ?? 16,
      keepAliveTimeout: 4_000,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    this.sent += 1;
    const response = await request(`${this.baseUrl}${path}`, {
      method: method.toUpperCase() as Dispatcher.HttpMethod,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      dispatcher: this.#dispatcher,
    });
    const text = await response.body.text();
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    let body: unknown;
    if (text && /json/.test(flat["content-type"] ?? "")) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: response.statusCode, headers: flat, text, body };
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }
}
