#!/usr/bin/env node
// `npm run test:reliability`: the reliability and security suite
// (test/reliability, vitest.reliability.config.ts) against real PostgreSQL and
// Redis, then one closing line:
//
//   attacks N, leaks L, faults F survived, lost W
//
// Exit status: vitest's when it failed; otherwise 1 on any leak or lost write,
// or when a file's counts are missing; 0 else. Arguments are passed to vitest
// (e.g. a file name to run one part).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const missing = ["SKILLBRIDGE_TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(
    `test:reliability: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set.\n` +
      "The suite runs against real PostgreSQL and Redis, for example:\n" +
      "  SKILLBRIDGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\\n" +
      "  REDIS_URL=redis://127.0.0.1:6379 npm run test:reliability",
  );
  process.exit(2);
}

const results = mkdtempSync(join(tmpdir(), "skillbridge-reliability-"));
// vitest's own launcher, beside its package.json (the file is not in its exports map).
const vitest = join(
  dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
  "vitest.mjs",
);
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [vitest, "run", "--config", "vitest.reliability.config.ts", ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, RELIABILITY_RESULTS_DIR: results } },
);

const files = readdirSync(results).filter((name) => name.endsWith(".json"));
const totals = { attacks: 0, leaks: 0, faults: 0, lost: 0, requests: 0 };
const notes = [];
for (const file of files.sort()) {
  const counts = JSON.parse(readFileSync(join(results, file), "utf8"));
  for (const key of Object.keys(totals)) totals[key] += counts[key] ?? 0;
  for (const note of counts.notes ?? []) notes.push(`  ${counts.name}: ${note}`);
}
rmSync(results, { recursive: true, force: true });

const seconds = Math.round((Date.now() - started) / 1000);
console.log("");
console.log(
  `reliability figures (${files.length} files, ${totals.requests} requests, ${seconds} s):`,
);
for (const note of notes) console.log(note);
console.log(
  `attacks ${totals.attacks}, leaks ${totals.leaks}, faults ${totals.faults} survived, lost ${totals.lost}`,
);

const testFiles = readdirSync("test/reliability").filter((name) => name.endsWith(".test.ts"));
const partial = process.argv.length > 2;
let status = run.status ?? 1;
if (status === 0 && (totals.leaks > 0 || totals.lost > 0)) status = 1;
if (status === 0 && !partial && files.length < testFiles.length) {
  console.error(`test:reliability: counts from ${files.length} of ${testFiles.length} files`);
  status = 1;
}
process.exit(status);
