import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, openDatabase } from "@skillbridge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EmbeddedWorld,
  embeddedWorld,
  runCli,
} from "../packages/cli/test/support/cli-session.js";
import { behindAcademy } from "../packages/core/test/support/behind-schema.js";
import { createScratchDatabase } from "../packages/core/test/support/engines.js";

// `skillbridge` on placement: `tenants create --placement schema`, `tenants
// move`, `db migrate` and `db status` on the embedded default (PGlite in a
// data dir that starts unmigrated, as on a user's first start), run in-process
// through `main`, what they print and their exit codes; and, as the built
// binary in a new process, `db migrate` interrupted by a real SIGINT.

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages/cli/bin/skillbridge.js");
const home = mkdtempSync(join(tmpdir(), "skillbridge-placement-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  XDG_CONFIG_HOME: join(home, "config"),
  SKILLBRIDGE_DATA_DIR: join(home, "data"),
  CI: "true",
};

describe("skillbridge and placement", () => {
  let schema = "";
  let world: EmbeddedWorld;
  beforeAll(async () => {
    world = await embeddedWorld("pglite", { migrated: false });
  });
  afterAll(async () => {
    await world?.dispose();
  });
  const run = (args: readonly string[]) => runCli(args, world.env);

  it("tenants create --placement schema onboards into a dedicated schema", async () => {
    const created = await run([
      "--json",
      "tenants",
      "create",
      "--slug",
      "west-prep",
      "--name",
      "West Prep",
      "--admin-email",
      "ada@west.example",
      "--admin-name",
      "Ada",
      "--placement",
      "schema",
    ]);
    expect(created.code, created.err).toBe(0);
    const academy = JSON.parse(created.out).academy;
    expect(academy.placement).toBe("schema");
    schema = `academy_${academy.id.replaceAll("-", "")}`;
  });

  it("db status prints each schema's version as plain lines and exits 0 when none is behind", async () => {
    const status = await run(["db", "status"]);
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/\npublic\t\(shared\)\t0009_credentials\tup to date\n/);
    expect(status.out).toContain(`\n${schema}\twest-prep\t0009_credentials\tup to date\n`);
  });

  it("db migrate on an up-to-date database reports nothing to do, progress on stderr", async () => {
    const migrated = await run(["db", "migrate", "--concurrency", "2"]);
    expect(migrated.code, migrated.err).toBe(0);
    expect(migrated.err).toBe("0 of 2 tenant schemas to migrate\n");
    expect(migrated.out).toMatch(/^Migrated PGlite in .*\nlatest: 0009_credentials\nschemas: 2\n/);
    const bad = await run(["db", "migrate", "--concurrency", "many"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('Error: --concurrency must be a whole number from 1 to 32; got "many".\n');
  });

  it("tenants move without --yes and without a terminal refuses at once; with --yes it moves", async () => {
    const refused = await run(["tenants", "move", "west-prep", "--to", "shared"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^Error: Missing --yes: Move academy "west-prep"/);
    const moved = await run(["--json", "--yes", "tenants", "move", "west-prep", "--to", "shared"]);
    expect(moved.code, moved.err).toBe(0);
    expect(JSON.parse(moved.out)).toMatchObject({
      from: "schema",
      to: "shared",
      academy: { placement: "shared" },
    });
    const status = await run(["--json", "db", "status"]);
    expect(JSON.parse(status.out).schemas.map((s: { schema: string }) => s.schema)).toEqual([
      "public",
    ]);
    const missingTo = await run(["tenants", "move", "west-prep"]);
    expect(missingTo.code).toBe(1);
    expect(missingTo.err).toMatch(/--to/);
  });
});

describe.runIf(Boolean(process.env.SKILLBRIDGE_TEST_DATABASE_URL))(
  "db migrate interrupted with Ctrl-C, on PostgreSQL",
  () => {
    it("finishes the schema in hand, exits 130 naming what is left, and the next run continues", async () => {
      const scratch = await createScratchDatabase();
      try {
        const db = await openDatabase({ url: scratch.url, poolSize: 2 });
        await migrate(db);
        for (let i = 0; i < 12; i++) await behindAcademy(db, 1);
        await db.close();

        const pgEnv = { ...env, DATABASE_URL: scratch.url };
        const interrupted = await new Promise<{ code: number | null; out: string; err: string }>(
          (resolve) => {
            const child = spawn(process.execPath, [bin, "db", "migrate", "--concurrency", "1"], {
              cwd: home,
              env: pgEnv,
              stdio: ["pipe", "pipe", "pipe"],
            });
            let out = "";
            let err = "";
            let sent = false;
            child.stdout.on("data", (d) => {
              out += d;
            });
            child.stderr.on("data", (d) => {
              err += d;
              if (!sent && err.includes("[1/12]")) {
                sent = true;
                child.kill("SIGINT");
              }
            });
            child.stdin.end("");
            child.on("close", (code) => resolve({ code, out, err }));
          },
        );
        expect(interrupted.code, interrupted.err).toBe(130);
        expect(interrupted.out).toContain(
          "Interrupted: the schemas in flight finished; rerun to continue.",
        );
        const done = Number(/migrated now: (\d+)/.exec(interrupted.out)?.[1]);
        expect(done).toBeGreaterThanOrEqual(1);
        expect(done).toBeLessThan(12);
        expect(interrupted.out).toContain(`still behind: ${12 - done}`);

        const again = await new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, [bin, "--json", "db", "migrate"], {
            cwd: home,
            env: pgEnv,
            stdio: ["pipe", "pipe", "pipe"],
          });
          let out = "";
          child.stdout.on("data", (d) => {
            out += d;
          });
          child.stdin.end("");
          child.on("close", (code) => resolve({ code, out }));
        });
        expect(again.code).toBe(0);
        const result = JSON.parse(again.out);
        expect(result.migrated).toHaveLength(12 - done);
        expect(result.behind).toEqual([]);
      } finally {
        await scratch.drop();
      }
    });
  },
);
