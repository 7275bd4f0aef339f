import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { type IncomingHttpHeaders, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { adaptiveSlots, tenantSlots } from "../packages/cli/src/commands/serve.js";
import { runCli } from "../packages/cli/test/support/cli-session.js";
import { openDatabase, withPlatform } from "../packages/core/src/index.js";
import { createScratchDatabase } from "../packages/core/test/support/engines.js";
import { fastServices } from "../packages/core/test/support/fast-services.js";

// `skillbridge serve --workers N|auto` (#21): N server processes on one port
// (node:cluster). Refusals need no process; the cluster itself is the built
// binary, as an operator runs it, on PostgreSQL (a PGlite data dir is one
// process's) and, when REDIS_URL is set, with its limits in Redis.

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages/cli/bin/skillbridge.js");
const PASSWORD = "workers-password-1";
const home = mkdtempSync(join(tmpdir(), "skillbridge-workers-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("serve --workers refuses what it cannot run, before opening anything", () => {
  const env = { SKILLBRIDGE_DATA_DIR: join(home, "refused"), CI: "true" };

  it("more than one process on PGlite, naming DATABASE_URL", async () => {
    const run = await runCli(["serve", "--port", "0", "--workers", "2"], env);
    expect(run.code).toBe(1);
    expect(run.out).toBe("");
    expect(run.err).toBe(
      "Error: --workers above 1 needs PostgreSQL (DATABASE_URL): a PGlite data dir is open in one process only. Set DATABASE_URL, or use --workers auto, which is 1 on PGlite.\n",
    );
  });

  it("an academy budget that is not <requests>/<seconds>", async () => {
    for (const value of ["600", "0/60", "600/0", "ten/60", "600/60/3"]) {
      const run = await runCli(["serve", "--port", "0"], {
        ...env,
        SKILLBRIDGE_RATE_LIMIT: value,
      });
      expect(run.code, value).toBe(1);
      expect(run.err).toBe(
        `Error: SKILLBRIDGE_RATE_LIMIT must be <requests>/<seconds>, both whole and above 0 (as 600/60); got "${value}".\n`,
      );
    }
  });

  it("a tenant slot count that is not a whole number from 1 to 1000", async () => {
    for (const value of ["0", "three", "1.5", "-2", "1001", "3 4"]) {
      const run = await runCli(["serve", "--port", "0"], {
        ...env,
        SKILLBRIDGE_TENANT_SLOTS: value,
      });
      expect(run.code, value).toBe(1);
      expect(run.err).toBe(
        `Error: SKILLBRIDGE_TENANT_SLOTS must be a whole number from 1 to 1000 (as 3); got "${value}".\n`,
      );
    }
    expect(tenantSlots(" 3 ")).toBe(3);
    expect(tenantSlots("1000")).toBe(1000);
  });

  it("an adaptive-slots switch that is not on or off", async () => {
    for (const value of ["2", "maybe", "1 0"]) {
      const run = await runCli(["serve", "--port", "0"], {
        ...env,
        SKILLBRIDGE_ADAPTIVE_SLOTS: value,
      });
      expect(run.code, value).toBe(1);
      expect(run.err).toBe(
        `Error: SKILLBRIDGE_ADAPTIVE_SLOTS must be 1 or 0 (on or off); got "${value}".\n`,
      );
    }
    expect([" 1 ", "on", "TRUE", "yes"].map(adaptiveSlots)).toEqual([true, true, true, true]);
    expect(["0", "off", "false", "No"].map(adaptiveSlots)).toEqual([false, false, false, false]);
  });

  it("a count that is not 1-64 or auto", async () => {
    for (const value of ["0", "two", "1.5", "-1", "65"]) {
      const run = await runCli(["serve", "--port", "0", "--workers", value], env);
      expect(run.code, value).toBe(1);
      expect(run.err).toBe(
        `Error: --workers must be a number of processes (1-64) or "auto"; got "${value}".\n`,
      );
    }
  });
});

/** The pids of `pid`'s child processes. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

/** One request on a connection of its own, so the cluster may hand it to any process. */
function send(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; text: string; headers: IncomingHttpHeaders }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, agent: false, headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function until<T>(read: () => T, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(process.env.SKILLBRIDGE_TEST_DATABASE_URL)("serve --workers 2 on PostgreSQL", () => {
  it("runs two processes on one port, replaces one that dies, shares one rate budget through Redis, and drains on SIGTERM", async () => {
    const scratch = await createScratchDatabase({ migrated: true });
    // A platform admin whose password hash is cheap to check (hashes carry their cost).
    const db = await openDatabase({ url: scratch.url, poolSize: 1 });
    try {
      await withPlatform(db, (trx) =>
        fastServices().platformUsers.create(trx, {
          email: "ops@workers.example",
          name: "Ops",
          role: "platform_admin",
          password: PASSWORD,
        }),
      );
    } finally {
      await db.close();
    }
    let child: ChildProcessWithoutNullStreams | undefined;
    try {
      child = spawn(
        process.execPath,
        [bin, "--json", "serve", "--port", "0", "--workers", "2", "--no-jobs"],
        {
          cwd: home,
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            CI: "true",
            SKILLBRIDGE_DATA_DIR: join(home, "cluster"),
            DATABASE_URL: scratch.url,
            REDIS_URL: process.env.REDIS_URL ?? "",
            // Keys of this run only: another run's budgets on the same Redis never count here.
            SKILLBRIDGE_REDIS_PREFIX: `sb-test-${randomBytes(4).toString("hex")}`,
            // A bucket that refills one request in 144 s: at the default 10/s a slow
            // machine's 100 ms between two requests gave one back, and the count
            // below read 197 twice.
            SKILLBRIDGE_RATE_LIMIT: "600/86400",
            LOG_LEVEL: "silent",
          },
        },
      );
      const proc = child;
      let out = "";
      let err = "";
      proc.stdout.on("data", (chunk) => {
        out += chunk;
      });
      proc.stderr.on("data", (chunk) => {
        err += chunk;
      });
      const exited = new Promise<number | null>((resolve) => proc.once("exit", resolve));
      await Promise.race([
        until(
          () => out,
          (text) => text.includes("\n"),
          "the start line",
        ),
        exited.then((code) => {
          throw new Error(`serve exited ${code}: ${err}`);
        }),
      ]);
      const started = JSON.parse(out.trim());
      expect(started).toMatchObject({ processes: 2, jobs: false, migrationsApplied: [] });
      // The primary made the processes: two of them, each a server.
      const pid = proc.pid;
      if (!pid) throw new Error("serve has no pid");
      const first = await until(
        () => childrenOf(pid),
        (pids) => pids.length === 2,
        "two processes",
      );
      for (let i = 0; i < 6; i++)
        expect((await send(started.url, "GET", "/health")).status).toBe(200);

      if (process.env.REDIS_URL) {
        // One budget for the two processes: each answer (on a connection of its own, so
        // both processes take turns) leaves one request less than the answer before it.
        const login = await send(started.url, "POST", "/api/v1/auth/login", {
          email: "ops@workers.example",
          password: PASSWORD,
        });
        expect(login.status, login.text).toBe(200);
        const token = JSON.parse(login.text).accessToken as string;
        const remaining: number[] = [];
        for (let i = 0; i < 6; i++) {
          const answer = await send(
            started.url,
            "GET",
            "/api/v1/admin/academies",
            undefined,
            token,
          );
          expect(answer.status).toBe(200);
          remaining.push(Number(answer.headers["ratelimit-remaining"]));
        }
        const start = remaining[0] ?? 0;
        expect(remaining).toEqual(remaining.map((_, i) => start - i));
      } else {
        expect(err).toMatch(/^Warning: without REDIS_URL each of the 2 processes/m);
      }

      // One process dies: the primary says so and starts another; the port keeps answering.
      const victim = first[0];
      // Never 0 or undefined: process.kill(0) would signal this test's own process group.
      if (!victim) throw new Error("no server process to stop");
      process.kill(victim, "SIGKILL");
      const replaced = await until(
        () => childrenOf(pid),
        (pids) => pids.length === 2 && !pids.includes(victim),
        "a replacement",
      );
      // The line is written before the new process starts, but may reach this pipe after it.
      await until(
        () => err,
        (text) =>
          text.includes(`Server process ${victim} stopped (signal SIGKILL); starting another.`),
        "the primary's line about it",
      );
      for (let i = 0; i < 4; i++)
        expect((await send(started.url, "GET", "/ready")).status).toBe(200);

      proc.kill("SIGTERM");
      expect(await exited).toBe(0);
      for (const p of replaced) expect(() => process.kill(p, 0)).toThrow();
    } finally {
      if (child?.exitCode === null) child.kill("SIGKILL");
      await scratch.drop();
    }
  });
});
