import { type Kysely, sql } from "kysely";
import { TENANT_ROLE } from "../tenant-tables.js";
import { TENANT_ID_SETTING } from "./tenant-policy.js";

/**
 * Platform tables (no tenant) and the tenant role. Roles are cluster-wide in
 * PostgreSQL, so creating it must tolerate another database (or a concurrent
 * migration) having created it first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
do $$
begin
  if not exists (select 1 from pg_roles where rolname = '${TENANT_ROLE}') then
    create role ${TENANT_ROLE} nologin nosuperuser nobypassrls noinherit nocreatedb nocreaterole;
  end if;
exception when duplicate_object or unique_violation then null;
end
$$;

do $$
begin
  -- A non-superuser migrator must be a member to SET ROLE into it.
  if not (select rolsuper from pg_roles where rolname = current_user)
     and not pg_has_role(current_user, '${TENANT_ROLE}', 'member') then
    execute format('grant ${TENANT_ROLE} to %I', current_user);
  end if;
end
$$;

create table academies (
  id uuid primary key default gen_random_uuid(),
  slug text not null,
  name text not null,
  status text not null default 'active',
  placement text not null default 'shared',
  created_at timestamptz not null default clock_timestamp(),
  deleted_at timestamptz
);
create unique index academies_slug_key on academies (slug);

-- Tenant transactions may read their own academy row (status checks) and nothing else.
alter table academies enable row level security;
create policy academy_self on academies for select to ${TENANT_ROLE}
  using (id = ${TENANT_ID_SETTING});
grant select on academies to ${TENANT_ROLE};

create table platform_users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  role text not null,
  password_hash text not null,
  created_at timestamptz not null default clock_timestamp(),
  deleted_at timestamptz
);
create unique index platform_users_email_key on platform_users (email);

create table exam_questions (
  id uuid primary key default gen_random_uuid(),
  bank text not null,
  external_id text not null,
  type text not null,
  topic text not null,
  standard_id text,
  difficulty smallint not null,
  prompt text not null,
  passage text,
  explanation text,
  content jsonb not null default '{}'::jsonb,
  answer jsonb not null,
  tags text[] not null default '{}',
  content_hash text not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now()
);
create unique index exam_questions_bank_external_id_key on exam_questions (bank, external_id);
create index exam_questions_bank_type_topic_idx on exam_questions (bank, type, topic);
-- The shared bank is read by every academy; writes are platform-only.
grant select on exam_questions to ${TENANT_ROLE};

create table audit_log (
  id uuid primary key default gen_random_uuid(),
  occurred_at timestamptz not null default clock_timestamp(),
  actor_id uuid,
  actor_kind text not null,
  academy_id uuid references academies (id),
  action text not null,
  target_type text,
  target_id text,
  reason text,
  details jsonb not null default '{}'::jsonb
);
create index audit_log_occurred_at_idx on audit_log (occurred_at desc, id desc);
create index audit_log_academy_idx on audit_log (academy_id, occurred_at desc);

create table jobs (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  academy_id uuid references academies (id),
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'queued',
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  run_at timestamptz not null default now(),
  locked_at timestamptz,
  last_error text,
  created_at timestamptz not null default clock_timestamp()
);
create index jobs_ready_idx on jobs (status, run_at) where status = 'queued';
`)
    .execute(db);
}
