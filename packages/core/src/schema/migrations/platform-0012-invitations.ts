import { type Kysely, sql } from "kysely";

/**
 * Onboarding by invitation (docs/tenancy.md, "Onboarding by invitation"): an
 * academy's first admin can be created without a password and handed a
 * one-time token instead. The token itself is never stored, only its SHA-256
 * (`token_hash`, unique: the lookup is one index probe on the hash, so the
 * time it takes says nothing about how close a guess came). A platform table
 * because it is reached before anyone is signed in, from the token alone; the
 * tenant role is granted nothing on it. The invited admin is `invitee_id`
 * (an id in the academy's `users`, like `audit_log.target_id`): platform data
 * about a tenant row, which the isolation audit's `user_id` rule would
 * otherwise read as tenant data outside the tenancy.
 *
 * `used_at` is set in the same transaction that sets the admin's password,
 * by an update that only matches an unused, unexpired row: two accepts of one
 * token cannot both succeed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create table invitations (
  id uuid primary key default gen_random_uuid(),
  academy_id uuid not null references academies (id),
  invitee_id uuid not null,
  token_hash bytea not null,
  created_at timestamptz not null default clock_timestamp(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create unique index invitations_token_hash_key on invitations (token_hash);
create index invitations_academy_idx on invitations (academy_id);
`)
    .execute(db);
}
