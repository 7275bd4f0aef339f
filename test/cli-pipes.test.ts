import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The built binary in real pipes and processes (#22): output is whole through
// a pipe whatever the exit code, and a second command on a data dir that
// `skillbridge serve` holds is told serve's real address.

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages/cli/bin/skillbridge.js");
const home = mkdtempSync(join(tmpdir(), "skillbridge-pipes-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
// The data dir is not seeded: it starts as a copy of the build's migrated data dir.

const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  XDG_CONFIG_HOME: join(home, "config"),
  SKILLBRIDGE_DATA_DIR: join(home, "data"),
  CI: "true",
};

/** Runs a bash pipeline; resolves with its stdout and the exit code of each command. */
function pipeline(script: string): Promise<{ out: string; err: string; codes: number[] }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", `${script}; echo "codes \${PIPESTATUS[*]}"`], {
      cwd: home,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", () => {
      const match = /codes ([\d ]+)\n$/.exec(out);
      resolve({
        out: out.replace(/codes [\d ]+\n$/, ""),
        err,
        codes: (match?.[1] ?? "").split(" ").map(Number),
      });
    });
  });
}

// The reader waits a second before reading, so the writer meets a full pipe
// (64 KiB) and must wait for it to drain rather than exit.
const READER = `node -e 'setTimeout(() => { let t = ""; process.stdin.on("data", (d) => (t += d)); process.stdin.on("end", () => { const doc = JSON.parse(t); console.log(JSON.stringify({ bytes: Buffer.byteLength(t), rejected: doc.rejected.length })); }); }, 1000)'`;

describe("the skillbridge binary in a pipe", () => {
  it("a megabyte of --json reaches the reader whole, then the exit code (1: rows rejected)", async () => {
    const file = join(home, "bad.ndjson");
    const rows = 5000;
    writeFileSync(
      file,
      Array.from({ length: rows }, (_, i) =>
        JSON.stringify({ externalId: `bad-${i}`, type: "multiple_choice", prompt: `Q${i}` }),
      ).join("\n"),
    );
    const result = await pipeline(
      `node ${bin} questions import ${file} --bank sat --strict --json | ${READER}`,
    );
    expect(result.err).toBe("");
    const seen = JSON.parse(result.out);
    expect(seen.rejected).toBe(rows);
    expect(seen.bytes).toBeGreaterThan(1024 * 1024);
    expect(result.codes).toEqual([1, 0]);
  }, 180_000);

  it("exit 0 waits for the pipe to drain too", async () => {
    const big = `{"rejected":[${Array.from({ length: 40_000 }, (_, i) => `"row ${i} ${"x".repeat(20)}"`).join(",")}]}`;
    const script = join(home, "big.mjs");
    writeFileSync(
      script,
      `const { exitWhenFlushed } = await import(${JSON.stringify(join(root, "packages/cli/dist/main.js"))});
process.stdout.write(${JSON.stringify(big)});
await exitWhenFlushed(0);
`,
    );
    const result = await pipeline(`node ${script} | ${READER}`);
    expect(JSON.parse(result.out)).toEqual({ bytes: big.length, rejected: 40_000 });
    expect(result.codes).toEqual([0, 0]);
  }, 120_000);
});

describe("a data dir that `skillbridge serve` holds", () => {
  it("the in-use error names the address serve really listens on", async () => {
    const serve = spawn(process.execPath, [bin, "serve", "--port", "0", "--no-jobs"], {
      cwd: home,
      env: { ...env, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        serve.stdout.on("data", (d) => {
          out += d;
          const match = /SkillBridge API on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        serve.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      expect(url).not.toMatch(/:3000$/);
      const second = await pipeline(`node ${bin} tenants list`);
      expect(second.codes).toEqual([1]);
      expect(second.err).toMatch(/^Error: The embedded database in .* is in use by process \d+/);
      expect(second.err).toContain(`--api-url ${url}`);
      expect(second.err).not.toContain("127.0.0.1:3000");
    } finally {
      serve.kill("SIGTERM");
      await new Promise((resolve) => serve.once("close", resolve));
    }
  }, 180_000);
});
