import type { AuditEvent } from "../contracts/index.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { PlatformDb } from "../tenancy/context.js";
import { iso, type ServiceDeps } from "./service-deps.js";

export interface AuditEntry {
  readonly actorId: string | null;
  readonly actorKind: "platform_user" | "academy_user" | "system";
  readonly action: string;
  readonly academyId?: string | null;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  readonly reason?: string | null;
  readonly details?: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  academy_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

const toAuditEvent = (row: AuditRow): AuditEvent => ({
  id: row.id,
  occurredAt: iso(row.occurred_at),
  actorId: row.actor_id,
  academyId: row.academy_id,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  reason: row.reason,
  details: row.details,
});

/** The platform's audit trail: who did what to which academy, and why. Append-only. */
export class AuditLogService {
  readonly #deps: ServiceDeps;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  /** Appends one event; its id (an impersonation token names its `impersonation.create`). */
  async record(trx: PlatformDb, entry: AuditEntry): Promise<string> {
    const row = await trx
      .insertInto("audit_log")
      .values({
        actor_id: entry.actorId,
        actor_kind: entry.actorKind,
        action: entry.action,
        academy_id: entry.academyId ?? null,
        target_type: entry.targetType ?? null,
        target_id: entry.targetId ?? null,
        reason: entry.reason ?? null,
        details: JSON.stringify(entry.details ?? {}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Records a write made through impersonation (#18 finding 3), before it
   * runs: the platform admin as actor, the impersonated user as target, and
   * the reason given when the impersonation began (read from its
   * `impersonation.create` event, `impersonationEventId`).
   */
  async recordImpersonatedWrite(
    trx: PlatformDb,
    write: {
      readonly impersonatorId: string;
      readonly academyId: string;
      readonly userId: string;
      readonly impersonationEventId: string | null;
      readonly details: Record<string, unknown>;
    },
  ): Promise<void> {
    const started =
      write.impersonationEventId === null
        ? undefined
        : await trx
            .selectFrom("audit_log")
            .select("reason")
            .where("id", "=", write.impersonationEventId)
            .where("action", "=", "impersonation.create")
            .executeTakeFirst();
    await this.record(trx, {
      actorId: write.impersonatorId,
      actorKind: "platform_user",
      action: "impersonation.write",
      academyId: write.academyId,
      targetType: "user",
      targetId: write.userId,
      reason: started?.reason ?? null,
      details: { ...write.details, impersonation: write.impersonationEventId },
    });
  }

  async list(trx: PlatformDb, page: PageRequest): Promise<Page<AuditEvent>> {
    const query = trx
      .selectFrom("audit_log as l")
      .select([
        "l.id",
        "l.occurred_at",
        "l.actor_id",
        "l.academy_id",
        "l.action",
        "l.target_type",
        "l.target_id",
        "l.reason",
        "l.details",
      ]);
    return paginate(query, {
      alias: "l",
      list: "audit-log",
      page,
      cursors: this.#deps.cursors,
      map: toAuditEvent,
      orderColumn: "occurred_at",
    });
  }
}
