import { sql } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { withTenant } from "../tenancy/with-tenant.js";
import type { ProviderName, TokenUsage } from "./llm-provider.js";

/** One upstream model call, charged to an academy. */
export interface UsageEntry {
  /** The user whose request caused the call; null for the academy's own jobs. */
  readonly userId: string | null;
  readonly task: string;
  readonly provider: ProviderName;
  readonly model: string;
  readonly usage: TokenUsage;
}

/** Where token use is kept and summed; the daily budget reads it before every call. */
export interface UsageLedger {
  /** Tokens the academy used since `since`. */
  usedSince(academyId: string, since: Date): Promise<number>;
  record(academyId: string, entries: readonly UsageEntry[]): Promise<void>;
}

/**
 * The ledger in the tenant table `ai_usage`: each read and write is its own
 * transaction inside the academy's scope (RLS, plugin, composite key to
 * `users`), never the caller's, so a model call never holds a transaction
 * open. Call it outside any transaction (PGlite has one connection).
 */
export class DatabaseUsageLedger implements UsageLedger {
  readonly #db: SkillBridgeDatabase;

  constructor(db: SkillBridgeDatabase) {
    this.#db = db;
  }

  async usedSince(academyId: string, since: Date): Promise<number> {
    const row = await withTenant(this.#db, system(academyId), (trx) =>
      trx
        .selectFrom("ai_usage")
        .select(sql<string>`coalesce(sum(total_tokens), 0)::text`.as("used"))
        .where("created_at", ">=", since)
        .executeTakeFirst(),
    );
    return Number(row?.used ?? 0);
  }

  async record(academyId: string, entries: readonly UsageEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await withTenant(this.#db, system(academyId), (trx) =>
      trx
        .insertInto("ai_usage")
        .values(
          entries.map((e) => ({
            user_id: e.userId,
            task: e.task.slice(0, 100),
            provider: e.provider,
            model: e.model.slice(0, 200),
            prompt_tokens: e.usage.promptTokens,
            completion_tokens: e.usage.completionTokens,
            total_tokens: e.usage.totalTokens,
          })),
        )
        .execute(),
    );
  }
}

function system(academyId: string) {
  return { tenantId: academyId, userId: null, role: "system" as const };
}
