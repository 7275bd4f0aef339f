import { type Kysely, sql } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { migrateSharedTenantSchema, tenantMigrations } from "../schema/migrate.js";
import { quoteIdent } from "../schema/migrations/tenant-policy.js";
import { academyIdOfSchema, SHARED_SCHEMA } from "./schema-name.js";
import { claimSpareSchema } from "./spare-schema-claim.js";
import {
  pendingAfter,
  readTenantSchemaStates,
  TENANT_MIGRATION_TABLE,
  type TenantSchemaState,
} from "./tenant-schema-state.js";

/** Advisory-lock class of "migrating this schema" (the second key is the schema name's hash). */
const MIGRATION_LOCK_CLASS = 0x5b_02;

/**
 * Creates `schema` if needed (renaming a spare schema when one is ready,
 * placement/spare-schemas.ts) and applies its pending tenant migrations, inside
 * the transaction `trx` the caller has open (onboarding, a move, the runner):
 * the schema is migrated wholly or, if the transaction rolls back, not at all.
 * An advisory lock keeps two processes from migrating one schema at once; the
 * second finds the work done. Returns the names applied.
 */
export async function migrateTenantSchemaIn(
  trx: Kysely<unknown>,
  schema: string,
  options: {
    readonly upTo?: string | undefined;
    /** Take a spare schema when `schema` is new (default true; false for the spares themselves). */
    readonly claimSpare?: boolean | undefined;
  } = {},
): Promise<string[]> {
  const s = quoteIdent(schema);
  await sql
    .raw(
      `select pg_advisory_xact_lock(${MIGRATION_LOCK_CLASS}, hashtext('${schema.replaceAll("'", "''")}'))`,
    )
    .execute(trx);
  // A new schema is a spare renamed, when one is ready: its migrations are done
  // (all of them, so not for a run stopping at `upTo`).
  if (options.claimSpare !== false && options.upTo === undefined)
    await claimSpareSchema(trx, schema);
  await sql
    .raw(
      `create schema if not exists ${s};
create table if not exists ${s}.${TENANT_MIGRATION_TABLE} (
  name varchar(255) not null primary key, timestamp varchar(255) not null)`,
    )
    .execute(trx);
  const done = await sql<{ name: string }>`
    select name from ${sql.table(`${schema}.${TENANT_MIGRATION_TABLE}`)} order by name`.execute(
    trx,
  );
  const upTo = options.upTo;
  const pending = pendingAfter(
    schema,
    done.rows.map((r) => r.name),
  ).filter((name) => upTo === undefined || name <= upTo);
  const migrations = tenantMigrations(schema);
  for (const name of pending) {
    await migrations[name]?.up(trx);
    await sql`insert into ${sql.table(`${schema}.${TENANT_MIGRATION_TABLE}`)} (name, timestamp)
              values (${name}, ${new Date().toISOString()})`.execute(trx);
  }
  return pending;
}

/** What the runner reports as it goes. */
export type TenantMigrationEvent =
  | { readonly type: "plan"; readonly total: number; readonly behind: number }
  | { readonly type: "start"; readonly schema: string }
  | {
      readonly type: "done";
      readonly schema: string;
      readonly applied: readonly string[];
      readonly ms: number;
      /** Schemas finished (done or failed) so far, of `behind`. */
      readonly completed: number;
    }
  | {
      readonly type: "failed";
      readonly schema: string;
      readonly error: string;
      readonly completed: number;
    };

export interface RunTenantMigrationsOptions {
  /** `all`: `public` first, then the dedicated schemas; `dedicated`: those only. Default `all`. */
  readonly include?: "all" | "dedicated" | undefined;
  /** Dedicated schemas migrated at once, each on its own connection (default 2; 1 on PGlite). */
  readonly concurrency?: number | undefined;
  readonly onEvent?: ((event: TenantMigrationEvent) => void) | undefined;
  /** Once aborted, no further schema starts; those in flight finish. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Stop at this migration (inclusive) instead of the latest, for dedicated
   * schemas (staged roll-outs, benchmarks); `public` always goes to the latest.
   */
  readonly upTo?: string | undefined;
}

export interface TenantMigrationRun {
  /** Tenant schemas known (public, dedicated, strays). */
  readonly total: number;
  /** Schemas already at the latest migration before the run. */
  readonly upToDate: number;
  readonly migrated: readonly { readonly schema: string; readonly applied: readonly string[] }[];
  readonly failed: readonly { readonly schema: string; readonly error: string }[];
  /** True when the signal stopped the run before every schema was tried. */
  readonly interrupted: boolean;
  /** The schemas still behind after the run (strays are never migrated). */
  readonly behind: readonly TenantSchemaState[];
  readonly latest: string | null;
}

/**
 * Migrates the dedicated schema of an academy, in one transaction of its own:
 * skipped (empty result) when the academy is no longer placed there, as a move
 * back to `shared` drops the schema.
 */
async function migrateDedicated(
  db: SkillBridgeDatabase,
  schema: string,
  upTo: string | undefined,
): Promise<string[] | null> {
  const academyId = academyIdOfSchema(schema);
  return db.kysely.transaction().execute(async (trx) => {
    const placed = await sql<{ n: number }>`
      select count(*)::int as n from public.academies
      where id = ${academyId} and placement = 'schema'`.execute(trx);
    if ((placed.rows[0]?.n ?? 0) === 0) return null;
    return migrateTenantSchemaIn(trx as unknown as Kysely<unknown>, schema, { upTo });
  });
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Applies the tenant migrations to every tenant schema that is behind:
 * `public` (Kysely's migrator, as at start-up) and each dedicated schema (its
 * own transaction, `concurrency` at a time). Resumable: each schema commits
 * alone, so a run that was stopped or killed leaves every schema either
 * migrated or untouched, and the next run starts with the ones still behind.
 * After the first failure no further schema starts. Reports which schemas are
 * still behind at the end.
 *
 * @example
 * const run = await runTenantMigrations(db, { concurrency: 4, onEvent: console.log });
 * if (run.behind.length > 0) console.error("behind:", run.behind.map((s) => s.schema));
 */
export async function runTenantMigrations(
  db: SkillBridgeDatabase,
  options: RunTenantMigrationsOptions = {},
): Promise<TenantMigrationRun> {
  const raw = db.kysely as unknown as Kysely<unknown>;
  const include = options.include ?? "all";
  const concurrency = db.engine === "pglite" ? 1 : Math.max(1, options.concurrency ?? 2);
  const before = await readTenantSchemaStates(raw);
  const upTo = options.upTo;
  const wanted = (s: TenantSchemaState) =>
    s.pending.some((name) => upTo === undefined || s.kind === "shared" || name <= upTo);
  const queue = before.filter(
    (s) => wanted(s) && !s.stray && (s.kind === "dedicated" || include === "all"),
  );
  const emit = options.onEvent ?? (() => {});
  emit({ type: "plan", total: before.length, behind: queue.length });

  const migrated: { schema: string; applied: string[] }[] = [];
  const failed: { schema: string; error: string }[] = [];
  let completed = 0;
  let next = 0;
  const stopped = () => options.signal?.aborted === true || failed.length > 0;
  const runOne = async (state: TenantSchemaState) => {
    const started = performance.now();
    emit({ type: "start", schema: state.schema });
    try {
      const applied =
        state.schema === SHARED_SCHEMA
          ? [...(await migrateSharedTenantSchema(db)).applied]
          : await migrateDedicated(db, state.schema, options.upTo);
      completed++;
      if (applied !== null) migrated.push({ schema: state.schema, applied });
      emit({
        type: "done",
        schema: state.schema,
        applied: applied ?? [],
        ms: performance.now() - started,
        completed,
      });
    } catch (error) {
      completed++;
      failed.push({ schema: state.schema, error: message(error) });
      emit({ type: "failed", schema: state.schema, error: message(error), completed });
    }
  };

  // `public` first and alone: the shared schema is every shared academy's.
  if (queue[0]?.schema === SHARED_SCHEMA) {
    next = 1;
    await runOne(queue[0]);
  }
  const worker = async () => {
    while (!stopped() && next < queue.length) {
      const state = queue[next++];
      if (state) await runOne(state);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  const after = await readTenantSchemaStates(raw);
  const latest = Object.keys(tenantMigrations(SHARED_SCHEMA)).sort().at(-1) ?? null;
  return {
    total: after.length,
    upToDate: before.filter((s) => s.pending.length === 0).length,
    migrated,
    failed,
    interrupted: options.signal?.aborted === true && next < queue.length,
    behind: after.filter((s) => s.pending.length > 0 && !s.stray),
    latest,
  };
}
