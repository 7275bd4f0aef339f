import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Each layer of core uses only the ones below it: no module reaches back, even
// for a type, to a module that imports it. Read from the sources, so a new
// circle fails here the day it is written.

const SRC = resolve(import.meta.dirname, "../src");

/** Circles tolerated for now: none. */
const KNOWN: readonly (readonly string[])[] = [];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports and re-exports of each module, type-only ones included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+"(\.[^"]+)";/gms)].map(
      (match) => resolve(dirname(file), (match[1] ?? "").replace(/\.js$/, ".ts")),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components of more than one module (Tarjan), as sorted relative paths. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(relative(SRC, member));
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe("core's import graph", () => {
  const found = circles(importGraph());

  it("has no import circle", () => {
    const known = new Set(KNOWN.map((circle) => [...circle].sort().join(" ↔ ")));
    expect(found.map((c) => c.join(" ↔ ")).filter((c) => !known.has(c))).toEqual([]);
  });

  it("the placement runner and the migration lists no longer import each other", () => {
    const graph = importGraph();
    const runner = join(SRC, "placement/tenant-schema-runner.ts");
    const lists = join(SRC, "schema/migrate.ts");
    expect(graph.get(runner)).toContain(lists);
    expect(graph.get(lists)).not.toContain(runner);
    expect(found.flat()).not.toContain("schema/migrate.ts");
  });

  it("the AI layer never reaches up into services or learning", () => {
    const graph = importGraph();
    const upward = [...graph.entries()].flatMap(([file, targets]) =>
      relative(SRC, file).startsWith("ai/")
        ? targets
            .map((target) => relative(SRC, target))
            .filter((target) => /^(services|learning)\//.test(target))
            .map((target) => `${relative(SRC, file)} → ${target}`)
        : [],
    );
    expect(upward).toEqual([]);
  });
});
