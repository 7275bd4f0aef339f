/**
 * The two servers the API benchmarks compare, both listening on 127.0.0.1:
 *
 * - the **full stack**: the real `createServer` + `startServer` of
 *   `@skillbridge/server` (JWT verify, user re-check, tenant transaction,
 *   RLS, role filter, zod in and out, access log);
 * - the **baseline**: a bare `node:http` server that verifies the same JWT
 *   with jose (same algorithm, issuer, audience and claims) and runs the same
 *   SELECT with an explicit `WHERE tenant_id = $1` on a plain `pg.Pool`. It
 *   also serves the stages between the two (`/tx`, `/tx-recheck`), so the
 *   difference can be taken apart.
 */
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CursorCodec,
  openDatabase,
  type PasswordHasher,
  type SkillBridgeDatabase,
  type SpareSchemaPool,
  withTenant,
} from "@skillbridge/core";
import {
  createServer,
  type ServerConfig,
  serverConfig,
  startServer,
  TokenService,
} from "@skillbridge/server";
import { jwtVerify } from "jose";
import { sql } from "kysely";
import pg from "pg";
import { pino } from "pino";

export const POOL_SIZE = 10;

/** Budgets so high that no benchmark request is refused (the limiter still runs). */
export const UNLIMITED: ServerConfig["rateLimit"] = {
  points: 1_000_000_000,
  durationSeconds: 60,
  burstPoints: 0,
  burstDurationSeconds: 1,
};

export interface FullStack {
  readonly url: string;
  readonly db: SkillBridgeDatabase;
  readonly config: ServerConfig;
  /** The app's spare-schema pool (onboarding into a dedicated schema renames one). */
  readonly spares: SpareSchemaPool;
  close(): Promise<void>;
}

/**
 * The real server over `dbUrl`. Its access log is on (level info, as in
 * production) but written to /dev/null, so its cost counts and the terminal
 * stays readable. No job worker runs (no job is queued by these requests).
 */
export async function startFullStack(options: {
  readonly dbUrl: string;
  readonly jwtSecret: string;
  readonly rateLimit?: ServerConfig["rateLimit"];
  /** Password hashing (default: the production scrypt parameters). */
  readonly passwords?: PasswordHasher;
  readonly poolSize?: number;
  /** The server's `tenantSlots` (default: the pool's size). */
  readonly tenantSlots?: number | undefined;
  /** The server's `adaptiveSlots` (default off). */
  readonly adaptiveSlots?: boolean;
  /** The server's `loopTurns` (default: the server's, on). */
  readonly loopTurns?: boolean;
  /** Spare dedicated schemas the app keeps ready (default: the server's, 2). */
  readonly spareSchemas?: number;
}): Promise<FullStack> {
  const db = await openDatabase({
    url: options.dbUrl,
    poolSize: options.poolSize ?? POOL_SIZE,
    applicationName: "skillbridge-bench-server",
  });
  const config = serverConfig({
    jwtSecret: options.jwtSecret,
    rateLimit: options.rateLimit ?? UNLIMITED,
    ...(options.tenantSlots !== undefined ? { tenantSlots: options.tenantSlots } : {}),
    ...(options.adaptiveSlots ? { adaptiveSlots: true } : {}),
    ...(options.loopTurns === false ? { loopTurns: false } : {}),
    logger: pino(
      { level: "info", base: { service: "skillbridge" } },
      pino.destination("/dev/null"),
    ),
  });
  const app = createServer({
    db,
    config,
    workers: false,
    ...(options.passwords ? { passwords: options.passwords } : {}),
    ...(options.spareSchemas !== undefined ? { spareSchemas: options.spareSchemas } : {}),
  });
  const running = await startServer({
    app,
    port: 0,
    handleSignals: false,
    workers: false,
    onClose: () => db.close(),
  });
  return { url: running.url, db, config, spares: app.spares, close: () => running.close() };
}

const COLUMNS = "id, title, description, instructor_id, capacity, created_at, updated_at";
/** What the full stack runs for an instructor, written by hand with the tenant explicit. */
export const BASELINE_SQL = `select ${COLUMNS}, created_at::text as _cursor_at from courses
  where tenant_id = $1 and instructor_id = $2 and deleted_at is null
  order by created_at, id limit 21`;

/**
 * The same-guarantee baseline: what a careful engineer would write by hand to
 * give the full stack's guarantee in one statement (no RLS, no transaction):
 * the user/academy re-check folded into the SELECT as an EXISTS, so a deleted
 * or demoted user, or a suspended or deleted academy, reads nothing.
 */
export const GUARDED_SQL = `select ${COLUMNS}, created_at::text as _cursor_at from courses
  where tenant_id = $1 and instructor_id = $2 and deleted_at is null
    and exists (select 1 from users u join academies a on a.id = u.tenant_id
      where u.tenant_id = $1 and u.id = $2 and u.role = $3 and u.deleted_at is null
        and a.status = 'active' and a.deleted_at is null)
  order by created_at, id limit 21`;

/** Only when the guarded SELECT is empty: is that an empty page, a 401 or a 403? */
const GUARD_SQL = `select u.role = $3 and a.deleted_at is null as valid, a.status
  from users u join academies a on a.id = u.tenant_id
  where u.tenant_id = $1 and u.id = $2 and u.deleted_at is null`;

interface CourseRow {
  id: string;
  title: string;
  description: string | null;
  instructor_id: string;
  capacity: number | null;
  created_at: Date;
  updated_at: Date;
  _cursor_at: string;
}

export interface Baseline {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The bare baseline and the stages between it and the full stack, on one
 * `node:http` server (only one path is loaded at a time):
 *
 * - `/bare`: jose verify, then BASELINE_SQL on a `pg.Pool` as the owner (one
 *   round trip): the minimal handler, with no re-check of the user or academy;
 * - `/bare-guarded`: the same-guarantee baseline, jose verify then GUARDED_SQL
 *   (the re-check folded into the one SELECT as an EXISTS; one round trip);
 * - `/tx`: jose verify, then the same select through core's `withTenant`
 *   (BEGIN + placement lock + tenant role + settings, the select under RLS,
 *   COMMIT; the setup is pipelined with the select);
 * - `/tx-recheck`: as `/tx` plus `withTenant`'s caller re-check (the named
 *   statement that aborts the transaction), pipelined the same way: what the
 *   full stack runs, without the framework.
 *
 * Every path answers the same `{ data, nextCursor }` (camelCase, ISO dates,
 * a signed cursor), so the bytes on the wire match the full stack's.
 */
export async function startBaseline(options: {
  readonly dbUrl: string;
  readonly jwtSecret: string;
  readonly poolSize?: number;
}): Promise<Baseline> {
  const poolSize = options.poolSize ?? POOL_SIZE;
  const pool = new pg.Pool({
    connectionString: options.dbUrl,
    max: poolSize,
    application_name: "skillbridge-bench-baseline",
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
  });
  pool.on("error", () => undefined);
  // The stages go through core's withTenant, on a database handle of their own.
  const db = await openDatabase({
    url: options.dbUrl,
    poolSize,
    applicationName: "skillbridge-bench-stages",
  });
  const config = serverConfig({ jwtSecret: options.jwtSecret });
  // Imported once, as the full stack's TokenService does (jose would import raw bytes per verify).
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(options.jwtSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const cursors = new CursorCodec(Buffer.from("bench cursor key"));

  const verify = async (req: IncomingMessage) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(req.headers.authorization ?? "");
    if (!match?.[1]) return undefined;
    try {
      const { payload } = await jwtVerify(match[1], key, {
        algorithms: ["HS256"],
        issuer: config.issuer,
        audience: config.audience,
        requiredClaims: ["exp", "iat", "sub"],
        clockTolerance: 5,
      });
      if (typeof payload.sub !== "string" || typeof payload.aid !== "string") return undefined;
      return { userId: payload.sub, academyId: payload.aid, role: String(payload.role) };
    } catch {
      return undefined;
    }
  };

  const page = (rows: CourseRow[]) => {
    const more = rows.length > 20;
    const pageRows = more ? rows.slice(0, 20) : rows;
    const last = pageRows.at(-1);
    return {
      data: pageRows.map((r) => ({
        id: r.id,
        title: r.title,
        description: r.description,
        instructorId: r.instructor_id,
        capacity: r.capacity,
        createdAt: new Date(r.created_at).toISOString(),
        updatedAt: new Date(r.updated_at).toISOString(),
      })),
      nextCursor:
        more && last
          ? cursors.encode("courses", { createdAt: last._cursor_at, id: last.id })
          : null,
    };
  };

  const server = createHttpServer((req, res) => {
    void (async () => {
      try {
        const who = await verify(req);
        if (!who) {
          res.writeHead(401, { "content-type": "application/json" }).end('{"status":401}');
          return;
        }
        const path = (req.url ?? "").split("?")[0];
        let rows: CourseRow[];
        if (path === "/bare") {
          rows = (await pool.query<CourseRow>(BASELINE_SQL, [who.academyId, who.userId])).rows;
        } else if (path === "/bare-guarded") {
          const params = [who.academyId, who.userId, who.role];
          rows = (await pool.query<CourseRow>(GUARDED_SQL, params)).rows;
          if (rows.length === 0) {
            const guard = (await pool.query<{ valid: boolean; status: string }>(GUARD_SQL, params))
              .rows[0];
            if (!guard?.valid) {
              res.writeHead(401, { "content-type": "application/json" }).end('{"status":401}');
              return;
            }
            if (guard.status !== "active") {
              res.writeHead(403, { "content-type": "application/json" }).end('{"status":403}');
              return;
            }
          }
        } else if (path === "/tx" || path === "/tx-recheck") {
          const ctx = {
            tenantId: who.academyId,
            userId: who.userId,
            role: who.role as "instructor",
          };
          const read = async (trx: Parameters<Parameters<typeof withTenant>[2]>[0]) => {
            const result = await sql<CourseRow>`select id, title, description, instructor_id,
                capacity, created_at, updated_at, created_at::text as _cursor_at from courses
              where instructor_id = ${who.userId} and deleted_at is null
              order by created_at, id limit 21`.execute(trx);
            return result.rows;
          };
          rows =
            path === "/tx-recheck"
              ? await withTenant(db, ctx, read, {
                  recheck: { userId: who.userId, role: "instructor" },
                })
              : await withTenant(db, ctx, read);
        } else {
          res.writeHead(404).end();
          return;
        }
        const body = JSON.stringify(page(rows));
        res
          .writeHead(200, {
            "content-type": "application/json; charset=utf-8",
            "content-length": Buffer.byteLength(body),
          })
          .end(body);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
      await db.close();
    },
  };
}

/** An instructor's access token, signed as the server signs them. */
export function instructorToken(
  config: ServerConfig,
  academyId: string,
  userId: string,
): Promise<string> {
  return new TokenService(config).sign(
    { kind: "academy", userId, academyId, role: "instructor", impersonatorId: null },
    6 * 3600,
  );
}
