import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOrCreateSigningSecret } from "../src/index.js";

describe("embedded signing secret", () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-secret-"));
    dirs.push(dir);
    return join(dir, "data");
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("is generated once, kept with mode 0600, and the same on every later start", () => {
    const dataDir = fresh();
    const first = loadOrCreateSigningSecret(dataDir);
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, "jwt-secret")).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSigningSecret(dataDir)).toBe(first);
    expect(loadOrCreateSigningSecret(fresh())).not.toBe(first);
  });

  it("tightens a secret file whose mode was loosened", () => {
    const dataDir = fresh();
    const secret = loadOrCreateSigningSecret(dataDir);
    chmodSync(join(dataDir, "jwt-secret"), 0o644);
    expect(loadOrCreateSigningSecret(dataDir)).toBe(secret);
    expect(statSync(join(dataDir, "jwt-secret")).mode & 0o777).toBe(0o600);
  });

  it("replaces a truncated secret rather than signing with a weak one", () => {
    const dataDir = fresh();
    loadOrCreateSigningSecret(dataDir);
    writeFileSync(join(dataDir, "jwt-secret"), "short\n");
    const replaced = loadOrCreateSigningSecret(dataDir);
    expect(replaced).not.toBe("short");
    expect(readFileSync(join(dataDir, "jwt-secret"), "utf8").trim()).toBe(replaced);
  });
});
