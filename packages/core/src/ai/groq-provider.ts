import Groq from "groq-sdk";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
} from "groq-sdk/resources/chat/completions";
import type { z } from "zod";
import { AiOutputInvalidError } from "../errors.js";
import { classifyGroqError } from "./groq-errors.js";
import { parseJsonOutput, repairMessages, withJsonInstruction } from "./json-output.js";
import {
  addUsage,
  type CallOptions,
  type CallRecord,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ChatStream,
  type JsonOptions,
  type JsonResult,
  type LlmProvider,
  type ModelTier,
  type TokenUsage,
  ZERO_USAGE,
} from "./llm-provider.js";
import { deferred, sleep as realSleep } from "./timing.js";

export const DEFAULT_MODELS = {
  main: "llama-3.3-70b-versatile",
  guard: "llama-3.1-8b-instant",
} as const satisfies Record<ModelTier, string>;

export interface GroqProviderOptions {
  readonly apiKey: string;
  /** Default: `GROQ_BASE_URL`, else Groq's own. groq-sdk adds `/openai/v1/…`. */
  readonly baseURL?: string | undefined;
  readonly models?: Partial<Record<ModelTier, string>> | undefined;
  /** Per attempt (default 60 s). */
  readonly timeoutMs?: number | undefined;
  /** Retries after a 429, 5xx, timeout or connection error (default 2). */
  readonly maxRetries?: number | undefined;
  /**
   * The longest `Retry-After` waited out inside a call (default 20 s); a
   * longer one fails at once with `AiRateLimitedError` carrying the wait.
   */
  readonly maxRetryWaitMs?: number | undefined;
  /** How waits happen; tests pass one that records them. */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

const BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

function usageOf(usage: { prompt_tokens?: number; completion_tokens?: number } | null | undefined) {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/**
 * Groq through groq-sdk. groq-sdk's own retries are off: this class retries
 * 429s (honouring `retry-after-ms` / `Retry-After`), 5xx, timeouts and
 * connection errors itself so every attempt's tokens are reported and long
 * waits fail fast; JSON calls use `response_format: json_object`, retry a
 * `json_validate_failed` once and repair an invalid answer once.
 *
 * @example
 * const groq = new GroqProvider({ apiKey: process.env.GROQ_API_KEY! });
 * const { text } = await groq.chat({ task: "demo", messages: [{ role: "user", content: "Hello" }] });
 */
export class GroqProvider implements LlmProvider {
  readonly name = "groq" as const;
  readonly offline = false;
  readonly #client: Groq;
  readonly #models: Record<ModelTier, string>;
  readonly #maxRetries: number;
  readonly #maxRetryWaitMs: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: GroqProviderOptions) {
    this.#client = new Groq({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs ?? 60_000,
      maxRetries: 0,
    });
    this.#models = { ...DEFAULT_MODELS, ...options.models };
    this.#maxRetries = options.maxRetries ?? 2;
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? 20_000;
    this.#sleep = options.sleep ?? realSleep;
  }

  modelFor(tier: ModelTier): string {
    return this.#models[tier];
  }

  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const model = this.modelFor(request.tier ?? "main");
    const completion = await this.#complete(
      this.#params(request, model, request.messages),
      options,
    );
    return this.#result(completion.text, model, completion.usage);
  }

  async json<T>(
    schema: z.ZodType<T>,
    request: ChatRequest,
    options: JsonOptions = {},
  ): Promise<JsonResult<T>> {
    const model = this.modelFor(request.tier ?? "main");
    let messages = withJsonInstruction(request.messages, schema);
    let usage = ZERO_USAGE;
    let validateRetries = 1;
    let repairs = options.repairs ?? 1;
    let repaired = false;
    for (;;) {
      const params = {
        ...this.#params(request, model, messages),
        response_format: { type: "json_object" as const },
      };
      const outcome = await this.#complete(params, options, true);
      usage = addUsage(usage, outcome.usage);
      if (outcome.kind === "json_validate_failed") {
        // Groq's own JSON check failed on its side: the same request usually succeeds.
        if (validateRetries-- > 0) continue;
        throw new AiOutputInvalidError("The model did not produce valid JSON.");
      }
      const parsed = parseJsonOutput(schema, outcome.text);
      if (parsed.ok) return { ...this.#result("", model, usage), data: parsed.data, repaired };
      if (repairs-- <= 0) throw new AiOutputInvalidError(parsed.problem);
      messages = repairMessages(messages, outcome.text, parsed.problem);
      repaired = true;
    }
  }

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    const model = this.modelFor(request.tier ?? "main");
    const params = { ...this.#params(request, model, request.messages), stream: true as const };
    const result = deferred<ChatResult>();
    // Nobody may be awaiting `result` when iteration fails; the iterator rethrows.
    result.promise.catch(() => undefined);
    const self = this;
    async function* deltas(): AsyncGenerator<string> {
      try {
        const stream = await self.#withRetries(
          () => self.#client.chat.completions.create(params, { signal: options.signal }),
          options.signal,
        );
        let text = "";
        let usage: TokenUsage = ZERO_USAGE;
        for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
          const delta = chunk.choices[0]?.delta?.content ?? "";
          if (delta) {
            text += delta;
            yield delta;
          }
          const reported =
            chunk.x_groq?.usage ?? (chunk as { usage?: ChatCompletion["usage"] }).usage;
          if (reported) usage = usageOf(reported);
        }
        options.onCall?.({ model, usage });
        result.resolve(self.#result(text, model, usage));
      } catch (error) {
        result.reject(error);
        throw error;
      }
    }
    const iterable = deltas();
    return { [Symbol.asyncIterator]: () => iterable, result: result.promise };
  }

  // ─── internals ─────────────────────────────────────────────────────────────

  #params(
    request: ChatRequest,
    model: string,
    messages: readonly ChatMessage[],
  ): ChatCompletionCreateParamsNonStreaming {
    return {
      model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxTokens === undefined ? {} : { max_completion_tokens: request.maxTokens }),
    };
  }

  #result(text: string, model: string, usage: TokenUsage): ChatResult {
    return { text, model, provider: "groq", offline: false, usage };
  }

  /** One completion with transport retries; reports its usage through `onCall`. */
  async #complete(
    params: ChatCompletionCreateParamsNonStreaming,
    options: CallOptions,
  ): Promise<{ kind: "text"; text: string; usage: TokenUsage }>;
  async #complete(
    params: ChatCompletionCreateParamsNonStreaming,
    options: CallOptions,
    json: true,
  ): Promise<
    | { kind: "text"; text: string; usage: TokenUsage }
    | { kind: "json_validate_failed"; usage: TokenUsage }
  >;
  async #complete(
    params: ChatCompletionCreateParamsNonStreaming,
    options: CallOptions,
    json = false,
  ) {
    let completion: ChatCompletion;
    try {
      completion = await this.#withRetries(
        () => this.#client.chat.completions.create(params, { signal: options.signal }),
        options.signal,
      );
    } catch (error) {
      if (classifyGroqError(error).kind !== "json_validate_failed") throw error;
      if (json) return { kind: "json_validate_failed" as const, usage: ZERO_USAGE };
      throw new AiOutputInvalidError("The model did not produce valid output.", { cause: error });
    }
    const usage = usageOf(completion.usage);
    const record: CallRecord = { model: completion.model || params.model, usage };
    options.onCall?.(record);
    return { kind: "text" as const, text: completion.choices[0]?.message?.content ?? "", usage };
  }

  /** Runs `attempt`, retrying what `classifyGroqError` says is retryable; throws typed core errors. */
  async #withRetries<T>(attempt: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (error) {
        const failure = classifyGroqError(error);
        if (failure.kind === "json_validate_failed") throw error;
        if (failure.kind === "fatal") throw failure.error;
        const wait = failure.waitMs ?? Math.min(BACKOFF_MS * 2 ** retry, MAX_BACKOFF_MS);
        if (retry >= this.#maxRetries || wait > this.#maxRetryWaitMs) throw failure.error;
        await this.#sleep(wait, signal);
      }
    }
  }
}
