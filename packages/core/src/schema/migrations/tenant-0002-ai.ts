import { type Kysely, sql } from "kysely";
import { quoteIdent, tenantPolicyDdl } from "./tenant-policy.js";

/**
 * The AI layer's schema (docs/ai.md):
 * - `ai_usage`: every model call's tokens, per academy (and per user when a
 *   user caused it). A tenant table like any other, because who used the
 *   tutor and how much is the academy's data; the daily budget is summed
 *   from it inside the academy's own scope.
 * - `tutor_sessions.messages` becomes append-only in the database itself: an
 *   update may add messages at the end, never change or drop one.
 */
export function tenantAiDdl(schema: string): string {
  const s = quoteIdent(schema);
  const t = (name: string) => `${s}.${quoteIdent(name)}`;
  return `
create table ${t("ai_usage")} (
  tenant_id uuid not null references public.academies (id),
  id uuid not null default gen_random_uuid(),
  user_id uuid,
  task text not null,
  provider text not null,
  model text not null,
  prompt_tokens integer not null check (prompt_tokens >= 0),
  completion_tokens integer not null check (completion_tokens >= 0),
  total_tokens integer not null check (total_tokens >= 0),
  created_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references ${t("users")} (tenant_id, id)
);
create index ai_usage_created_idx on ${t("ai_usage")} (tenant_id, created_at);
${tenantPolicyDdl(schema, "ai_usage")}

create function ${s}.tutor_messages_append_only() returns trigger
language plpgsql as $$
declare
  kept integer := jsonb_array_length(old.messages);
begin
  if jsonb_typeof(new.messages) <> 'array'
     or jsonb_array_length(new.messages) < kept
     or (kept > 0 and jsonb_path_query_array(
           new.messages, '$[0 to $last]', jsonb_build_object('last', kept - 1)
         ) <> old.messages) then
    raise exception 'tutor_sessions.messages is append-only';
  end if;
  return new;
end
$$;
create trigger tutor_sessions_append_only
  before update of messages on ${t("tutor_sessions")}
  for each row execute function ${s}.tutor_messages_append_only();
`;
}

export function tenantAi(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantAiDdl(schema)).execute(db);
    },
  };
}
