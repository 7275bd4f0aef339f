import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { NO_PASSWORD_YET } from "../auth/password-hasher.js";
import {
  AcceptInvitationBodySchema,
  type Invitation,
  InvitationTokenSchema,
  type User,
} from "../contracts/index.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import type { Database } from "../db/tables.js";
import {
  AcademySuspendedError,
  InvitationExpiredError,
  InvitationUsedError,
  NotFoundError,
} from "../errors.js";
import type { PlatformDb } from "../tenancy/context.js";
import { enterTenantScope } from "../tenancy/with-tenant.js";
import type { AuditLogService } from "./audit-log.js";
import { parseInput } from "./parse-input.js";
import { iso, type ServiceDeps } from "./service-deps.js";
import { toUser } from "./users.js";

/** How long an invitation stays good: seven days, in PostgreSQL interval syntax. */
export const INVITATION_TTL = "7 days";

/** SHA-256 of the token: the only form it is stored in (a random 256-bit token needs no slow hash). */
function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * One-time invitations of an academy's first admin (docs/tenancy.md,
 * "Onboarding by invitation"). Issued inside onboarding's transaction,
 * accepted once with the password the admin chooses.
 */
export class InvitationService {
  readonly #deps: ServiceDeps;
  readonly #audit: AuditLogService;

  constructor(deps: ServiceDeps, audit: AuditLogService) {
    this.#deps = deps;
    this.#audit = audit;
  }

  /**
   * Stores a new invitation for `userId` of `academyId` in the caller's
   * (platform) transaction and returns its token: the one time it exists
   * outside the caller's hands, since only its hash is kept.
   */
  async issue(trx: PlatformDb, academyId: string, userId: string): Promise<Invitation> {
    const token = randomBytes(32).toString("base64url");
    const row = await trx
      .insertInto("invitations")
      .values({
        academy_id: academyId,
        invitee_id: userId,
        token_hash: tokenHash(token),
        expires_at: sql<Date>`clock_timestamp() + ${INVITATION_TTL}::interval`,
      })
      .returning("expires_at")
      .executeTakeFirstOrThrow();
    return {
      token,
      expiresAt: iso(row.expires_at),
      acceptPath: `/auth/invitations/${token}`,
    };
  }

  /**
   * Accepts an invitation: sets the invited user's password and consumes the
   * token, in one transaction. An unknown (or malformed) token is a 404, an
   * expired one or one already used a 410, a suspended academy a 403 (the
   * invitation stays good). The password is hashed only once the token is
   * known to be good, so guesses cost the server no hashing; two accepts of
   * one token race on a conditional update, and one of them gets the 410.
   *
   * @example
   * const { user } = await services.invitations.accept(db, token, { password: "a long passphrase" });
   */
  async accept(
    db: SkillBridgeDatabase,
    token: string,
    input: unknown,
  ): Promise<{ readonly user: User; readonly credentials: { user: number; academy: number } }> {
    const { password } = parseInput(AcceptInvitationBodySchema, input);
    if (!InvitationTokenSchema.safeParse(token).success) throw new NotFoundError("Invitation");
    const hash = tokenHash(token);
    const found = await db.kysely
      .selectFrom("invitations as i")
      .innerJoin("academies as a", "a.id", "i.academy_id")
      .select([
        "i.id",
        "i.token_hash",
        "i.invitee_id",
        "i.academy_id",
        "i.used_at",
        "a.status",
        "a.deleted_at",
        "a.credentials_version as academy_version",
        sql<boolean>`i.expires_at <= clock_timestamp()`.as("expired"),
      ])
      .where("i.token_hash", "=", hash)
      .executeTakeFirst();
    // The lookup is by the hash itself; the comparison says so again in constant time.
    if (!found || !timingSafeEqual(Buffer.from(found.token_hash), hash) || found.deleted_at) {
      throw new NotFoundError("Invitation");
    }
    if (found.used_at !== null) throw new InvitationUsedError();
    if (found.expired) throw new InvitationExpiredError();
    if (found.status !== "active") throw new AcademySuspendedError();
    const passwordHash = await this.#deps.passwords.hash(password);
    return db.kysely.transaction().execute(async (trx) => {
      const consumed = await trx
        .updateTable("invitations")
        .set({ used_at: sql<Date>`clock_timestamp()` })
        .where("id", "=", found.id)
        .where("used_at", "is", null)
        .where(sql<boolean>`expires_at > clock_timestamp()`)
        .returning("id")
        .executeTakeFirst();
      if (!consumed) throw new InvitationUsedError();
      await this.#audit.record(trx as unknown as PlatformDb, {
        actorId: found.invitee_id,
        actorKind: "academy_user",
        action: "invitation.accept",
        academyId: found.academy_id,
        targetType: "user",
        targetId: found.invitee_id,
      });
      const tenant = await enterTenantScope(trx as Transaction<Database>, {
        tenantId: found.academy_id,
        userId: null,
        role: "system",
      });
      // Only a password nobody has set yet: an admin who got one some other way
      // (an update by another admin) keeps it, and the invitation is spent.
      const user = await tenant
        .updateTable("users")
        .set({ password_hash: passwordHash })
        .where("id", "=", found.invitee_id)
        .where("deleted_at", "is", null)
        .where("password_hash", "=", NO_PASSWORD_YET)
        // The new hash raises credentials_version (trigger): the token is signed under the new one.
        .returning(["id", "email", "name", "role", "tenant_id", "credentials_version"])
        .executeTakeFirst();
      if (!user) throw new InvitationUsedError();
      return {
        user: toUser(user),
        credentials: { user: user.credentials_version, academy: found.academy_version },
      };
    });
  }
}
