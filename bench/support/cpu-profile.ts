/**
 * Where this process spends its CPU while `work` runs: a V8 CPU profile
 * (node:inspector) with each sample's self time charged to the package of its
 * function (`koa`, `zod`, `pg`, `@skillbridge/core`, `node:` internals, ...).
 * Used on the full-stack server, which runs in this process, during a segment
 * that is not counted in the figures (the profiler slows it down).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuShare {
  readonly category: string;
  /** Share of the busy (non-idle) samples, 0..1. */
  readonly share: number;
  readonly ms: number;
}

/** The package a script URL belongs to. */
function categoryOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) {
    if (functionName === "(root)") return "(root)";
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(program)") return "V8 (program)";
    return "native";
  }
  if (url.startsWith("node:")) {
    if (url.includes("http") || url.includes("_http")) return "node:http";
    if (url.includes("net") || url.includes("stream")) return "node:net/stream";
    return "node: other internals";
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules?.[1]) {
    const name = modules[1];
    if (name.startsWith("pg") || name === "postgres-array" || name.startsWith("postgres-"))
      return "pg (driver, protocol, types)";
    if (name.startsWith("@koa") || name.startsWith("koa") || name === "path-to-regexp")
      return "koa + router";
    return name;
  }
  const own = /packages\/([^/]+)\/(?:src|dist)\/(.*)$/.exec(url);
  if (own?.[1]) return `@skillbridge/${own[1]} ${own[2]?.split("/")[0] ?? ""}`.trim();
  if (url.includes("/bench/")) return "bench harness";
  return "other";
}

export async function profileCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; shares: CpuShare[]; busyMs: number }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  let result: T;
  let profile: Profile;
  try {
    result = await work();
  } finally {
    ({ profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile });
    await session.post("Profiler.disable");
    session.disconnect();
  }
  // The whole profile, for a function-by-function look (Chrome DevTools opens a .cpuprofile).
  const out = process.env.BENCH_PROFILE_OUT;
  if (out) writeFileSync(out, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  // Native functions and node's internals (socket writes, streams, timers, a
  // hash) are charged to the nearest library or application frame that called
  // them, so "pg" includes the socket writes of its queries; time with no such
  // frame on the stack (reading sockets, parsing HTTP, the event loop) is
  // "node: I/O and HTTP, no library on the stack".
  const category = new Map<number, string>();
  const isLibrary = (c: string) =>
    !c.startsWith("node:") && c !== "native" && c !== "(root)" && c !== "other";
  const categoryFor = (id: number): string => {
    const known = category.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = node ? categoryOf(node) : "other";
    let found = own;
    if (!isLibrary(own) && !["(idle)", "GC", "V8 (program)"].includes(own)) {
      const up = parent.get(id);
      const above = up === undefined ? "(root)" : categoryFor(up);
      found = isLibrary(above) ? above : "node: I/O and HTTP, no library on the stack";
    }
    category.set(id, found);
    return found;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const category = categoryFor(id);
    ms.set(category, (ms.get(category) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  ms.delete("(idle)");
  const busyMs = [...ms.values()].reduce((a, b) => a + b, 0);
  const shares = [...ms.entries()]
    .map(([category, t]) => ({ category, ms: t, share: t / busyMs }))
    .sort((a, b) => b.ms - a.ms);
  return { result, shares, busyMs };
}
