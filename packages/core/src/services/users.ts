import { sql } from "kysely";
import {
  type CreateUserBody,
  CreateUserBodySchema,
  type UpdateUserBody,
  UpdateUserBodySchema,
  type User,
} from "../contracts/index.js";
import {
  ConflictError,
  ForbiddenError,
  ImpersonationForbiddenError,
  NotFoundError,
} from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { userReadScope, userRules } from "../policies/users.js";
import type { AcademyRole, TenantDb } from "../tenancy/context.js";
import type { Authenticated } from "./authenticated.js";
import { isUniqueViolation } from "./db-errors.js";
import { parseInput } from "./parse-input.js";
import { userScopeFilter } from "./scopes.js";
import type { ServiceDeps } from "./service-deps.js";

const columns = ["u.id", "u.email", "u.name", "u.role", "u.tenant_id", "u.created_at"] as const;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  tenant_id: string;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as AcademyRole,
    academyId: row.tenant_id,
  };
}

/** Users of one academy. Every method takes the tenant-scoped handle of `withTenant`. */
export class UserService {
  readonly #deps: ServiceDeps;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  /** A user the actor may see, or 404 (also for other academies and soft-deleted users). */
  async get(trx: TenantDb, actor: Actor, id: string): Promise<User> {
    const row = await trx
      .selectFrom("users as u")
      .select(columns)
      .where("u.id", "=", id)
      .where("u.deleted_at", "is", null)
      .where((eb) => userScopeFilter(eb, userReadScope(actor)))
      .executeTakeFirst();
    if (!row) throw new NotFoundError("User");
    return toUser(row);
  }

  /**
   * The users the actor may see; `"system"` is the academy's whole directory (a
   * platform admin looking up whom to impersonate).
   */
  async list(
    trx: TenantDb,
    actor: Actor | "system",
    page: PageRequest & { role?: AcademyRole | undefined; email?: string | undefined },
  ): Promise<Page<User>> {
    let query = trx.selectFrom("users as u").select(columns).where("u.deleted_at", "is", null);
    if (actor !== "system") {
      query = query.where((eb) => userScopeFilter(eb, userReadScope(actor)));
    }
    if (page.role) query = query.where("u.role", "=", page.role);
    if (page.email) query = query.where("u.email", "=", page.email);
    return paginate(query, {
      alias: "u",
      list: "users",
      page,
      cursors: this.#deps.cursors,
      map: toUser,
    });
  }

  /** Creates a user; the academy comes from the transaction, never from input. */
  async create(trx: TenantDb, actor: Actor | "system", input: CreateUserBody): Promise<User> {
    const body = parseInput(CreateUserBodySchema, input);
    if (actor !== "system" && !userRules.create(actor)) throw new ForbiddenError();
    // Every new user comes with a password the creator knows: never through impersonation.
    if (actor !== "system" && actor.impersonatorId) {
      throw new ImpersonationForbiddenError(
        `An impersonation cannot create users${body.role === "admin" ? " (least of all admins)" : ""}: a new account's password would outlive the impersonation.`,
      );
    }
    const passwordHash = await this.#deps.passwords.hash(body.password);
    try {
      const row = await trx
        .insertInto("users")
        .values({
          email: body.email,
          name: body.name,
          role: body.role,
          password_hash: passwordHash,
        })
        .returning(["id", "email", "name", "role", "tenant_id"])
        .executeTakeFirstOrThrow();
      return toUser(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("A user with this email already exists in this academy.");
      throw error;
    }
  }

  async update(trx: TenantDb, actor: Actor, id: string, input: UpdateUserBody): Promise<User> {
    const body = parseInput(UpdateUserBodySchema, input);
    await this.get(trx, actor, id);
    if (!userRules.update(actor, id)) throw new ForbiddenError();
    if (actor.impersonatorId && (body.password !== undefined || body.email !== undefined)) {
      throw new ImpersonationForbiddenError(
        "An impersonation cannot change a password or an email: sign-in details outlive the impersonation.",
      );
    }
    // Only admins change emails: a self-service change would answer "taken" or
    // not, telling anyone which addresses the academy has (#18 finding 10).
    if (body.email !== undefined && !userRules.changeEmail(actor)) {
      throw new ForbiddenError(
        "Only an academy admin can change an email address; ask yours to change it.",
      );
    }
    const passwordHash =
      body.password === undefined ? undefined : await this.#deps.passwords.hash(body.password);
    try {
      const row = await trx
        .updateTable("users")
        .set({
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.email === undefined ? {} : { email: body.email }),
          ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
          updated_at: sql<Date>`now()`,
        })
        .where("id", "=", id)
        .where("deleted_at", "is", null)
        .returning(["id", "email", "name", "role", "tenant_id"])
        .executeTakeFirst();
      if (!row) throw new NotFoundError("User");
      return toUser(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("A user with this email already exists in this academy.");
      throw error;
    }
  }

  /** Soft delete: the row stays (submissions keep their author), reads skip it, tokens stop working. */
  async delete(trx: TenantDb, actor: Actor, id: string): Promise<void> {
    await this.get(trx, actor, id);
    if (!userRules.delete(actor, id)) {
      throw actor.role === "admin"
        ? new ConflictError("You cannot delete your own account.")
        : new ForbiddenError();
    }
    await trx
      .updateTable("users")
      .set({ deleted_at: sql<Date>`now()` })
      .where("id", "=", id)
      .execute();
  }

  /**
   * The live user behind a token, or undefined when they were deleted or their
   * role changed: a demoted or deleted user's token stops working at once.
   */
  async findActive(trx: TenantDb, id: string, role: AcademyRole): Promise<User | undefined> {
    const row = await trx
      .selectFrom("users as u")
      .select(columns)
      .where("u.id", "=", id)
      .where("u.role", "=", role)
      .where("u.deleted_at", "is", null)
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /**
   * Checks a password for an academy user. Unknown email and wrong password
   * cost the same and return the same `undefined`. A match comes with the
   * user's and the academy's credential versions, read in the same statement
   * as the hash: the token is signed under them, so a password change, role
   * change or suspension committed after this read revokes it.
   */
  async authenticate(
    trx: TenantDb,
    email: string,
    password: string,
  ): Promise<Authenticated | undefined> {
    const row = await trx
      .selectFrom("users as u")
      .innerJoin("academies as a", "a.id", "u.tenant_id")
      .select([
        ...columns,
        "u.password_hash",
        "u.credentials_version",
        "a.credentials_version as academy_version",
      ])
      .where("u.email", "=", email.trim().toLowerCase())
      .where("u.deleted_at", "is", null)
      .executeTakeFirst();
    if (!row) return this.#deps.passwords.verifyNothing(password).then(() => undefined);
    return (await this.#deps.passwords.verify(password, row.password_hash))
      ? {
          user: toUser(row),
          credentials: { user: row.credentials_version, academy: row.academy_version },
        }
      : undefined;
  }
}
