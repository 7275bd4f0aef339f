import type { z } from "zod";
import { AiOutputInvalidError, AiUnavailableError } from "../errors.js";
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  ChatStream,
  JsonOptions,
  JsonResult,
  LlmProvider,
  ModelTier,
} from "./llm-provider.js";
import { ZERO_USAGE } from "./llm-provider.js";

/**
 * A rule-based answer for one task: text for `chat`/`stream`, a value for
 * `json` (validated by the caller's schema like a model's answer). It reads
 * the request's `facts`, never a network.
 */
export type OfflineResponder = (request: ChatRequest) => unknown;

/** Every offline text starts with this, so no one mistakes it for a model's answer. */
export const OFFLINE_LABEL = "[offline]";

export const OFFLINE_MODEL = "offline/rules";

/** Prefixes the offline label once. */
export function labelOffline(text: string): string {
  return text.startsWith(OFFLINE_LABEL) ? text : `${OFFLINE_LABEL} ${text}`;
}

/**
 * The provider used when no `GROQ_API_KEY` is set: deterministic and
 * rule-based, one responder per task (features register theirs; see
 * `createOfflineProvider`). Every text it returns carries {@link OFFLINE_LABEL};
 * every result says `offline: true`, so features can label JSON-derived output
 * too. It spends no tokens and reports no calls.
 *
 * @example
 * const llm = new OfflineProvider({ responders: { greet: () => "Hello." } });
 * (await llm.chat({ task: "greet", messages: [] })).text; // "[offline] Hello."
 */
export class OfflineProvider implements LlmProvider {
  readonly name = "offline" as const;
  readonly offline = true;
  readonly #responders: ReadonlyMap<string, OfflineResponder>;

  constructor(options: { responders?: Readonly<Record<string, OfflineResponder>> } = {}) {
    this.#responders = new Map(Object.entries(options.responders ?? {}));
  }

  modelFor(_tier: ModelTier): string {
    return OFFLINE_MODEL;
  }

  async chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    options.signal?.throwIfAborted();
    const responder = this.#responders.get(request.task);
    const answer = responder
      ? responder(request)
      : "The AI assistant is offline (no GROQ_API_KEY is set), so there is no model answer here.";
    return this.#result(labelOffline(String(answer)));
  }

  async json<T>(
    schema: z.ZodType<T>,
    request: ChatRequest,
    options: JsonOptions = {},
  ): Promise<JsonResult<T>> {
    options.signal?.throwIfAborted();
    const responder = this.#responders.get(request.task);
    if (!responder) {
      throw new AiUnavailableError(
        `The offline AI provider has no rule for "${request.task}"; set GROQ_API_KEY to use a model.`,
      );
    }
    const parsed = schema.safeParse(responder(request));
    if (!parsed.success) {
      throw new AiOutputInvalidError(`The offline rule for "${request.task}" gave invalid output.`);
    }
    return { ...this.#result(""), data: parsed.data, repaired: false };
  }

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    const result = this.chat(request, options);
    result.catch(() => undefined);
    async function* deltas(): AsyncGenerator<string> {
      const { text } = await result;
      // Word by word, so consumers exercise the same incremental path as with a model.
      for (const piece of text.match(/\S+\s*/g) ?? []) yield piece;
    }
    const iterable = deltas();
    return { [Symbol.asyncIterator]: () => iterable, result };
  }

  #result(text: string): ChatResult {
    return { text, model: OFFLINE_MODEL, provider: "offline", offline: true, usage: ZERO_USAGE };
  }
}
