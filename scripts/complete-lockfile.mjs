#!/usr/bin/env node
// Completes package-lock.json with the other platforms' optional binaries.
//
// Why: the registry mirror this project is developed against serves only the
// binaries of its own platform, so `npm install` cannot record the others
// (it gets a 404 for, say, @rollup/rollup-darwin-arm64). npm 11's `npm ci`
// then refuses the lockfile ("Missing: … from lock file"), here and on any
// machine with the full registry. An entry with `version`, `os`, `cpu` and
// `libc` is all `npm ci` needs to skip a package that does not fit the
// machine, and those facts follow from the package's name.
//
//   node scripts/complete-lockfile.mjs          (after every `npm install`)
//   node scripts/complete-lockfile.mjs --check  (CI: fail if entries are missing)

import { readFileSync, writeFileSync } from "node:fs";

const OS = [
  "android",
  "darwin",
  "freebsd",
  "linux",
  "win32",
  "openbsd",
  "openharmony",
  "netbsd",
  "sunos",
  "aix",
];
const CPU = ["arm64", "x64", "ia32", "arm", "riscv64", "ppc64", "s390x", "loong64", "mips64el"];
const LIBC = { gnu: "glibc", gnueabihf: "glibc", musl: "musl", musleabihf: "musl" };

/** `{ os, cpu, libc? }` from a platform package name such as `@rollup/rollup-linux-arm64-musl`. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const abi = parts.at(-1);
  return { os: [os], cpu: [cpu], ...(LIBC[abi] ? { libc: [LIBC[abi]] } : {}) };
}

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;
const added = [];
const unknown = [];

for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    const nested = `${path}/node_modules/${dep}`;
    if (packages[key] || packages[nested]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(range)) {
      unknown.push(`${dep}@${range} (optional dependency of ${path || "the root"})`);
      continue;
    }
    packages[key] = {
      version: range,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...platform,
    };
    added.push(`${dep}@${range}`);
  }
}

if (process.argv.includes("--check")) {
  if (added.length > 0) {
    console.error(
      `package-lock.json lacks ${added.length} platform entries; run: node scripts/complete-lockfile.mjs`,
    );
    process.exit(1);
  }
  console.log("package-lock.json: every optional platform binary is recorded");
} else {
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
  );
  lock.packages = sorted;
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(
    `package-lock.json: added ${added.length} platform entries${added.length ? `: ${added.join(", ")}` : ""}`,
  );
}
if (unknown.length > 0)
  console.error(`not recognised as platform binaries, left alone: ${unknown.join("; ")}`);
