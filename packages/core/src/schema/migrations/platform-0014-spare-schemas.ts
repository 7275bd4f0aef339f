import { type Kysely, sql } from "kysely";

/**
 * Spare tenant schemas (docs/tenancy.md, "Spare schemas"): schemas created
 * and migrated ahead of need, each listed here, so that onboarding into a
 * dedicated schema renames one (`alter schema … rename`) instead of running
 * every tenant migration's DDL while the admin waits. A row is claimed with
 * `for update skip locked` inside the onboarding transaction, so two
 * onboardings never take one spare, and a rolled-back onboarding leaves it
 * listed and named as it was. `version` is the last tenant migration the
 * spare was made with: during a rolling deploy a process takes only a spare
 * its code knows (never one a newer version made) and drops only the ones
 * behind it. A platform table: the tenant role is granted nothing on it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create table spare_schemas (
  name text primary key check (name ~ '^skillbridge_spare_[0-9a-f]{32}$'),
  version text not null,
  created_at timestamptz not null default clock_timestamp()
);
`)
    .execute(db);
}
