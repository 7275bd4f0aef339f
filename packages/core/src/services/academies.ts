import { randomUUID } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import { NO_PASSWORD_YET } from "../auth/password-hasher.js";
import {
  type Academy,
  type CreateAcademyBody,
  CreateAcademyBodySchema,
  type CreateAcademyResponse,
  type MoveAcademyBody,
  MoveAcademyBodySchema,
  type MoveAcademyResponse,
  type UpdateAcademyBody,
  UpdateAcademyBodySchema,
} from "../contracts/index.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import type { Database } from "../db/tables.js";
import { ConflictError, NotFoundError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import { type MoveOptions, moveAcademyRows } from "../placement/move-academy.js";
import { dedicatedSchemaName } from "../placement/schema-name.js";
import { migrateTenantSchemaIn } from "../placement/tenant-schema-runner.js";
import type { PlatformDb } from "../tenancy/context.js";
import { enterTenantScope } from "../tenancy/with-tenant.js";
import type { AuditLogService } from "./audit-log.js";
import { isUniqueViolation } from "./db-errors.js";
import type { InvitationService } from "./invitations.js";
import { parseInput } from "./parse-input.js";
import { iso, type ServiceDeps } from "./service-deps.js";
import { toUser } from "./users.js";

const columns = [
  "a.id",
  "a.slug",
  "a.name",
  "a.status",
  "a.placement",
  "a.created_at",
  "a.deleted_at",
] as const;

export interface AcademyRow {
  id: string;
  slug: string;
  name: string;
  status: string;
  placement: string;
  created_at: Date;
  deleted_at: Date | null;
}

export const toAcademy = (row: AcademyRow): Academy => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  status: row.status as Academy["status"],
  placement: row.placement as Academy["placement"],
  createdAt: iso(row.created_at),
  deletedAt: row.deleted_at === null ? null : iso(row.deleted_at),
});

/** Who is acting on the platform (null: the operator holding the database, e.g. the CLI's `init`). */
export interface PlatformActor {
  readonly platformUserId: string | null;
}

/** Academies: onboarding, placement moves, listing, suspension, soft delete and restore. Platform-level. */
export class AcademyService {
  readonly #deps: ServiceDeps;
  readonly #audit: AuditLogService;
  readonly #invitations: InvitationService;

  constructor(deps: ServiceDeps, audit: AuditLogService, invitations: InvitationService) {
    this.#deps = deps;
    this.#audit = audit;
    this.#invitations = invitations;
  }

  /**
   * Creates an academy and its first admin in one transaction: a taken slug is
   * a 409 and leaves nothing behind. `placement: "schema"` also creates the
   * academy's dedicated schema and applies every tenant migration to it, in
   * the same transaction.
   *
   * Without `admin.password` the admin is invited instead: they get no
   * password (nothing verifies against their row) and the response carries
   * a one-time invitation, stored as a hash in the same transaction, with
   * which they choose one. No password hash is computed, which is almost
   * all of a password onboarding's time.
   */
  async onboard(
    db: SkillBridgeDatabase,
    actor: PlatformActor,
    input: CreateAcademyBody,
  ): Promise<CreateAcademyResponse> {
    const body = parseInput(CreateAcademyBodySchema, input);
    const placement = body.placement ?? "shared";
    const invited = body.admin.password === undefined;
    // Hash before the transaction opens: the slow part must not hold locks.
    const passwordHash =
      body.admin.password === undefined
        ? NO_PASSWORD_YET
        : await this.#deps.passwords.hash(body.admin.password);
    // Chosen here so the invitation (a platform row) can name the admin before
    // the transaction turns into the academy's tenant scope.
    const adminId = randomUUID();
    try {
      return await db.kysely.transaction().execute(async (trx) => {
        const academy = await trx
          .insertInto("academies")
          .values({ slug: body.slug, name: body.name, placement })
          .returning(["id", "slug", "name", "status", "placement", "created_at", "deleted_at"])
          .executeTakeFirstOrThrow();
        // A dedicated schema is created and migrated in this same transaction: a
        // failure leaves neither the academy nor its schema behind.
        if (placement === "schema") {
          await migrateTenantSchemaIn(
            trx as unknown as Kysely<unknown>,
            dedicatedSchemaName(academy.id),
          );
        }
        await this.#audit.record(trx as unknown as PlatformDb, {
          actorId: actor.platformUserId,
          actorKind: actor.platformUserId ? "platform_user" : "system",
          action: "academy.create",
          academyId: academy.id,
          targetType: "academy",
          targetId: academy.id,
          details: { slug: academy.slug, admin: body.admin.email, placement, invited },
        });
        const invitation = invited
          ? await this.#invitations.issue(trx as unknown as PlatformDb, academy.id, adminId)
          : undefined;
        const tenant = await enterTenantScope(trx as Transaction<Database>, {
          tenantId: academy.id,
          userId: null,
          role: "system",
        });
        const admin = await tenant
          .insertInto("users")
          .values({
            id: adminId,
            email: body.admin.email,
            name: body.admin.name,
            role: "admin",
            password_hash: passwordHash,
          })
          .returning(["id", "email", "name", "role", "tenant_id"])
          .executeTakeFirstOrThrow();
        return {
          academy: toAcademy(academy),
          admin: toUser(admin),
          ...(invitation ? { invitation } : {}),
        };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`The slug "${body.slug}" is taken.`);
      throw error;
    }
  }

  /**
   * Moves an academy between the shared schema and a dedicated one
   * (`placement/move-academy.ts`): one transaction that copies, verifies
   * counts and checksums per table, switches the placement, removes the old
   * rows and writes the audit entry. Interrupted, it leaves the academy whole
   * where it was.
   */
  async move(
    db: SkillBridgeDatabase,
    actor: PlatformActor,
    id: string,
    input: MoveAcademyBody,
    options: MoveOptions = {},
  ): Promise<MoveAcademyResponse> {
    const body = parseInput(MoveAcademyBodySchema, input);
    const started = performance.now();
    return db.kysely.transaction().execute(async (trx) => {
      const moved = await moveAcademyRows(trx as unknown as Kysely<unknown>, id, body.to, options);
      const rows = Object.fromEntries(moved.tables.map((t) => [t.table, t.rows]));
      const platform = trx as unknown as PlatformDb;
      await this.#audit.record(platform, {
        actorId: actor.platformUserId,
        actorKind: actor.platformUserId ? "platform_user" : "system",
        action: "academy.move",
        academyId: moved.academyId,
        targetType: "academy",
        targetId: moved.academyId,
        details: { from: moved.from, to: moved.to, rows },
      });
      return {
        academy: await this.get(platform, moved.academyId),
        from: moved.from,
        to: moved.to,
        tables: moved.tables.map((t) => ({ table: t.table, rows: t.rows })),
        durationMs: Math.round(performance.now() - started),
      };
    });
  }

  async list(
    trx: PlatformDb,
    page: PageRequest & {
      slug?: string | undefined;
      deleted?: "exclude" | "include" | "only" | undefined;
    },
  ): Promise<Page<Academy>> {
    let query = trx.selectFrom("academies as a").select(columns);
    const deleted = page.deleted ?? "exclude";
    if (deleted !== "include") {
      query = query.where("a.deleted_at", deleted === "only" ? "is not" : "is", null);
    }
    if (page.slug) query = query.where("a.slug", "=", page.slug);
    return paginate(query, {
      alias: "a",
      list: "academies",
      page,
      cursors: this.#deps.cursors,
      map: toAcademy,
    });
  }

  async getRow(
    trx: PlatformDb,
    id: string,
    options: { deleted?: boolean } = {},
  ): Promise<AcademyRow> {
    const row = await trx
      .selectFrom("academies as a")
      .select(columns)
      .where("a.id", "=", id)
      .where("a.deleted_at", options.deleted ? "is not" : "is", null)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("Academy");
    return row;
  }

  async get(trx: PlatformDb, id: string): Promise<Academy> {
    return toAcademy(await this.getRow(trx, id));
  }

  /** A live academy by slug (login), or undefined. */
  async findBySlug(trx: PlatformDb, slug: string): Promise<AcademyRow | undefined> {
    return trx
      .selectFrom("academies as a")
      .select(columns)
      .where("a.slug", "=", slug)
      .where("a.deleted_at", "is", null)
      .executeTakeFirst();
  }

  async update(
    trx: PlatformDb,
    actor: PlatformActor,
    id: string,
    input: UpdateAcademyBody,
  ): Promise<Academy> {
    const body = parseInput(UpdateAcademyBodySchema, input);
    await this.getRow(trx, id);
    const row = await trx
      .updateTable("academies as a")
      .set({
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.status === undefined ? {} : { status: body.status }),
      })
      .where("a.id", "=", id)
      .returning([
        "a.id",
        "a.slug",
        "a.name",
        "a.status",
        "a.placement",
        "a.created_at",
        "a.deleted_at",
      ])
      .executeTakeFirstOrThrow();
    await this.#audit.record(trx, {
      actorId: actor.platformUserId,
      actorKind: actor.platformUserId ? "platform_user" : "system",
      action: "academy.update",
      academyId: id,
      targetType: "academy",
      targetId: id,
      details: { ...body },
    });
    return toAcademy(row);
  }

  async delete(trx: PlatformDb, actor: PlatformActor, id: string): Promise<void> {
    await this.getRow(trx, id);
    await trx
      .updateTable("academies")
      .set({ deleted_at: sql<Date>`now()` })
      .where("id", "=", id)
      .execute();
    await this.#audit.record(trx, {
      actorId: actor.platformUserId,
      actorKind: actor.platformUserId ? "platform_user" : "system",
      action: "academy.delete",
      academyId: id,
      targetType: "academy",
      targetId: id,
    });
  }

  async restore(trx: PlatformDb, actor: PlatformActor, id: string): Promise<Academy> {
    await this.getRow(trx, id, { deleted: true });
    await trx.updateTable("academies").set({ deleted_at: null }).where("id", "=", id).execute();
    await this.#audit.record(trx, {
      actorId: actor.platformUserId,
      actorKind: actor.platformUserId ? "platform_user" : "system",
      action: "academy.restore",
      academyId: id,
      targetType: "academy",
      targetId: id,
    });
    return this.get(trx, id);
  }
}
