import type { z } from "zod";

/**
 * The one interface every AI feature talks to. Two implementations: Groq
 * through groq-sdk, and a deterministic offline provider. Features never
 * import either: they get an `LlmProvider` (metered per academy by
 * `AiGateway.forAcademy`) and stay the same with or without a network.
 */

/** Which configured model a call runs on: `main` for tutoring, grading and generation; `guard` for cheap checks. */
export type ModelTier = "main" | "guard";

export type ProviderName = "groq" | "offline";

export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

export interface ChatRequest {
  /**
   * What the call is for, e.g. `tutor.reply`, `tutor.judge`, `quiz.generate`:
   * recorded with the tokens, and the key the offline provider picks its
   * rule-based responder by.
   */
  readonly task: string;
  readonly messages: readonly ChatMessage[];
  /** Default `main`. */
  readonly tier?: ModelTier | undefined;
  readonly temperature?: number | undefined;
  /** Upper bound on the completion's tokens (also what the budget reserves). */
  readonly maxTokens?: number | undefined;
  /**
   * Structured inputs for rule-based providers (the offline provider's
   * responders read them instead of parsing prompts). Never sent to a model.
   */
  readonly facts?: unknown;
}

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** One upstream model call, as billed: a logical call may make several (retries, repairs). */
export interface CallRecord {
  readonly model: string;
  readonly usage: TokenUsage;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  /** Told about every upstream call as it completes, so failed attempts are counted too. */
  readonly onCall?: ((record: CallRecord) => void) | undefined;
}

export interface JsonOptions extends CallOptions {
  /**
   * Repair attempts after an answer that is not valid JSON or fails the schema
   * (default 1). A guard judge passes 0: an answer it cannot read counts as unsafe.
   */
  readonly repairs?: 0 | 1 | undefined;
}

interface ResultMeta {
  /** The model that produced the final answer (`offline/…` for the offline provider). */
  readonly model: string;
  readonly provider: ProviderName;
  /** True for the offline provider: features must label what they show as offline output. */
  readonly offline: boolean;
  /** Tokens of every upstream call this logical call made. */
  readonly usage: TokenUsage;
}

export interface ChatResult extends ResultMeta {
  readonly text: string;
}

export interface JsonResult<T> extends ResultMeta {
  readonly data: T;
  /** True when the first answer was invalid and the repair attempt produced this one. */
  readonly repaired: boolean;
}

/** Text deltas as they arrive; `result` settles with the whole text and usage once the stream ends. */
export interface ChatStream extends AsyncIterable<string> {
  readonly result: Promise<ChatResult>;
}

export interface LlmProvider {
  readonly name: ProviderName;
  readonly offline: boolean;
  /** The model name a tier resolves to. */
  modelFor(tier: ModelTier): string;
  /**
   * Plain chat completion.
   *
   * @example
   * const { text } = await llm.chat({ task: "tutor.reply", messages: [{ role: "user", content: "Hi" }] });
   */
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  /**
   * A JSON object validated by `schema` (Groq's `json_object` mode), with one
   * repair attempt by default. Throws `AiOutputInvalidError` when it cannot get one.
   *
   * @example
   * const { data } = await llm.json(z.object({ verdict: z.enum(["safe", "unsafe"]) }), { task: "tutor.judge", messages });
   */
  json<T>(
    schema: z.ZodType<T>,
    request: ChatRequest,
    options?: JsonOptions,
  ): Promise<JsonResult<T>>;
  /**
   * Streams the completion's text.
   *
   * @example
   * const stream = llm.stream({ task: "chat", messages });
   * for await (const delta of stream) process.stdout.write(delta);
   * const { usage } = await stream.result;
   */
  stream(request: ChatRequest, options?: CallOptions): ChatStream;
}

export const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}
