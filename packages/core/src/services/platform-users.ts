import { sql } from "kysely";
import type { z } from "zod";
import type { PlatformRole, User } from "../contracts/index.js";
import {
  type CreatePlatformUserBodyInput,
  CreatePlatformUserBodySchema,
} from "../contracts/index.js";
import { ConflictError } from "../errors.js";
import type { PlatformDb } from "../tenancy/context.js";
import type { PlatformActor } from "./academies.js";
import type { AuditLogService } from "./audit-log.js";
import type { Authenticated } from "./authenticated.js";
import { isUniqueViolation } from "./db-errors.js";
import { parseInput } from "./parse-input.js";
import type { ServiceDeps } from "./service-deps.js";

/** A `jti` no token has: what the revocation lookup compares when a principal carries none. */
const NO_TOKEN = "00000000-0000-0000-0000-000000000000";

/** A platform user as the per-request re-check sees them. */
export interface PlatformSession {
  readonly user: User;
  readonly credentialsVersion: number;
  /** The token was signed out (`POST /auth/logout`). */
  readonly revoked: boolean;
}

export type { Authenticated } from "./authenticated.js";

interface PlatformUserRow {
  id: string;
  email: string;
  name: string;
  role: string;
}

export const toPlatformUser = (row: PlatformUserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role as PlatformRole,
  academyId: null,
});

const NewPlatformUserSchema = CreatePlatformUserBodySchema;

/**
 * The platform admin that stands for whoever holds the database (the CLI's embedded
 * mode). It has no password: nobody can sign in as it; the embedded CLI signs its
 * tokens with the local secret instead, and the audit log names this account as the
 * actor.
 */
export const OPERATOR_EMAIL = "operator@skillbridge.invalid";

/**
 * The operator's `password_hash`: not a hash, so no password verifies against it
 * (`PasswordHasher.verify` spends a dummy verification and says no, as for an
 * unknown email), and not `NO_PASSWORD_YET`, so no invitation can set one. Data
 * dirs made before it keep a hash of a random password nobody was shown; hashing
 * that at the OWASP cost took about 300 ms and 128 MiB on every new data dir's
 * first command.
 */
const OPERATOR_HAS_NO_PASSWORD = "!operator";

/** Platform admins and content managers: they belong to no academy. */
export class PlatformUserService {
  readonly #deps: ServiceDeps;
  readonly #audit: AuditLogService | undefined;

  constructor(deps: ServiceDeps, audit?: AuditLogService) {
    this.#deps = deps;
    this.#audit = audit;
  }

  /**
   * `POST /admin/users`: a platform admin creates a platform user (say a
   * `content_manager` for a content team's imports), written to the audit log.
   */
  async createFor(
    trx: PlatformDb,
    actor: PlatformActor,
    input: CreatePlatformUserBodyInput,
  ): Promise<User> {
    const user = await this.create(trx, input);
    await this.#audit?.record(trx, {
      actorId: actor.platformUserId,
      actorKind: actor.platformUserId ? "platform_user" : "system",
      action: "platform_users.create",
      targetType: "platform_user",
      targetId: user.id,
      details: { email: user.email, role: user.role },
    });
    return user;
  }

  async create(trx: PlatformDb, input: z.input<typeof NewPlatformUserSchema>): Promise<User> {
    const body = parseInput(NewPlatformUserSchema, input);
    const passwordHash = await this.#deps.passwords.hash(body.password);
    try {
      const row = await trx
        .insertInto("platform_users")
        .values({
          email: body.email,
          name: body.name,
          role: body.role,
          password_hash: passwordHash,
        })
        .returning(["id", "email", "name", "role"])
        .executeTakeFirstOrThrow();
      return toPlatformUser(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("A platform user with this email already exists.");
      throw error;
    }
  }

  /** A live platform user by email, or undefined. */
  async findByEmail(trx: PlatformDb, email: string): Promise<User | undefined> {
    const row = await trx
      .selectFrom("platform_users")
      .select(["id", "email", "name", "role"])
      .where("email", "=", email.trim().toLowerCase())
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row ? toPlatformUser(row) : undefined;
  }

  /** The local operator account (see `OPERATOR_EMAIL`), created on first use. */
  async ensureOperator(trx: PlatformDb): Promise<User> {
    const existing = await this.findByEmail(trx, OPERATOR_EMAIL);
    if (existing) return existing;
    const row = await trx
      .insertInto("platform_users")
      .values({
        email: OPERATOR_EMAIL,
        name: "Local operator",
        role: "platform_admin",
        password_hash: OPERATOR_HAS_NO_PASSWORD,
      })
      .returning(["id", "email", "name", "role"])
      .executeTakeFirstOrThrow();
    return toPlatformUser(row);
  }

  /**
   * How many live platform admins people can sign in as (the local operator does not
   * count), so a first admin is created only when there is none.
   */
  async countAdmins(trx: PlatformDb): Promise<number> {
    const row = await trx
      .selectFrom("platform_users")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("role", "=", "platform_admin")
      .where("email", "!=", OPERATOR_EMAIL)
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async findActive(trx: PlatformDb, id: string, role: PlatformRole): Promise<User | undefined> {
    const row = await trx
      .selectFrom("platform_users")
      .select(["id", "email", "name", "role"])
      .where("id", "=", id)
      .where("role", "=", role)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row ? toPlatformUser(row) : undefined;
  }

  /**
   * The live platform user behind a token, with what the per-request re-check
   * compares, in one statement: their credentials version and whether the
   * token (`tokenId`, its `jti`) was signed out. Undefined when the user is
   * gone or no longer has `role`.
   */
  async findSession(
    trx: PlatformDb,
    id: string,
    role: PlatformRole,
    tokenId: string | undefined,
  ): Promise<PlatformSession | undefined> {
    const row = await trx
      .selectFrom("platform_users as p")
      .select(["p.id", "p.email", "p.name", "p.role", "p.credentials_version"])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom("revoked_tokens as r")
              .select("r.jti")
              .where("r.jti", "=", tokenId ?? NO_TOKEN),
          )
          .as("revoked"),
      )
      .where("p.id", "=", id)
      .where("p.role", "=", role)
      .where("p.deleted_at", "is", null)
      .executeTakeFirst();
    return row
      ? {
          user: toPlatformUser(row),
          credentialsVersion: row.credentials_version,
          revoked: Boolean(row.revoked),
        }
      : undefined;
  }

  /**
   * Checks a platform user's password. Unknown email and wrong password cost
   * the same and return the same `undefined`; a match comes with the
   * credentials version read with the hash, for the token.
   */
  async authenticate(
    trx: PlatformDb,
    email: string,
    password: string,
  ): Promise<Authenticated | undefined> {
    const row = await trx
      .selectFrom("platform_users")
      .select(["id", "email", "name", "role", "password_hash", "credentials_version"])
      .where("email", "=", email.trim().toLowerCase())
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!row) return this.#deps.passwords.verifyNothing(password).then(() => undefined);
    return (await this.#deps.passwords.verify(password, row.password_hash))
      ? { user: toPlatformUser(row), credentials: { user: row.credentials_version } }
      : undefined;
  }
}
