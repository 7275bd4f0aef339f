import { createHash } from "node:crypto";
import { CompiledQuery, type DatabaseConnection, type QueryResult as KyselyResult } from "kysely";
import type pg from "pg";

/**
 * One statement of a tenant transaction that Kysely does not build: the setup
 * (BEGIN, placement lock, search_path, role and settings) and the caller
 * re-check. `name` makes it a named prepared statement: PostgreSQL parses and
 * plans it once per connection, not on every request.
 */
export interface TenantStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly name?: string;
}

/**
 * The connection of one tenant transaction, below Kysely (which runs one
 * query at a time and knows nothing of this). `start` queues the setup
 * statements; they leave with the first query (or `finish`), so a read route
 * waits once for setup, re-check and data together where it waited three
 * times. Every query still comes from the Kysely handle, through the
 * tenant-scope plugin.
 *
 * Failure is sticky: once any statement fails, every later query and
 * `finish("commit")` reject with that first error (a failed re-check thus
 * stops the data query even when a caller catches the error), and the
 * transaction is rolled back.
 */
export interface TenantSession extends DatabaseConnection {
  start(statements: readonly TenantStatement[]): void;
  /** The first statement that failed, if any. */
  readonly failure: unknown;
  /** COMMIT (rejects with the first failure, after rolling back) or ROLLBACK. */
  finish(outcome: "commit" | "rollback"): Promise<void>;
}

/**
 * The prepared-statement name of a text: the same text always gets the same
 * name, and a changed text a new one, so no two texts ever share a name on a
 * connection (PostgreSQL would refuse the second Parse).
 */
export function statementName(sql: string): string {
  return `sb_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
}

const AFFECTS_ROWS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

function toKysely<R>(result: pg.QueryResult): KyselyResult<R> {
  const out: { rows: R[]; numAffectedRows?: bigint } = { rows: (result.rows ?? []) as R[] };
  if (AFFECTS_ROWS.has(result.command)) out.numAffectedRows = BigInt(result.rowCount ?? 0);
  return out;
}

/** A `*` that is not `count(*)`: a column list whose shape follows the table's. */
const STAR_COLUMNS = /\*(?!\))/;

/**
 * Prepared-statement names for route queries' SQL texts (#21): PostgreSQL
 * parses a named statement once per connection instead of on every request.
 * Kysely's SQL holds no values (they are parameters), so one route's query
 * has one text however it is called. Only fixed-shape texts get names: at
 * most {@link MAX_NAMED_PARAMETERS} parameters (a many-row insert or a long
 * `in` list has a text per length), and only the first `max` texts of a pool,
 * so no stream of one-off texts can grow its connections' statements without
 * bound. Each pool has its own names ({@link queryNamesFor}): the bound is on
 * what its connections prepare. A changed `search_path`
 * (dedicated-schema academies) makes PostgreSQL re-parse a named statement
 * for the new path, so one name serves every placement. A text with a `*`
 * column list (`select *`, `"t".*`, `returning *`) stays unnamed: after a
 * migration adds a column, PostgreSQL refuses to run such a statement's
 * cached plan ("cached plan must not change result type").
 */
export class QueryNames {
  readonly #names = new Map<string, string>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /**
   * The name of this text (the same every time); undefined for a text that is
   * not of a fixed shape, or once `max` texts have names.
   */
  nameOf(sql: string, parameters: number): string | undefined {
    if (parameters > MAX_NAMED_PARAMETERS) return undefined;
    let name = this.#names.get(sql);
    if (name === undefined && this.#names.size < this.#max && !STAR_COLUMNS.test(sql)) {
      name = statementName(sql);
      this.#names.set(sql, name);
    }
    return name;
  }
}

/** A query with more parameters than this is not named (its text varies with a list's length). */
export const MAX_NAMED_PARAMETERS = 32;

const poolNames = new WeakMap<object, QueryNames>();

/** The names of one pool's connections: 512 texts, what every route's queries need with room to spare. */
export function queryNamesFor(pool: object): QueryNames {
  let names = poolNames.get(pool);
  if (!names) {
    names = new QueryNames(512);
    poolNames.set(pool, names);
  }
  return names;
}

/**
 * node-postgres's client, with the flag its pipeline mode reads on each send
 * and the socket its connection writes to (both public fields, not typed).
 */
type PipelineClient = pg.PoolClient & {
  pipeline: boolean;
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
};

/**
 * PostgreSQL through node-postgres in pipeline mode (pg >= 8.23): each
 * statement is written as soon as it is issued, without waiting for the reply
 * of the one before; the server answers them in order. The pool's clients are
 * not pipelined otherwise (COPY, which the importer uses, is refused in that
 * mode), so the flag is set for this transaction only and cleared when the
 * client goes back.
 */
export class PipelinedSession implements TenantSession {
  readonly #client: PipelineClient;
  /** Sent, and nobody has waited for them yet. */
  #inFlight: Promise<pg.QueryResult>[] = [];
  #queued: TenantStatement[] = [];
  #failure: unknown;
  #failed = false;

  readonly #names: QueryNames;

  /** `names`: the prepared-statement names of the client's pool ({@link queryNamesFor}). */
  constructor(client: pg.PoolClient, names: QueryNames) {
    this.#client = client as PipelineClient;
    this.#names = names;
    this.#client.pipeline = true;
  }

  get failure(): unknown {
    return this.#failure;
  }

  start(statements: readonly TenantStatement[]): void {
    this.#queued.push(...statements);
  }

  #send(statement: TenantStatement): Promise<pg.QueryResult> {
    const config: pg.QueryConfig = {
      text: statement.sql,
      values: [...statement.parameters],
    };
    if (statement.name) config.name = statement.name;
    const sent = this.#client.query(config).catch((error: unknown) => {
      if (!this.#failed) {
        this.#failed = true;
        this.#failure = error;
      }
      throw error;
    });
    // Observed later (or never, after an earlier failure): not an unhandled rejection.
    sent.catch(() => undefined);
    return sent;
  }

  #flushQueued(): void {
    const queued = this.#queued;
    this.#queued = [];
    for (const statement of queued) this.#inFlight.push(this.#send(statement));
  }

  /** Waits for everything sent before; throws the first failure. */
  async #settle(): Promise<void> {
    const pending = this.#inFlight;
    this.#inFlight = [];
    for (const p of pending) await p.catch(() => undefined);
    if (this.#failed) throw this.#failure;
  }

  /**
   * Runs `send` with the socket corked: node-postgres writes a simple query
   * (the setup) at once and uncorks after each extended one, so a batch sent
   * as it is issued costs one write system call per statement. Corked, the
   * setup, re-check and query leave in one (#21; bench/README.md says what
   * that saved).
   */
  #corked<T>(send: () => T): T {
    const stream = this.#client.connection?.stream;
    stream?.cork?.();
    try {
      return send();
    } finally {
      stream?.uncork?.();
    }
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<KyselyResult<R>> {
    if (this.#failed) throw this.#failure;
    // Written now, behind the setup: one wait for both.
    const name = this.#names.nameOf(compiled.sql, compiled.parameters.length);
    const reply = this.#corked(() => {
      this.#flushQueued();
      return this.#send({
        sql: compiled.sql,
        parameters: compiled.parameters,
        ...(name === undefined ? {} : { name }),
      });
    });
    await this.#settle();
    try {
      return toKysely<R>(await reply);
    } catch {
      throw this.#failure;
    }
  }

  // biome-ignore lint/correctness/useYield: a pipelined connection streams nothing (pg refuses cursors in this mode).
  async *streamQuery<R>(): AsyncIterableIterator<KyselyResult<R>> {
    throw new Error("streaming is not supported inside a tenant transaction");
  }

  async finish(outcome: "commit" | "rollback"): Promise<void> {
    try {
      if (outcome === "commit" && !this.#failed) {
        const reply = this.#corked(() => {
          this.#flushQueued();
          return this.#send(COMMIT);
        });
        await this.#settle().catch(() => undefined);
        const result = await reply.catch(() => undefined);
        // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK, not an error.
        if (!this.#failed && result?.command === "COMMIT") return;
        if (!this.#failed) {
          this.#failed = true;
          this.#failure = new Error("the tenant transaction did not commit");
        }
        throw this.#failure;
      }
      this.#queued = [];
      await this.#settle().catch(() => undefined);
      if (outcome === "commit") {
        await this.#rollback();
        throw this.#failure;
      }
      await this.#rollback();
    } finally {
      this.#client.pipeline = false;
    }
  }

  /**
   * Sends COMMIT without waiting for its reply, for a read-only transaction
   * whose every statement has already answered without error: nothing it did
   * can change with the commit, so the caller may use its results now. The
   * promise settles (never rejects) when COMMIT's reply or the connection's
   * failure comes; until then the client is not the caller's to release.
   * Undefined when a statement is unsent or unanswered, or one failed: then
   * the transaction ends through {@link finish}, which waits.
   */
  commitUnawaited(): Promise<void> | undefined {
    if (this.#failed || this.#queued.length > 0 || this.#inFlight.length > 0) return undefined;
    const reply = this.#corked(() => this.#send(COMMIT));
    return reply.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Gives the client back its ordinary (unpipelined) mode, before it returns to the pool. */
  detach(): void {
    this.#client.pipeline = false;
  }

  async #rollback(): Promise<void> {
    // Nothing was sent (a setup that never left): nothing to roll back.
    await this.#client.query("rollback").catch(() => undefined);
  }
}

/** Named like the setup's BEGIN: parsed once per connection. */
const COMMIT: TenantStatement = { sql: "commit", parameters: [], name: statementName("commit") };

/**
 * Any other Kysely connection (PGlite: one session, no pipeline): the same
 * interface, one statement after another. The setup still runs before the
 * first query, and failure is just as sticky.
 */
export class SequentialSession implements TenantSession {
  readonly #inner: DatabaseConnection;
  #queued: TenantStatement[] = [];
  #failure: unknown;
  #failed = false;

  constructor(inner: DatabaseConnection) {
    this.#inner = inner;
  }

  get failure(): unknown {
    return this.#failure;
  }

  start(statements: readonly TenantStatement[]): void {
    this.#queued.push(...statements);
  }

  async #run<R>(compiled: CompiledQuery): Promise<KyselyResult<R>> {
    try {
      return await this.#inner.executeQuery<R>(compiled);
    } catch (error) {
      if (!this.#failed) {
        this.#failed = true;
        this.#failure = error;
      }
      throw error;
    }
  }

  async #flushQueued(): Promise<void> {
    while (this.#queued.length > 0) {
      const statement = this.#queued.shift() as TenantStatement;
      await this.#run(CompiledQuery.raw(statement.sql, [...statement.parameters]));
    }
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<KyselyResult<R>> {
    if (this.#failed) throw this.#failure;
    await this.#flushQueued();
    return this.#run<R>(compiled);
  }

  // biome-ignore lint/correctness/useYield: see PipelinedSession.
  async *streamQuery<R>(): AsyncIterableIterator<KyselyResult<R>> {
    throw new Error("streaming is not supported inside a tenant transaction");
  }

  async finish(outcome: "commit" | "rollback"): Promise<void> {
    if (outcome === "commit" && !this.#failed) {
      try {
        await this.#flushQueued();
        await this.#run(CompiledQuery.raw("commit"));
        return;
      } catch {
        // fall through: roll back, report the first failure
      }
    }
    this.#queued = [];
    await this.#inner.executeQuery(CompiledQuery.raw("rollback")).catch(() => undefined);
    if (outcome === "commit") throw this.#failure;
  }
}
