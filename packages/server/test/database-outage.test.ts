import { isDatabaseUnavailable, openDatabase } from "@skillbridge/core";
import Koa from "koa";
import { sql } from "kysely";
import { inject } from "light-my-request";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createServer, serverConfig } from "../src/index.js";
import { problemDetails } from "../src/middleware/problem-details.js";
import { requestId } from "../src/middleware/request-id.js";
import { createTestApp, ENGINES, TEST_SECRET, type TestApp } from "./support/test-app.js";

// When PostgreSQL is away (restarting, connections terminated, nothing
// listening) a request is not wrong: the answer is a 503 with Retry-After,
// never a 500, and the process lives on to serve once it is back.

const pgError = (code: string, message = "terminating connection") =>
  Object.assign(new Error(message), { code });

describe("which errors mean the database is unavailable", () => {
  it.each([
    ["admin shutdown (pg_terminate_backend, fast shutdown)", pgError("57P01")],
    ["crash shutdown", pgError("57P02")],
    [
      "the database starting up or shutting down",
      pgError("57P03", "the database system is starting up"),
    ],
    ["too many connections", pgError("53300")],
    ["a class 08 connection failure", pgError("08006")],
    ["a refused connection", pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432")],
    ["a reset socket", pgError("ECONNRESET")],
    ["node-postgres losing the connection", new Error("Connection terminated unexpectedly")],
    ["node-postgres timing out a connect", new Error("timeout exceeded when trying to connect")],
    [
      "a client that already lost its connection",
      new Error("Client has encountered a connection error and is not queryable"),
    ],
    [
      "a refused connect to several addresses",
      new AggregateError([pgError("ECONNREFUSED"), pgError("ECONNREFUSED")], "connect failed"),
    ],
    ["a wrapped connection error", new Error("query failed", { cause: pgError("57P01") })],
  ])("%s is", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", pgError("23505", "duplicate key")],
    ["a missing table", pgError("42P01", "relation does not exist")],
    ["a statement timeout", pgError("57014", "canceling statement due to statement timeout")],
    ["a plain error", new Error("boom")],
    ["a string", "ECONNREFUSED"],
    ["null", null],
  ])("%s is not", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe("the problem middleware on a lost database", () => {
  function tinyApp(thrown: unknown) {
    const app = new Koa();
    app.silent = true;
    const logged: unknown[] = [];
    app.on("error", (error: unknown) => logged.push(error));
    // biome-ignore lint/suspicious/noExplicitAny: the middleware is typed for the full app context.
    app.use(requestId as any);
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    app.use(problemDetails as any);
    app.use(() => {
      throw thrown;
    });
    return { callback: app.callback(), logged };
  }

  it.each([
    ["a terminated connection (57P01)", pgError("57P01")],
    ["a connection lost mid-query", new Error("Connection terminated unexpectedly")],
    ["a refused connect", pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432")],
  ])("turns %s into a 503 unavailable with Retry-After, revealing nothing", async (_, thrown) => {
    const { callback, logged } = tinyApp(thrown);
    const response = await inject(callback, { method: "GET", url: "/anything" });
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("1");
    expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.payload)).toMatchObject({ status: 503, code: "unavailable" });
    expect(response.payload).not.toMatch(/ECONNREFUSED|57P01|terminat|5432/);
    // Not an "unhandled error": an outage is expected, and logged as a warning instead.
    expect(logged).toEqual([]);
  });
});

describe("an API route while nothing listens for the database", () => {
  it("answers 503 unavailable, not 500, and /health stays 200", async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const db = await openDatabase({ url: "postgres://nobody@127.0.0.1:1/none", poolSize: 1 });
    const app = createServer({
      db,
      config: serverConfig({ jwtSecret: TEST_SECRET, logger: pino({ level: "silent" }) }),
    });
    try {
      const callback = app.callback();
      const login = await inject(callback, {
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "root@platform.example", password: "platform-password-1" },
      });
      expect(login.statusCode).toBe(503);
      expect(login.headers["retry-after"]).toBe("1");
      expect(JSON.parse(login.payload)).toMatchObject({ status: 503, code: "unavailable" });
      const health = await inject(callback, { method: "GET", url: "/health" });
      expect(health.statusCode).toBe(200);
    } finally {
      await app.closeResources();
      await db.close();
    }
  });
});

// Ending a connection is a PostgreSQL server act: PGlite has no connections to end.
describe.each(ENGINES.filter((engine) => engine === "postgres"))(
  "connections ended by PostgreSQL (%s)",
  (engine) => {
    let t: TestApp;
    let a: SeededAcademy;
    let token: string;
    const admin = () =>
      new pg.Client({ connectionString: process.env.SKILLBRIDGE_TEST_DATABASE_URL });

    /** Ends every connection the app's pool holds, as `pg_terminate_backend` by an operator. */
    async function terminateAppConnections(): Promise<number> {
      const database = (
        await sql<{ d: string }>`select current_database() as d`.execute(t.db.kysely)
      ).rows[0]?.d;
      const client = admin();
      await client.connect();
      try {
        const result = await client.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
          [database],
        );
        return result.rowCount ?? 0;
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      t = await createTestApp(engine);
      a = await seedAcademy(t.db, fastServices(), "outage");
      token = await t.app.context.deps.tokens.sign({
        kind: "academy",
        userId: a.users.admin,
        academyId: a.academyId,
        role: "admin",
        impersonatorId: null,
      });
    });
    afterAll(() => t?.dispose());

    it("idle pooled connections ended by the server do not crash the process, and the next request is served", async () => {
      // Fill the pool with idle connections.
      await Promise.all(
        Array.from({ length: 5 }, () => t.request("GET", "/api/v1/courses", { token })),
      );
      expect(await terminateAppConnections()).toBeGreaterThan(0);
      // Give the pool time to hear about it: an unhandled pool error would end the process here.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await t.request("GET", "/api/v1/courses", { token });
      expect(response.status).toBe(200);
      expect(response.body.data.map((c: { id: string }) => c.id).sort()).toEqual(
        [a.courses.c1, a.courses.c2].sort(),
      );
    });

    it("a request whose connection is ended mid-query gets a 503, and the next one a 200", async () => {
      // A query that runs long enough to be cut off: hold a lock the request waits on.
      const blocker = admin();
      const database = (
        await sql<{ d: string }>`select current_database() as d`.execute(t.db.kysely)
      ).rows[0]?.d;
      const url = new URL(process.env.SKILLBRIDGE_TEST_DATABASE_URL ?? "");
      url.pathname = `/${database}`;
      const locker = new pg.Client({ connectionString: url.toString() });
      await Promise.all([blocker.connect(), locker.connect()]);
      try {
        await locker.query("begin");
        await locker.query("lock table academies in access exclusive mode");
        const pending = t.request("GET", "/api/v1/courses", { token });
        // Wait until the request's query is blocked on the lock, then end its connection.
        for (let i = 0; i < 100; i++) {
          const waiting = await blocker.query(
            "select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and application_name = 'skillbridge'",
            [database],
          );
          if ((waiting.rows[0] as { n: number }).n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await blocker.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'skillbridge'",
          [database],
        );
        const cut = await pending;
        expect(cut.status).toBe(503);
        expect(cut.body).toMatchObject({ code: "unavailable" });
        expect(cut.headers["retry-after"]).toBe("1");
      } finally {
        await locker.query("rollback").catch(() => undefined);
        await Promise.all([blocker.end(), locker.end()]);
      }
      const after = await t.request("GET", "/api/v1/courses", { token });
      expect(after.status).toBe(200);
    });
  },
);
