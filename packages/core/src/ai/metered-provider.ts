import type { z } from "zod";
import { AiBudgetExhaustedError } from "../errors.js";
import type { AcademyLimiter } from "./academy-limiter.js";
import type {
  CallOptions,
  CallRecord,
  ChatRequest,
  ChatResult,
  ChatStream,
  JsonOptions,
  JsonResult,
  LlmProvider,
  ModelTier,
} from "./llm-provider.js";
import { deferred } from "./timing.js";
import type { UsageLedger } from "./usage-ledger.js";

/** What the metered provider shares with its gateway: limits, the ledger, in-flight reservations. */
export interface Meter {
  readonly provider: LlmProvider;
  readonly ledger: UsageLedger;
  readonly limiter: AcademyLimiter;
  readonly dailyTokenBudget: number;
  readonly now: () => Date;
  /** Tokens reserved by calls in flight, per academy (this process). */
  readonly reserved: Map<string, number>;
}

/** The start of the current UTC day, when budgets renew. */
export function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const DEFAULT_COMPLETION_RESERVE = 1024;

interface MeteredCall {
  readonly options: CallOptions;
  end(): Promise<void>;
}

/** A pessimistic guess at a call's size: ~4 characters a token, plus the completion it may produce. */
export function estimateTokens(request: ChatRequest): number {
  const chars = request.messages.reduce((n, m) => n + m.content.length, 0);
  return Math.ceil(chars / 4) + (request.maxTokens ?? DEFAULT_COMPLETION_RESERVE);
}

/**
 * An `LlmProvider` bound to one academy (and the user acting): every call
 * takes a concurrency slot, checks the daily budget (tokens recorded today
 * plus what calls in flight have reserved), and records each upstream call's
 * tokens in the ledger when it ends, failed or not.
 */
export class MeteredProvider implements LlmProvider {
  readonly name: LlmProvider["name"];
  readonly offline: boolean;
  readonly #meter: Meter;
  readonly #academyId: string;
  readonly #userId: string | null;

  constructor(meter: Meter, academyId: string, userId: string | null) {
    this.#meter = meter;
    this.#academyId = academyId;
    this.#userId = userId;
    this.name = meter.provider.name;
    this.offline = meter.provider.offline;
  }

  modelFor(tier: ModelTier): string {
    return this.#meter.provider.modelFor(tier);
  }

  chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    return this.#metered(request, options, (opts) => this.#meter.provider.chat(request, opts));
  }

  json<T>(
    schema: z.ZodType<T>,
    request: ChatRequest,
    options: JsonOptions = {},
  ): Promise<JsonResult<T>> {
    return this.#metered(request, options, (opts) =>
      this.#meter.provider.json(schema, request, { ...options, ...opts }),
    );
  }

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    const result = deferred<ChatResult>();
    result.promise.catch(() => undefined);
    const self = this;
    async function* deltas(): AsyncGenerator<string> {
      let call: MeteredCall | undefined;
      try {
        call = await self.#begin(request, options);
        // The slot is held until the stream ends or the consumer stops early.
        const inner = self.#meter.provider.stream(request, call.options);
        for await (const delta of inner) yield delta;
        result.resolve(await inner.result);
      } catch (error) {
        result.reject(error);
        throw error;
      } finally {
        await call?.end();
      }
    }
    const iterable = deltas();
    return { [Symbol.asyncIterator]: () => iterable, result: result.promise };
  }

  async #metered<R>(
    request: ChatRequest,
    options: CallOptions,
    run: (options: CallOptions) => Promise<R>,
  ): Promise<R> {
    const call = await this.#begin(request, options);
    try {
      return await run(call.options);
    } finally {
      await call.end();
    }
  }

  /** Takes a slot and reserves the call's estimate; `end` returns both and records the tokens. */
  async #begin(request: ChatRequest, options: CallOptions): Promise<MeteredCall> {
    const { limiter, ledger, reserved, provider } = this.#meter;
    const academyId = this.#academyId;
    const release = await limiter.acquire(academyId, options.signal);
    const estimate = estimateTokens(request);
    try {
      await this.#reserve(estimate);
    } catch (error) {
      release();
      throw error;
    }
    const records: CallRecord[] = [];
    let ended = false;
    return {
      options: {
        signal: options.signal,
        onCall: (record) => {
          records.push(record);
          options.onCall?.(record);
        },
      },
      end: async () => {
        if (ended) return;
        ended = true;
        reserved.set(academyId, (reserved.get(academyId) ?? estimate) - estimate);
        try {
          await ledger.record(
            academyId,
            records.map((r) => ({
              userId: this.#userId,
              task: request.task,
              provider: provider.name,
              model: r.model,
              usage: r.usage,
            })),
          );
        } finally {
          release();
        }
      },
    };
  }

  async #reserve(estimate: number): Promise<void> {
    const { ledger, reserved, dailyTokenBudget, now } = this.#meter;
    const at = now();
    const used = await ledger.usedSince(this.#academyId, utcDayStart(at));
    // Synchronous from here to the reservation: no other call can slip in between.
    const inFlight = reserved.get(this.#academyId) ?? 0;
    if (used + inFlight + estimate > dailyTokenBudget) {
      const nextDay = utcDayStart(at).getTime() + 86_400_000;
      throw new AiBudgetExhaustedError((nextDay - at.getTime()) / 1000);
    }
    reserved.set(this.#academyId, inFlight + estimate);
  }
}
