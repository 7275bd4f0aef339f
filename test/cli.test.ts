import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EmbeddedWorld,
  embeddedWorld,
  runCli,
} from "../packages/cli/test/support/cli-session.js";

// The built `skillbridge` binary, spawned as a user would run it, on the
// embedded default (PGlite in a temp data dir). Every run is a new process.

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages/cli/bin/skillbridge.js");
const home = mkdtempSync(join(tmpdir(), "skillbridge-e2e-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
// Data dirs are not seeded: a new one starts as a copy of the migrated data dir the build
// bundles (packages/core/dist/pglite-migrated), as on a user's machine.

const baseEnv = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  XDG_CONFIG_HOME: join(home, "config"),
  SKILLBRIDGE_DATA_DIR: join(home, "data"),
  CI: "true",
};

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(
  args: readonly string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: home,
      env: { ...baseEnv, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.stdin.end(input ?? "");
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

/**
 * A command run in this process (`main`, as the binary runs it) on the same
 * data dir: what a test checks after the binary has run, where what it proves
 * (the data dir as the binary left it, or held by a running one) needs no new
 * Node process of its own. About 2 s of CPU less than a spawn, each.
 */
function inProcess(args: readonly string[], env: Record<string, string> = {}) {
  return runCli(args, { ...baseEnv, ...env });
}

const create = (slug: string, extra: string[] = []) => [
  "tenants",
  "create",
  "--slug",
  slug,
  "--name",
  "North Prep",
  "--admin-email",
  `ada@${slug}.example`,
  "--admin-name",
  "Ada Lovelace",
  ...extra,
];

describe("the skillbridge binary", () => {
  it("--version and --help answer without touching a database", async () => {
    const version = await run(["--version"]);
    expect(version).toMatchObject({ code: 0, out: "0.1.0\n", err: "" });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Exit codes:\n\s+0\s+success\n\s+1\s+a failure you can fix/);
    expect(help.out).toContain("tenants");
  });

  it("tenants create prints the academy and a once-shown password, then list shows it", async () => {
    const created = await run(create("north-prep"));
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^Created academy north-prep\nid: [0-9a-f-]{36}\n/);
    expect(created.out).toMatch(/\npassword: [A-Za-z0-9_-]{24}\n/);

    const list = await inProcess(["tenants", "list"]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^north-prep\tNorth Prep\tactive\tshared\t/);
  });

  it("a missing flag without a terminal fails at once, naming the flag", async () => {
    const missing = await run(["tenants", "create", "--name", "X"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^Error: Missing --slug \(/);
    expect(missing.err.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("usage errors exit 1 with a pointer to --help; an unreachable server is a fixable error", async () => {
    const unknown = await run(["tenants", "explode"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown command|too many arguments/);
    const unreachable = await run(["tenants", "list"], {
      SKILLBRIDGE_API_URL: "http://127.0.0.1:9",
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/^Error: Cannot reach the SkillBridge API/);
    expect(unreachable.err).not.toMatch(/\n\s+at /);
  });

  it("impersonate --exec runs a command as that user against the embedded server", async () => {
    expect(
      (await inProcess(create("exec-prep", ["--admin-password", "long-enough-pw"]))).code,
    ).toBe(0);
    const result = await run([
      "impersonate",
      "--academy",
      "exec-prep",
      "--user",
      "ada@exec-prep.example",
      "--reason",
      "e2e: check the admin view",
      "--exec",
      `"${process.execPath}" "${bin}" --json whoami`,
    ]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const whoami = JSON.parse(result.out.slice(0, result.out.lastIndexOf("}") + 1));
    expect(whoami).toMatchObject({
      mode: "remote",
      user: { email: "ada@exec-prep.example", role: "admin" },
      academy: { slug: "exec-prep" },
    });
  });

  it("a prompt runs in a terminal: tenants create asks for what is missing", async () => {
    // `script` gives the CLI a pseudo-terminal; answers are typed when each question shows.
    const dataDir = join(home, "pty-data");
    const command = `stty cols 120 rows 40; "${process.execPath}" "${bin}" --no-color tenants create --admin-password long-enough-pw`;
    const child = spawn("script", ["-qefc", command, "/dev/null"], {
      cwd: home,
      env: { ...baseEnv, CI: "", TERM: "xterm", SKILLBRIDGE_DATA_DIR: dataDir },
    });
    const answers: [string, string][] = [
      ["academy slug", "pty-prep"],
      ["academy name", "PTY Prep"],
      ["first admin's email", "ada@pty.example"],
      ["first admin's name", "Ada"],
    ];
    let screen = "";
    child.stdout.on("data", (chunk) => {
      screen += chunk;
      const next = answers[0];
      if (next && screen.toLowerCase().includes(next[0])) {
        answers.shift();
        screen = "";
        setTimeout(() => child.stdin.write(`${next[1]}\r`), 50);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(answers).toEqual([]);
    expect(code).toBe(0);
    const list = await inProcess(["tenants", "list"], { SKILLBRIDGE_DATA_DIR: dataDir });
    expect(list.out).toMatch(/^pty-prep\tPTY Prep\tactive/);
  });

  it("serve prints its URL, answers, and on SIGTERM drains and exits 0", async () => {
    const dataDir = join(home, "serve-data");
    const child = spawn(process.execPath, [bin, "serve", "--port", "0"], {
      cwd: home,
      env: { ...baseEnv, SKILLBRIDGE_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const match = /SkillBridge API on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", () => reject(new Error(`serve exited early: ${out}`)));
    });
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(out).toMatch(/\n {2}Processes {2}1\n {2}Jobs {7}on \(AI pre-grading runs here\)\n/);
    // While it runs, the data dir is its own: a second process is told to use the API.
    const busy = await inProcess(["tenants", "list"], { SKILLBRIDGE_DATA_DIR: dataDir });
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/^Error: The embedded database in .* is in use by process \d+/);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // Once it stopped, the embedded mode can open the data dir again.
    expect((await inProcess(["tenants", "list"], { SKILLBRIDGE_DATA_DIR: dataDir })).code).toBe(0);
  });

  it("worker runs until SIGTERM, then stops, closes its data dir and exits 0 with what it did", async () => {
    const dataDir = join(home, "worker-data");
    const child = spawn(process.execPath, [bin, "worker", "--poll-interval", "50"], {
      cwd: home,
      env: { ...baseEnv, SKILLBRIDGE_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        out += chunk;
        if (out.includes("SIGTERM or Ctrl-C stops after the job in hand.")) resolve();
      });
      child.once("exit", () => reject(new Error(`worker exited early: ${out}`)));
    });
    expect(out).toMatch(
      /^SkillBridge worker \S+ on PGlite in .*worker-data\n {2}AI {7}offline rules/,
    );
    expect(out).toMatch(/Jobs {5}grade_submission, 1 at a time/);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toMatch(/Worker stopped\n[\s\S]*done: 0/);
    // It closed the data dir: the next process opens it.
    const once = await inProcess(["worker", "--once", "--json"], { SKILLBRIDGE_DATA_DIR: dataDir });
    expect(once.code).toBe(0);
    expect(JSON.parse(once.out)).toEqual({
      workerId: expect.any(String),
      done: 0,
      retried: 0,
      dead: 0,
      lost: 0,
    });
  });

  it("a new data dir starts migrated from the build's data dir: serve applies nothing", async () => {
    const dataDir = join(home, "fresh-data");
    // `--no-workers` is the old name of `--no-jobs`: still understood, and said so.
    const child = spawn(process.execPath, [bin, "--json", "serve", "--port", "0", "--no-workers"], {
      cwd: home,
      env: { ...baseEnv, SKILLBRIDGE_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    });
    let err = "";
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const started = await new Promise<{
      migrationsApplied: string[];
      url: string;
      processes: number;
      jobs: boolean;
    }>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line && out.includes("\n")) resolve(JSON.parse(line));
      });
      void exited.then((code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    expect(started.migrationsApplied).toEqual([]);
    expect(started).toMatchObject({ processes: 1, jobs: false });
    expect(err).toBe(
      "Note: --no-workers is now --no-jobs (background jobs); --workers sets how many server processes run.\n",
    );
    const ready = await fetch(`${started.url}/ready`);
    expect(ready.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, "pgdata", "PG_VERSION"))).toBe(true);
    // `db status` on it: every migration applied, nothing pending.
    const status = await inProcess(["--json", "db", "status"], { SKILLBRIDGE_DATA_DIR: dataDir });
    expect(status.code, status.err).toBe(0);
    const report = JSON.parse(status.out);
    expect(report.behind).toEqual([]);
    expect(report.schemas).toEqual([
      expect.objectContaining({ schema: "public", pending: [], state: "up to date" }),
    ]);
  });
});

// What a command prints and its exit code need no new process: these run
// through `main` in this one (packages/cli/test/support/cli-session.ts), on a
// data dir of their own. The binary's exit codes and pipes: test/cli-pipes.test.ts.
describe("skillbridge in-process, on the embedded default", () => {
  let world: EmbeddedWorld;
  beforeAll(async () => {
    world = await embeddedWorld("pglite");
  });
  afterAll(async () => {
    await world?.dispose();
  });
  const inWorld = (args: readonly string[]) => runCli(args, world.env);

  it("--json prints only the data on stdout, in the documented shape", async () => {
    const created = await inWorld([
      "--json",
      ...create("json-prep", ["--admin-password", "long-enough-pw"]),
    ]);
    expect(created.code).toBe(0);
    const data = JSON.parse(created.out);
    expect(Object.keys(data).sort()).toEqual(["academy", "admin", "generatedPassword"]);
    expect(data.academy).toMatchObject({
      slug: "json-prep",
      status: "active",
      placement: "shared",
      deletedAt: null,
    });
    expect(data.admin).toMatchObject({ email: "ada@json-prep.example", role: "admin" });
    expect(data.generatedPassword).toBeNull();
    expect(JSON.stringify(data)).not.toMatch(/password_?hash/i);

    const list = await inWorld(["tenants", "list", "--json"]);
    expect(JSON.parse(list.out).map((a: { slug: string }) => a.slug)).toContain("json-prep");
  });

  it("a duplicate slug is one line on stderr and exit 1, never a stack trace", async () => {
    await inWorld(create("dup-prep"));
    const again = await inWorld(create("dup-prep"));
    expect(again.code).toBe(1);
    expect(again.out).toBe("");
    expect(again.err).toBe('Error: The slug "dup-prep" is taken.\n');
  });
});
