import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../packages/core/src/index.js";
import { createTally } from "./support/tally.js";

// A new embedded data dir starts as a copy of the migrated data dir the build
// bundles (docs/cli.md). The copy is a shortcut, never a requirement: a
// template that does not start is removed and the data dir is initialised
// (`initdb` in WebAssembly, which is why this fault lives here and not in
// `npm test`).

const tally = createTally("faults-data-dir");
afterAll(() => tally.save());

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-faults-data-dir-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("a damaged bundled data dir", () => {
  it("a template that does not start only costs the shortcut: the data dir is initialised and migrates", async () => {
    const broken = tempDir();
    writeFileSync(join(broken, "PG_VERSION"), "17\n");
    writeFileSync(join(broken, "postgresql.conf"), "this is not a configuration\n");
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir, templateDir: broken });
    try {
      const applied = (await migrate(db)).flatMap((r) => r.applied);
      expect(applied.length).toBeGreaterThan(0);
      tally.faults += 1;
      tally.note(
        `a bundled data dir that does not start: initialised instead, ${applied.length} migrations applied`,
      );
    } finally {
      await db.close();
    }
  });
});
