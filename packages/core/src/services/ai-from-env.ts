import { AiGateway, type AiLimits } from "../ai/ai-gateway.js";
import { GroqProvider } from "../ai/groq-provider.js";
import type { LlmProvider } from "../ai/llm-provider.js";
import { DatabaseUsageLedger } from "../ai/usage-ledger.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { createOfflineProvider } from "./offline-responders.js";

type Env = Readonly<Record<string, string | undefined>>;

function positiveInteger(env: Env, name: string, min: number): number | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be an integer of at least ${min}; got "${value}".`);
  }
  return n;
}

/**
 * The provider the environment asks for, in one place: Groq when
 * `GROQ_API_KEY` is set (`GROQ_BASE_URL`, `SKILLBRIDGE_AI_MODEL`,
 * `SKILLBRIDGE_AI_GUARD_MODEL` optional), else the offline provider.
 *
 * @example
 * const provider = providerFromEnv(process.env);
 * console.log(provider.name); // "groq" or "offline"
 */
export function providerFromEnv(env: Env = process.env): LlmProvider {
  const apiKey = env.GROQ_API_KEY?.trim();
  if (!apiKey) return createOfflineProvider();
  return new GroqProvider({
    apiKey,
    baseURL: env.GROQ_BASE_URL?.trim() || undefined,
    models: {
      ...(env.SKILLBRIDGE_AI_MODEL?.trim() ? { main: env.SKILLBRIDGE_AI_MODEL.trim() } : {}),
      ...(env.SKILLBRIDGE_AI_GUARD_MODEL?.trim()
        ? { guard: env.SKILLBRIDGE_AI_GUARD_MODEL.trim() }
        : {}),
    },
  });
}

/** `SKILLBRIDGE_AI_DAILY_TOKENS`, `SKILLBRIDGE_AI_MAX_CONCURRENT`, `SKILLBRIDGE_AI_MAX_QUEUED`. */
export function aiLimitsFromEnv(env: Env = process.env): Partial<AiLimits> {
  const dailyTokenBudget = positiveInteger(env, "SKILLBRIDGE_AI_DAILY_TOKENS", 1);
  const maxConcurrent = positiveInteger(env, "SKILLBRIDGE_AI_MAX_CONCURRENT", 1);
  const maxQueued = positiveInteger(env, "SKILLBRIDGE_AI_MAX_QUEUED", 0);
  return {
    ...(dailyTokenBudget === undefined ? {} : { dailyTokenBudget }),
    ...(maxConcurrent === undefined ? {} : { maxConcurrent }),
    ...(maxQueued === undefined ? {} : { maxQueued }),
  };
}

/**
 * The gateway over `db`'s `ai_usage` ledger, with the provider and limits
 * given, or those the environment names.
 *
 * @example
 * const ai = createAiGateway({ db });                       // from process.env
 * const ai = createAiGateway({ db, provider: new OfflineProvider() }); // tests
 */
export function createAiGateway(options: {
  readonly db: SkillBridgeDatabase;
  readonly provider?: LlmProvider | undefined;
  readonly limits?: Partial<AiLimits> | undefined;
  readonly env?: Env | undefined;
  readonly now?: (() => Date) | undefined;
}): AiGateway {
  const env = options.env ?? process.env;
  return new AiGateway({
    provider: options.provider ?? providerFromEnv(env),
    ledger: new DatabaseUsageLedger(options.db),
    limits: { ...aiLimitsFromEnv(env), ...options.limits },
    now: options.now,
  });
}
