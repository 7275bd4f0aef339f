import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// What an integrator installs: `npm pack` of the SDK (after the build that
// the global setup keeps fresh) holds the bundle, its types and the README,
// and nothing of the workspace's tests or other packages' sources.

const sdk = join(import.meta.dirname, "..", "packages", "sdk");

interface PackResult {
  files: { path: string }[];
}

describe("the @skillbridge/sdk package", () => {
  it("npm pack holds dist, README and package.json only", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: sdk,
      encoding: "utf8",
    });
    const [pack] = JSON.parse(out) as PackResult[];
    const paths = (pack?.files ?? []).map((f) => f.path).sort();
    expect(paths).toContain("dist/index.js");
    expect(paths).toContain("dist/index.d.ts");
    expect(paths).toContain("README.md");
    for (const path of paths) {
      expect(path, path).toMatch(/^(dist\/|README\.md$|package\.json$)/);
      expect(path, path).not.toMatch(/\.test\.|(^|\/)test\/|\.tsx?$(?<!\.d\.ts)/);
    }
  });

  it("depends on zod and undici only, and its bundle imports no other workspace package", () => {
    const manifest = JSON.parse(readFileSync(join(sdk, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["undici", "zod"]);
    const bundle = readFileSync(join(sdk, "dist", "index.js"), "utf8");
    const imported = [...bundle.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imported.length).toBeGreaterThan(0);
    const allowed = new Set(["zod", "undici", ...builtinModules]);
    for (const name of imported) {
      expect(allowed.has((name ?? "").replace(/^node:/, "")), `imports ${name}`).toBe(true);
    }
    const types = readFileSync(join(sdk, "dist", "index.d.ts"), "utf8");
    expect(types).not.toMatch(/from ["']@skillbridge\/(core|server)/);
  });
});
