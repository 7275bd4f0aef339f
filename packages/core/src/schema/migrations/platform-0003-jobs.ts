import { type Kysely, sql } from "kysely";
import { TENANT_ROLE } from "../tenant-tables.js";
import { TENANT_ID_SETTING } from "./tenant-policy.js";

/**
 * The job queue (docs/jobs.md) on the platform `jobs` table:
 * - `locked_by` and `finished_at` for claiming with a lease and for the
 *   dead-letter record; `updated_at` for when a row last changed (a retry's
 *   delay is `run_at - updated_at`);
 * - statuses checked in the database;
 * - tenant transactions may enqueue for their own academy, and nothing else:
 *   INSERT on three columns only (the rest take their defaults, so a job
 *   always starts queued with no attempts), and an RLS policy that pins
 *   `academy_id` to the transaction's academy. No SELECT, UPDATE or DELETE:
 *   tenant code never sees the queue. The owner (the platform connection)
 *   is unaffected, as RLS is enabled but not forced on a platform table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table jobs add column locked_by text;
alter table jobs add column finished_at timestamptz;
alter table jobs add column updated_at timestamptz not null default clock_timestamp();
alter table jobs add constraint jobs_status_check
  check (status in ('queued', 'running', 'done', 'dead'));
alter table jobs add constraint jobs_attempts_check
  check (attempts >= 0 and max_attempts >= 1);
create index jobs_running_idx on jobs (locked_at) where status = 'running';
create index jobs_dead_idx on jobs (academy_id, kind) where status = 'dead';

alter table jobs enable row level security;
create policy tenant_enqueue on jobs for insert to ${TENANT_ROLE}
  with check (academy_id = ${TENANT_ID_SETTING});
grant insert (kind, academy_id, payload) on jobs to ${TENANT_ROLE};
`)
    .execute(db);
}
