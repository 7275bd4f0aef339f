import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server that speaks Groq's chat-completions API
 * (`POST /openai/v1/chat/completions`, JSON or server-sent events), so tests
 * drive groq-sdk itself over a socket: `new GroqProvider({ apiKey, baseURL: fake.url })`.
 * What it answers is a script: a function of the request.
 */

export interface GroqMessage {
  readonly role: string;
  readonly content: string;
}

/** One request as the server received it. */
export interface GroqCall {
  readonly index: number;
  readonly authorization: string | undefined;
  readonly body: {
    readonly model: string;
    readonly messages: readonly GroqMessage[];
    readonly stream?: boolean;
    readonly response_format?: { readonly type: string };
    readonly temperature?: number;
    readonly max_completion_tokens?: number;
    readonly [key: string]: unknown;
  };
}

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
}

export type GroqReply =
  | { readonly kind: "completion"; readonly content: string; readonly usage?: Usage }
  | { readonly kind: "stream"; readonly deltas: readonly string[]; readonly usage?: Usage }
  | {
      readonly kind: "error";
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    };

export type GroqScript = (call: GroqCall) => GroqReply | Promise<GroqReply>;

export const completion = (content: string, usage?: Usage): GroqReply => ({
  kind: "completion",
  content,
  ...(usage ? { usage } : {}),
});

export const streamed = (deltas: readonly string[], usage?: Usage): GroqReply => ({
  kind: "stream",
  deltas,
  ...(usage ? { usage } : {}),
});

/** An error in Groq's shape: `{ error: { message, type, code } }`. */
export function groqError(
  status: number,
  code: string,
  headers: Readonly<Record<string, string>> = {},
  extra: Readonly<Record<string, unknown>> = {},
): GroqReply {
  return {
    kind: "error",
    status,
    headers,
    body: {
      error: { message: `fake groq: ${code}`, type: "invalid_request_error", code, ...extra },
    },
  };
}

/** What Groq answers when its json_object mode could not produce JSON. */
export const jsonValidateFailed = (): GroqReply =>
  groqError(
    400,
    "json_validate_failed",
    {},
    {
      failed_generation: "{not json",
    },
  );

/** Roughly what a tokenizer would count: enough for accounting tests to see real numbers. */
function defaultUsage(call: GroqCall, content: string): Usage {
  const prompt = call.body.messages.reduce((n, m) => n + String(m.content).length, 0);
  return {
    prompt_tokens: Math.ceil(prompt / 4) + 5,
    completion_tokens: Math.ceil(content.length / 4) + 1,
  };
}

export interface FakeGroq {
  /** The base URL to give groq-sdk (it appends `/openai/v1/...`). */
  readonly url: string;
  readonly calls: GroqCall[];
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  script: GroqScript;
  /** Resolves once `n` requests in all have arrived. */
  waitForCalls(n: number): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export async function startGroqServer(
  script: GroqScript = () => completion("ok"),
): Promise<FakeGroq> {
  const calls: GroqCall[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/openai/v1/chat/completions") {
      send(res, 404, {
        error: { message: "unknown route", type: "not_found", code: "unknown_url" },
      });
      return;
    }
    const call: GroqCall = {
      index: calls.length,
      authorization: req.headers.authorization,
      body: JSON.parse(await readBody(req)),
    };
    if (!call.authorization?.startsWith("Bearer ")) {
      send(res, 401, {
        error: { message: "no key", type: "invalid_request_error", code: "invalid_api_key" },
      });
      return;
    }
    calls.push(call);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    for (const w of waiters.splice(0)) {
      if (calls.length >= w.n) w.resolve();
      else waiters.push(w);
    }
    try {
      const reply = await fake.script(call);
      answer(res, call, reply);
    } catch (error) {
      send(res, 500, {
        error: { message: String(error), type: "server_error", code: "script_failed" },
      });
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeGroq = {
    url: `http://127.0.0.1:${port}`,
    calls,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    script,
    waitForCalls(n) {
      if (calls.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function answer(res: ServerResponse, call: GroqCall, reply: GroqReply): void {
  const id = `chatcmpl-fake-${call.index}`;
  const created = Math.floor(Date.now() / 1000);
  if (reply.kind === "error") {
    send(res, reply.status, reply.body, reply.headers);
    return;
  }
  if (reply.kind === "completion") {
    const usage = reply.usage ?? defaultUsage(call, reply.content);
    send(res, 200, {
      id,
      object: "chat.completion",
      created,
      model: call.body.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.content },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      x_groq: { id: `req_${call.index}` },
    });
    return;
  }
  const usage = reply.usage ?? defaultUsage(call, reply.deltas.join(""));
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model: call.body.model,
      choices: [{ index: 0, delta, finish_reason: null, logprobs: null }],
      ...extra,
    })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }));
  for (const delta of reply.deltas) res.write(chunk({ content: delta }));
  // Groq reports a stream's usage in the last chunk, under x_groq.
  res.write(
    chunk(
      {},
      {
        x_groq: {
          id: `req_${call.index}`,
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        },
      },
    ),
  );
  res.end("data: [DONE]\n\n");
}
