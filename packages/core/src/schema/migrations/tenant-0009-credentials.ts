import { type Kysely, sql } from "kysely";
import { quoteIdent } from "./tenant-policy.js";

/**
 * `users.credentials_version`, raised by `public.skillbridge_bump_credentials()`
 * (platform migration 0009_credentials) when a user's password hash or role
 * changes or the user is deleted: every token issued under the old version is
 * a 401 on its next request (docs/security.md, "Sessions"). No new table:
 * RLS, keys and grants are unchanged.
 */
export function tenantCredentialsDdl(schema: string): string {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  return `
alter table ${t("users")} add column credentials_version integer not null default 0;
create trigger users_credentials before update on ${t("users")} for each row
  when (old.password_hash is distinct from new.password_hash
     or old.role is distinct from new.role
     or (old.deleted_at is null and new.deleted_at is not null))
  execute function public.skillbridge_bump_credentials();
`;
}

export function tenantCredentials(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantCredentialsDdl(schema)).execute(db);
    },
  };
}
