import { type Kysely, sql } from "kysely";
import { ConflictError, MoveVerificationError, NotFoundError, ValidationError } from "../errors.js";
import { quoteIdent } from "../schema/migrations/tenant-policy.js";
import { TENANT_TABLES } from "../schema/tenant-tables.js";
import { type AcademyPlacement, placementLockSql, SHARED_SCHEMA, schemaOf } from "./schema-name.js";
import { migrateTenantSchemaIn } from "./tenant-schema-runner.js";
import { pendingAfter, TENANT_MIGRATION_TABLE } from "./tenant-schema-state.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One table of a move: the rows copied, and the checksum both copies agreed on. */
export interface MovedTable {
  readonly table: string;
  readonly rows: number;
  readonly checksum: string;
}

export interface AcademyMove {
  readonly academyId: string;
  readonly from: AcademyPlacement;
  readonly to: AcademyPlacement;
  readonly fromSchema: string;
  readonly toSchema: string;
  readonly tables: readonly MovedTable[];
}

/** A step of the move, told before it runs (tests stop a move here, half-way). */
export interface MoveStep {
  readonly phase: "copy" | "verify" | "switch" | "delete";
  readonly table?: string;
}

export interface MoveOptions {
  /** How long to wait for the academy's transactions in flight, in ms (default 10 000). */
  readonly lockTimeoutMs?: number | undefined;
  readonly onStep?: ((step: MoveStep) => void | Promise<void>) | undefined;
}

/** `count(*)` and an order-independent checksum (the sum of each row's md5 prefix) of one copy. */
async function measure(
  trx: Kysely<unknown>,
  schema: string,
  table: string,
  columns: string,
  academyId: string,
): Promise<{ rows: number; checksum: string }> {
  const result = await sql
    .raw<{ rows: number; checksum: string }>(
      `select count(*)::int as rows,
            coalesce(sum(('x' || substr(md5(row(${columns})::text), 1, 15))::bit(60)::bigint), 0)::text as checksum
     from ${quoteIdent(schema)}.${quoteIdent(table)} where tenant_id = '${academyId}'`,
    )
    .execute(trx);
  return result.rows[0] ?? { rows: 0, checksum: "0" };
}

/** The table's columns in order, as `attname::type` pairs (to compare two copies) and as a list. */
async function columnsOf(trx: Kysely<unknown>, schema: string, table: string) {
  const result = await sql<{ name: string; type: string }>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a
    where a.attrelid = ${`${quoteIdent(schema)}.${quoteIdent(table)}`}::regclass
      and a.attnum > 0 and not a.attisdropped
    order by a.attnum`.execute(trx);
  return result.rows;
}

async function appliedIn(trx: Kysely<unknown>, schema: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select name from ${sql.table(`${schema}.${TENANT_MIGRATION_TABLE}`)} order by name`.execute(
    trx,
  );
  return result.rows.map((r) => r.name);
}

function lockTimedOut(error: unknown): boolean {
  return (error as { code?: unknown }).code === "55P03";
}

/**
 * Moves one academy's rows between the shared schema and its dedicated schema,
 * inside the transaction `trx` the caller has open (and commits, with its
 * audit entry): takes the academy's placement lock exclusively (waiting for
 * its transactions in flight; new ones wait for the move), creates and
 * migrates the dedicated schema when moving there, copies every tenant table
 * (dependency order, ids kept), compares row counts and checksums of both
 * copies table by table, switches `academies.placement`, deletes the old rows
 * and, when leaving a dedicated schema, drops it. Everything is one
 * transaction: an interrupted move (connection killed, process killed,
 * verification failed) leaves the academy whole in its old placement.
 */
export async function moveAcademyRows(
  trx: Kysely<unknown>,
  academyId: string,
  to: AcademyPlacement,
  options: MoveOptions = {},
): Promise<AcademyMove> {
  const id = academyId.toLowerCase();
  if (!UUID.test(id)) throw new NotFoundError("Academy");
  if (to !== "shared" && to !== "schema") {
    throw new ValidationError("A move goes to 'shared' or 'schema'.", [
      { path: "to", message: "Use 'shared' or 'schema'." },
    ]);
  }
  const lockTimeoutMs = Math.max(1, Math.trunc(options.lockTimeoutMs ?? 10_000));
  const step = options.onStep ?? (() => {});
  // The copy may take longer than a request may: no statement timeout inside the move.
  // app.tenant_id: forced RLS holds the owner to this academy's rows in both schemas too.
  await sql
    .raw(
      `select set_config('lock_timeout', '${lockTimeoutMs}ms', true),
              set_config('statement_timeout', '0', true),
              set_config('app.tenant_id', '${id}', true)`,
    )
    .execute(trx);
  try {
    await sql.raw(placementLockSql(id, "exclusive")).execute(trx);
  } catch (error) {
    if (lockTimedOut(error)) {
      throw new ConflictError(
        `The academy is busy: its transactions did not finish within ${lockTimeoutMs} ms. Try again.`,
      );
    }
    throw error;
  }
  const academy = await sql<{ placement: AcademyPlacement }>`
    select placement from public.academies where id = ${id} and deleted_at is null
    for update`.execute(trx);
  const from = academy.rows[0]?.placement;
  if (!from) throw new NotFoundError("Academy");
  if (from === to) throw new ConflictError(`The academy is already placed in '${to}'.`);

  const fromSchema = schemaOf(id, from);
  const toSchema = schemaOf(id, to);
  if (to === "schema") await migrateTenantSchemaIn(trx, toSchema);
  for (const schema of [fromSchema, toSchema]) {
    const pending = pendingAfter(schema, await appliedIn(trx, schema));
    if (pending.length > 0) {
      throw new ConflictError(
        `Schema ${schema} is behind (pending: ${pending.join(", ")}). Run \`skillbridge db migrate\` first.`,
      );
    }
  }

  const tables: MovedTable[] = [];
  const columnLists = new Map<string, string>();
  for (const table of TENANT_TABLES) {
    const source = await columnsOf(trx, fromSchema, table);
    const target = await columnsOf(trx, toSchema, table);
    const shape = (cols: typeof source) => cols.map((c) => `${c.name} ${c.type}`).join(", ");
    if (shape(source) !== shape(target)) {
      throw new ConflictError(
        `${fromSchema}.${table} and ${toSchema}.${table} have different columns; run \`skillbridge db migrate\` and the isolation audit.`,
      );
    }
    const columns = target.map((c) => quoteIdent(c.name)).join(", ");
    columnLists.set(table, columns);
    const already = await measure(trx, toSchema, table, columns, id);
    if (already.rows > 0) {
      throw new ConflictError(
        `${toSchema}.${table} already holds ${already.rows} rows of this academy; see the isolation audit.`,
      );
    }
    await step({ phase: "copy", table });
    await sql
      .raw(
        `insert into ${quoteIdent(toSchema)}.${quoteIdent(table)} (${columns})
         select ${columns} from ${quoteIdent(fromSchema)}.${quoteIdent(table)} where tenant_id = '${id}'`,
      )
      .execute(trx);
  }

  for (const table of TENANT_TABLES) {
    await step({ phase: "verify", table });
    const columns = columnLists.get(table) ?? "";
    const source = await measure(trx, fromSchema, table, columns, id);
    const copy = await measure(trx, toSchema, table, columns, id);
    if (source.rows !== copy.rows || source.checksum !== copy.checksum) {
      throw new MoveVerificationError(
        `${table}: ${source.rows} rows (checksum ${source.checksum}) in ${fromSchema}, ${copy.rows} (checksum ${copy.checksum}) in ${toSchema}`,
      );
    }
    tables.push({ table, rows: source.rows, checksum: source.checksum });
  }

  await step({ phase: "switch" });
  await sql`update public.academies set placement = ${to} where id = ${id}`.execute(trx);

  for (const [index, table] of [...TENANT_TABLES].reverse().entries()) {
    await step({ phase: "delete", table });
    const removed = await sql
      .raw(`delete from ${quoteIdent(fromSchema)}.${quoteIdent(table)} where tenant_id = '${id}'`)
      .execute(trx);
    const expected = tables[TENANT_TABLES.length - 1 - index]?.rows ?? 0;
    if (Number(removed.numAffectedRows ?? 0) !== expected) {
      throw new MoveVerificationError(
        `${fromSchema}.${table}: deleted ${removed.numAffectedRows} rows, copied ${expected}`,
      );
    }
  }
  if (fromSchema !== SHARED_SCHEMA) await dropEmptySchema(trx, fromSchema);
  return { academyId: id, from, to, fromSchema, toSchema, tables };
}

/**
 * Drops a dedicated schema the move emptied, and refuses if any row of any
 * academy is left in it. The owner is held to RLS (forced), so it lifts the
 * force on those tables first, inside this transaction (they are dropped next,
 * or the transaction rolls back and the force is back).
 */
async function dropEmptySchema(trx: Kysely<unknown>, schema: string): Promise<void> {
  for (const table of TENANT_TABLES) {
    const t = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    await sql.raw(`alter table ${t} no force row level security`).execute(trx);
    const left = await sql.raw<{ n: number }>(`select count(*)::int as n from ${t}`).execute(trx);
    if ((left.rows[0]?.n ?? 0) > 0) {
      throw new ConflictError(
        `${t} still holds rows of another academy after the move; see the isolation audit.`,
      );
    }
  }
  await sql.raw(`drop schema ${quoteIdent(schema)} cascade`).execute(trx);
}
