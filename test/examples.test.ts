import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE_WASM } from "./support/baseline-wasm.js";

// The README's promises, run as a user would: the examples as child processes
// over a fresh embedded data dir, on the built packages (the global setup
// rebuilds them when a source is newer): `node` runs the .mjs examples and
// `tsx` the TypeScript ones, as the README says.

const root = join(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "skillbridge-examples-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// Data dirs are not seeded: `databaseOptionsFromEnv` starts a new one as a copy of the
// migrated data dir the build bundles, as on a user's machine.

function run(script: string, env: Record<string, string>): ChildProcess {
  const args = [
    ...BASELINE_WASM,
    ...(script.endsWith(".ts") ? ["--import", "tsx", script] : [script]),
  ];
  return spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finish(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

describe("examples from the README", () => {
  it("the isolation tour shows each academy and role only its own rows, and re-runs cleanly", async () => {
    const env = { SKILLBRIDGE_DATA_DIR: join(dataDir, "tour") };
    const first = await finish(run("examples/isolation-tour.mjs", env));
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    // A new data dir starts as a copy of the build's migrated one: nothing to apply.
    expect(first.out).toMatch(/database: pglite, up to date/);
    const north = first.out.slice(first.out.indexOf("tour-north"), first.out.indexOf("tour-south"));
    expect(north).toMatch(/student \(enrolled\)\s+users: Sam Student\n\s+courses: SAT Math/);
    expect(north).toMatch(/student \(not enrolled\) users: Olive Student\n\s+courses: \(none\)/);
    expect(north).toMatch(/instructor\s+users: Ines Instructor, Sam Student\n/);

    const again = await finish(run("examples/isolation-tour.mjs", env));
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/database: pglite, up to date/);
    expect(again.out.match(/Ada Admin/g)).toHaveLength(2);
  });

  it("serve starts on loopback, answers, keeps its secret private, and drains on SIGTERM", async () => {
    const dir = join(dataDir, "serve");
    const child = run("examples/serve.mjs", { SKILLBRIDGE_DATA_DIR: dir, PORT: "0" });
    const done = finish(child);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("serve did not start")), 60_000);
      child.stdout?.on("data", (chunk: Buffer) => {
        const match = /SkillBridge API on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: "ok" });
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const anonymous = await fetch(`${url}/api/v1/courses`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(statSync(join(dir, "jwt-secret")).mode & 0o777).toBe(0o600);
    child.kill("SIGTERM");
    const { code, out } = await done;
    expect(code).toBe(0);
    expect(out).toMatch(
      /platform admin created: admin@skillbridge\.local {2}password: \S+ {2}\(shown once\)/,
    );
  });

  it("the SDK quickstart, run as the README says, signs in, onboards, paginates and types a 404", async () => {
    const dir = join(dataDir, "quickstart");
    const server = run("examples/serve.mjs", {
      SKILLBRIDGE_DATA_DIR: dir,
      PORT: "0",
      SKILLBRIDGE_ADMIN_PASSWORD: "quickstart-root-password",
    });
    const stopped = finish(server);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("serve did not start")), 60_000);
        server.stdout?.on("data", (chunk: Buffer) => {
          const match = /SkillBridge API on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      // `npx tsx examples/quickstart.ts`: no source condition, so the SDK is the built package.
      const quickstart = spawn(process.execPath, ["--import", "tsx", "examples/quickstart.ts"], {
        cwd: root,
        env: {
          ...process.env,
          SKILLBRIDGE_API_URL: url,
          SKILLBRIDGE_EMAIL: "admin@skillbridge.local",
          SKILLBRIDGE_PASSWORD: "quickstart-root-password",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const { code, out, err } = await finish(quickstart);
      expect(err).toBe("");
      expect(code).toBe(0);
      expect(out).toMatch(/^signed in as admin@skillbridge\.local \(platform_admin\)/);
      expect(out).toMatch(/created academy quickstart-[0-9a-f]{6} \(\S+\) with admin/);
      expect(out).toMatch(
        /courses \(fetched two per page\):\n {2}- SAT Math\n {2}- SAT Reading\n {2}- GRE Quant\n/,
      );
      expect(out).toMatch(/404 as expected: NotFoundError code=not_found/);
    } finally {
      server.kill("SIGTERM");
      await stopped;
    }
  });

  it("embed-server starts the server inside an app and talks to it with the SDK", async () => {
    const { code, out, err } = await finish(run("examples/embed-server.ts", {}));
    expect(err).toBe("");
    expect(code).toBe(0);
    // The built core's migrated snapshot: nothing left to apply (bundledPGliteSnapshot).
    expect(out).toMatch(
      /^server on http:\/\/127\.0\.0\.1:\d+ \(pglite, in memory, started migrated\)\n/,
    );
    expect(out).toMatch(
      /\ncourses: .+\nme: .+ \(admin\) of .+\nserver stopped, database closed\n$/,
    );
  });
});
