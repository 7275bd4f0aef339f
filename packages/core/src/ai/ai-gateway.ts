import { AcademyLimiter } from "./academy-limiter.js";
import type { LlmProvider } from "./llm-provider.js";
import { type Meter, MeteredProvider, utcDayStart } from "./metered-provider.js";
import type { UsageLedger } from "./usage-ledger.js";

export interface AiLimits {
  /** Tokens one academy may spend per UTC day (prompt and completion, every call). */
  readonly dailyTokenBudget: number;
  /** Model calls one academy may have running at once, per server process. */
  readonly maxConcurrent: number;
  /** Further calls that wait for a slot; beyond this an academy gets `ai_busy` (429). */
  readonly maxQueued: number;
}

export const DEFAULT_AI_LIMITS: AiLimits = {
  dailyTokenBudget: 1_000_000,
  maxConcurrent: 4,
  maxQueued: 8,
};

export interface AiGatewayOptions {
  readonly provider: LlmProvider;
  readonly ledger: UsageLedger;
  readonly limits?: Partial<AiLimits> | undefined;
  /** The clock budgets are counted by (tests move it). */
  readonly now?: (() => Date) | undefined;
}

export interface AiUsageSummary {
  readonly usedTokens: number;
  readonly budgetTokens: number;
  readonly remainingTokens: number;
  /** When the budget renews (next midnight UTC), ISO 8601. */
  readonly resetsAt: string;
}

/**
 * The platform's one way to the model: hands each academy a provider that is
 * metered (daily token budget, concurrency cap, every call's tokens recorded
 * in `ai_usage`) so that no academy can spend another's share of the
 * platform's Groq quota. The offline provider spends nothing and is handed out
 * as is.
 *
 * @example
 * const ai = new AiGateway({ provider: providerFromEnv(), ledger: new DatabaseUsageLedger(db) });
 * const llm = ai.forAcademy(academyId, userId);
 * const { text } = await llm.chat({ task: "demo", messages: [{ role: "user", content: "Hi" }] });
 */
export class AiGateway {
  readonly provider: LlmProvider;
  readonly limits: AiLimits;
  readonly #meter: Meter;

  constructor(options: AiGatewayOptions) {
    const limits = { ...DEFAULT_AI_LIMITS, ...options.limits };
    if (!(Number.isFinite(limits.dailyTokenBudget) && limits.dailyTokenBudget > 0)) {
      throw new RangeError("dailyTokenBudget must be a positive number of tokens");
    }
    this.provider = options.provider;
    this.limits = limits;
    this.#meter = {
      provider: options.provider,
      ledger: options.ledger,
      limiter: new AcademyLimiter(limits.maxConcurrent, limits.maxQueued),
      dailyTokenBudget: limits.dailyTokenBudget,
      now: options.now ?? (() => new Date()),
      reserved: new Map(),
    };
  }

  /** The provider an academy's work uses; `userId` is recorded with the tokens. */
  forAcademy(academyId: string, userId: string | null = null): LlmProvider {
    if (this.provider.offline) return this.provider;
    return new MeteredProvider(this.#meter, academyId, userId);
  }

  /** Today's spend against the budget. Call outside any transaction. */
  async usage(academyId: string): Promise<AiUsageSummary> {
    const now = this.#meter.now();
    const since = utcDayStart(now);
    const used = await this.#meter.ledger.usedSince(academyId, since);
    return {
      usedTokens: used,
      budgetTokens: this.limits.dailyTokenBudget,
      remainingTokens: Math.max(0, this.limits.dailyTokenBudget - used),
      resetsAt: new Date(since.getTime() + 86_400_000).toISOString(),
    };
  }
}
