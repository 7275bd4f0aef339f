import { sql } from "kysely";
import { TENANT_ROLE } from "../schema/tenant-tables.js";
import { type Executor, rows } from "./sql.js";

/** What the catalog says about the role tenant transactions run as. */
export interface TenantRoleState {
  readonly name: string;
  readonly exists: boolean;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  /** The connecting user may `SET ROLE` into it (a superuser, or a member). */
  readonly canSet: boolean;
  /** Relations it owns, `schema.name` (an owner skips RLS unless it is forced). */
  readonly owns: readonly string[];
  /** Superuser or BYPASSRLS roles it is a member of (it could `SET ROLE` into them). */
  readonly privilegedMemberships: readonly string[];
}

/** The user the database connection signs in as: it runs migrations and platform work. */
export interface ConnectingUser {
  readonly name: string;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
}

interface RoleRow {
  rolsuper: boolean;
  rolbypassrls: boolean;
  can_set: boolean;
}

export async function readTenantRole(db: Executor): Promise<TenantRoleState> {
  const [role] = await rows(
    db,
    sql<RoleRow>`
      select rolsuper, rolbypassrls,
             (select rolsuper from pg_roles where rolname = current_user)
               or pg_has_role(current_user, r.oid, 'member') as can_set
      from pg_roles r where rolname = ${TENANT_ROLE}`,
  );
  if (!role) {
    return {
      name: TENANT_ROLE,
      exists: false,
      superuser: false,
      bypassRls: false,
      canSet: false,
      owns: [],
      privilegedMemberships: [],
    };
  }
  const owned = await rows(
    db,
    sql<{ name: string }>`
      select n.nspname || '.' || c.relname as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relowner = (select oid from pg_roles where rolname = ${TENANT_ROLE})
      order by 1`,
  );
  const memberships = await rows(
    db,
    sql<{ name: string }>`
      select b.rolname as name
      from pg_roles b, pg_roles r
      where r.rolname = ${TENANT_ROLE} and b.oid <> r.oid
        and (b.rolsuper or b.rolbypassrls) and pg_has_role(r.oid, b.oid, 'member')
      order by 1`,
  );
  return {
    name: TENANT_ROLE,
    exists: true,
    superuser: role.rolsuper,
    bypassRls: role.rolbypassrls,
    canSet: role.can_set,
    owns: owned.map((r) => r.name),
    privilegedMemberships: memberships.map((r) => r.name),
  };
}

export async function readConnectingUser(db: Executor): Promise<ConnectingUser> {
  const [user] = await rows(
    db,
    sql<{ name: string; superuser: boolean; bypass: boolean }>`
      select rolname as name, rolsuper as superuser, rolbypassrls as bypass
      from pg_roles where rolname = current_user`,
  );
  return {
    name: user?.name ?? "unknown",
    superuser: user?.superuser ?? false,
    bypassRls: user?.bypass ?? false,
  };
}
