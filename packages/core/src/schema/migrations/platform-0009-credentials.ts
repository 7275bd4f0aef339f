import { type Kysely, sql } from "kysely";
import { TENANT_ROLE } from "../tenant-tables.js";
import { TENANT_ID_SETTING } from "./tenant-policy.js";

/**
 * Credential changes revoke tokens (docs/security.md, "Sessions"):
 *
 * - `credentials_version` on `platform_users` and `academies` (the tenant
 *   migration of the same name adds it to `users`). A token carries the
 *   versions it was issued under; the per-request re-check compares them, so
 *   a token issued before a change is a 401 on its next request. A counter,
 *   not a time: no clock (server or database) and no second-resolution `iat`
 *   is compared, and a sign-in that read the old password just before a
 *   change gets a token with the old version, dead at once.
 * - `skillbridge_bump_credentials()`, the trigger that raises it: on a new
 *   password hash, a new role or a deletion of a user; on a suspension or a
 *   deletion of an academy. A trigger, so that every path (API, CLI, a
 *   script) revokes alike. SECURITY INVOKER (the default): it touches only
 *   the row being updated.
 * - `revoked_tokens`: the tokens signed out (`POST /auth/logout`), by `jti`,
 *   kept until they would have expired anyway. Tenant transactions may read
 *   their own academy's rows (the re-check runs in them), nothing else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table platform_users add column credentials_version integer not null default 0;
alter table academies add column credentials_version integer not null default 0;

create or replace function public.skillbridge_bump_credentials() returns trigger
language plpgsql as $$
begin
  new.credentials_version := old.credentials_version + 1;
  return new;
end
$$;

create trigger platform_users_credentials before update on platform_users for each row
  when (old.password_hash is distinct from new.password_hash
     or old.role is distinct from new.role
     or (old.deleted_at is null and new.deleted_at is not null))
  execute function public.skillbridge_bump_credentials();

create trigger academies_credentials before update on academies for each row
  when ((new.status = 'suspended' and old.status is distinct from new.status)
     or (old.deleted_at is null and new.deleted_at is not null))
  execute function public.skillbridge_bump_credentials();

create table revoked_tokens (
  jti uuid primary key,
  academy_id uuid references academies (id) on delete cascade,
  expires_at timestamptz not null
);
create index revoked_tokens_expires_idx on revoked_tokens (expires_at);
alter table revoked_tokens enable row level security;
create policy revoked_tokens_own_academy on revoked_tokens for select to ${TENANT_ROLE}
  using (academy_id = ${TENANT_ID_SETTING});
grant select on revoked_tokens to ${TENANT_ROLE};
`)
    .execute(db);
}
