import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import type { PlatformRole, User } from "../contracts/index.js";
import { EmailSchema, NameSchema, PasswordSchema, PlatformRoleSchema } from "../contracts/index.js";
import { ConflictError } from "../errors.js";
import type { PlatformDb } from "../tenancy/context.js";
import { isUniqueViolation } from "./db-errors.js";
import { parseInput } from "./parse-input.js";
import type { ServiceDeps } from "./service-deps.js";

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

const NewPlatformUserSchema = z.strictObject({
  email: EmailSchema,
  name: NameSchema,
  role: PlatformRoleSchema,
  password: PasswordSchema,
});

/**
 * The platform admin that stands for whoever holds the database (the CLI's embedded
 * mode). Its password is random and never shown, so nobody can sign in as it; the
 * embedded CLI signs its tokens with the local secret instead, and the audit log
 * names this account as the actor.
 */
export const OPERATOR_EMAIL = "operator@skillbridge.invalid";

/** Platform admins and content managers: they belong to no academy. */
export class PlatformUserService {
  readonly #deps: ServiceDeps;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
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
    return this.create(trx, {
      email: OPERATOR_EMAIL,
      name: "Local operator",
      role: "platform_admin",
      password: randomBytes(32).toString("base64url"),
    });
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

  /** Unknown email and wrong password cost the same and return the same `undefined`. */
  async authenticate(trx: PlatformDb, email: string, password: string): Promise<User | undefined> {
    const row = await trx
      .selectFrom("platform_users")
      .select(["id", "email", "name", "role", "password_hash"])
      .where("email", "=", email.trim().toLowerCase())
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!row) return this.#deps.passwords.verifyNothing(password).then(() => undefined);
    return (await this.#deps.passwords.verify(password, row.password_hash))
      ? toPlatformUser(row)
      : undefined;
  }
}
