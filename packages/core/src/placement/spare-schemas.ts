import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { ValidationError } from "../errors.js";
import { quoteIdent } from "../schema/migrations/tenant-policy.js";
import { latestTenantMigration, SPARE_SCHEMA_PREFIX } from "./spare-schema-claim.js";
import { migrateTenantSchemaIn } from "./tenant-schema-runner.js";

// Onboarding into a dedicated schema runs every tenant migration's DDL: about
// 100-170 ms of PostgreSQL's time on a quiet machine, for 8 statements that
// create 19 tables with their indexes, policies and triggers (bench/README.md).
// PostgreSQL has no "copy this schema", so the copy is made ahead: spare
// schemas, migrated while nobody waits, and renamed to the academy's schema
// inside its onboarding transaction (spare-schema-claim.ts).

/** Advisory-lock key (class, 0) that serialises fills across processes, so none overshoots the count. */
const FILL_LOCK_CLASS = 0x5b_03;

export interface SpareSchemaFill {
  /** Spares created by this fill. */
  readonly created: number;
  /** Spares dropped because they were behind the latest tenant migration, or their schema was gone. */
  readonly dropped: number;
  /** Spares listed when the fill last counted them (0 when stopped before it did). */
  readonly ready: number;
}

/** A count of spares must be a whole number from 0: anything else would never be reached, or always. */
function wholeCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ValidationError(`spare schemas: ${name} must be a whole number from 0; got ${value}`);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The spares listed now. */
export async function countSpareSchemas(db: SkillBridgeDatabase): Promise<number> {
  const row = await db.kysely
    .selectFrom("spare_schemas")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Drops the spares behind this code's latest tenant migration (a deploy that
 * shipped one) or whose schema is gone, each in a transaction of its own; a
 * spare being claimed meanwhile is skipped, never dropped, and one a newer
 * version made is left to it. `migrate` calls it, so a stale spare never
 * outlives the start that brought a new tenant migration (the isolation
 * audit would read it as a schema behind). One query when none is stale.
 */
export async function dropStaleSpareSchemas(
  db: SkillBridgeDatabase,
  options: { readonly signal?: AbortSignal | undefined } = {},
): Promise<number> {
  const raw = db.kysely as unknown as Kysely<unknown>;
  const stale = await sql<{ name: string }>`
    select name from public.spare_schemas
    where version < ${latestTenantMigration()} or to_regnamespace(quote_ident(name)) is null`.execute(
    raw,
  );
  let dropped = 0;
  for (const { name } of stale.rows) {
    if (options.signal?.aborted) break;
    dropped += await raw.transaction().execute(async (trx) => {
      const taken = await sql<{ name: string }>`
        delete from public.spare_schemas where name = (
          select name from public.spare_schemas where name = ${name} for update skip locked)
        returning name`.execute(trx);
      if (taken.rows.length === 0) return 0;
      await sql.raw(`drop schema if exists ${quoteIdent(name)} cascade`).execute(trx);
      return 1;
    });
  }
  return dropped;
}

/**
 * Drops the stale spares (`dropStaleSpareSchemas`), then creates spares until
 * `count` are listed, each in a transaction of its own. Safe beside
 * onboardings and beside fills in other processes (one fills at a time, so
 * together they never pass `count`). Once `signal` is aborted no further
 * spare starts.
 */
export async function fillSpareSchemas(
  db: SkillBridgeDatabase,
  options: { readonly count: number; readonly signal?: AbortSignal | undefined },
): Promise<SpareSchemaFill> {
  wholeCount("count", options.count);
  const raw = db.kysely as unknown as Kysely<unknown>;
  let created = 0;
  let ready = 0;
  const dropped = await dropStaleSpareSchemas(db, { signal: options.signal });
  while (!options.signal?.aborted) {
    const made = await raw.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${FILL_LOCK_CLASS}, 0)`.execute(trx);
      const n = await sql<{ n: number }>`
        select count(*)::int as n from public.spare_schemas`.execute(trx);
      ready = n.rows[0]?.n ?? 0;
      if (ready >= options.count) return false;
      const name = `${SPARE_SCHEMA_PREFIX}${randomBytes(16).toString("hex")}`;
      await migrateTenantSchemaIn(trx, name, { claimSpare: false });
      await sql`insert into public.spare_schemas (name, version)
                values (${name}, ${latestTenantMigration()})`.execute(trx);
      ready++;
      return true;
    });
    if (!made) break;
    created++;
  }
  return { created, dropped, ready };
}

export interface SpareSchemaPoolOptions {
  /** Spares kept ready. 0 turns the pool off. */
  readonly size: number;
  /** Told when a fill fails (the next `refill` tries again); onboarding still works without spares. */
  readonly onError?: ((error: Error) => void) | undefined;
}

/**
 * Keeps `size` spare schemas ready for one process: `refill()` after a
 * schema onboarding or move starts a fill in the background (one at a time;
 * a refill asked for while one runs runs once more after it), and `close()`
 * stops it between two spares and waits for the one being made. Off (every
 * call a no-op) when `size` is 0.
 */
export class SpareSchemaPool {
  readonly #db: SkillBridgeDatabase;
  readonly #options: SpareSchemaPoolOptions;
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;
  #again = false;

  constructor(db: SkillBridgeDatabase, options: SpareSchemaPoolOptions) {
    wholeCount("size", options.size);
    this.#db = db;
    this.#options = options;
  }

  get size(): number {
    return this.#options.size;
  }

  /** Starts a fill unless one is running (then one more runs after it). Never throws. */
  refill(): void {
    if (this.#options.size <= 0 || this.#stop.signal.aborted) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#fill().finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#stop.signal.aborted) {
        this.#again = false;
        this.refill();
      }
    });
  }

  async #fill(): Promise<void> {
    try {
      await fillSpareSchemas(this.#db, { count: this.#options.size, signal: this.#stop.signal });
    } catch (error) {
      if (!this.#stop.signal.aborted)
        this.#options.onError?.(new Error(`spare schemas: ${message(error)}`));
    }
  }

  /** Resolves when no fill is running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Starts no further spare and waits for the one in progress. */
  async close(): Promise<void> {
    this.#stop.abort();
    this.#again = false;
    await this.idle();
  }
}
