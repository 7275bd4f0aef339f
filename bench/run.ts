/**
 * `npm run bench` (add `-- --quick` for a run under 5 minutes): every
 * benchmark of issue #12, each beside a baseline measured in the same run on
 * the same machine, printed as a Markdown table and written to
 * `bench/results/latest.json`. Targets are printed beside the figures as met
 * or missed; they never fail the run (exit 1 means a benchmark broke).
 *
 * Sections (`--only=isolation,scale,fairness,onboarding,import,embedded,practice,workers`
 * runs a subset): isolation overhead, tenant scale, fairness, onboarding,
 * the question importer, the CLI's cold start, a practice answer beside
 * GET /courses (`practice-answer.ts`), `serve --workers` 1 against 2
 * (`suite/workers.ts`). See bench/README.md.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { measurePractice } from "./practice-answer.js";
import { type ImportFigures, runImportBench } from "./question-import.js";
import { measureEmbedded } from "./suite/embedded.js";
import { measureFairness } from "./suite/fairness.js";
import { measureIsolation } from "./suite/isolation.js";
import { measureOnboarding } from "./suite/onboarding.js";
import { benchOptions } from "./suite/options.js";
import { printReport, type Report, targetsOf } from "./suite/report.js";
import { measureTenantScale } from "./suite/tenant-scale.js";
import { measureWorkers } from "./suite/workers.js";
import { createWorld, type World } from "./suite/world.js";
import { startLoadProcess } from "./support/load-client.js";
import { machineInfo, sampleLoad } from "./support/machine.js";
import { requireDatabaseUrl, serverVersion } from "./support/scratch-database.js";

const SECTIONS = [
  "isolation",
  "scale",
  "fairness",
  "onboarding",
  "import",
  "embedded",
  "practice",
  "workers",
] as const;
type Section = (typeof SECTIONS)[number];

function selected(argv: readonly string[]): Set<Section> {
  const only = argv.find((a) => a.startsWith("--only="));
  if (!only) return new Set(SECTIONS);
  const names = only.slice("--only=".length).split(",");
  for (const name of names)
    if (!(SECTIONS as readonly string[]).includes(name)) {
      console.error(`bench: unknown section "${name}" (one of ${SECTIONS.join(", ")})`);
      process.exit(1);
    }
  return new Set(names as Section[]);
}

async function main(): Promise<number> {
  const baseUrl = requireDatabaseUrl("npm run bench");
  const argv = process.argv.slice(2);
  const options = benchOptions(baseUrl, argv);
  const sections = selected(argv);
  const log = (line: string) => console.log(line);
  const started = performance.now();
  const load = sampleLoad();
  const machine = machineInfo(await serverVersion(baseUrl));
  log(
    `npm run bench${options.quick ? " --quick" : ""}: ${machine.nproc} CPUs (${machine.cpuModel}), ` +
      `node ${machine.node}, PostgreSQL ${machine.postgres}, load average now ${load.stop().mean.toFixed(2)}`,
  );
  const sampler = sampleLoad();
  const report: Report = {
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    machine,
    loadAverage: { min: Number.NaN, mean: Number.NaN, max: Number.NaN },
    durationSeconds: 0,
    notes: [
      "Shared machine: other engineers ran tests on the same cores during this run; compare ratios, not absolute figures.",
    ],
    isolationOverhead: null,
    tenantScale: null,
    import: null,
    onboarding: null,
    onboardingSchema: null,
    fairness: null,
    embedded: null,
    practice: null,
    workers: null,
    targets: [],
    errors: [],
  };
  const attempt = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
    const t0 = performance.now();
    log(`\n## ${name}`);
    try {
      const result = await fn();
      log(`  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      return result;
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`  ${name} failed: ${message}`);
      report.errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };

  const jwtSecret = randomBytes(48).toString("base64url");
  const needsWorld = ["isolation", "scale", "fairness", "onboarding", "workers"].some((s) =>
    sections.has(s as Section),
  );
  let world: World | null = null;
  const loadProcess = await startLoadProcess();
  try {
    if (needsWorld) {
      const large = sections.has("scale") || sections.has("fairness");
      world = await attempt("seed", () => createWorld(options, log, { large }));
    }
    if (world) {
      const w = world;
      if (sections.has("isolation"))
        report.isolationOverhead = await attempt("isolation overhead", () =>
          measureIsolation(options, w, loadProcess, jwtSecret, log),
        );
      if (sections.has("scale"))
        report.tenantScale = await attempt("tenant scale", () =>
          measureTenantScale(options, w, loadProcess, jwtSecret, log),
        );
      if (sections.has("fairness"))
        report.fairness = await attempt("fairness", () =>
          measureFairness(options, w, loadProcess, jwtSecret, log),
        );
      if (sections.has("workers"))
        report.workers = await attempt("serve --workers 1 and 2", () =>
          measureWorkers(options, w, loadProcess, jwtSecret, log),
        );
      if (sections.has("onboarding")) {
        const onboarding = await attempt("onboarding", () =>
          measureOnboarding(options, w, loadProcess, jwtSecret, log),
        );
        report.onboarding = onboarding?.shared ?? null;
        report.onboardingSchema = onboarding?.schema ?? null;
        report.notes.push(...(onboarding?.notes ?? []));
      }
      await w.drop();
      world = null;
    }
    if (sections.has("import")) {
      const figures: ImportFigures | null = await attempt("import", () =>
        runImportBench({
          url: baseUrl,
          count: options.questions,
          log: (line) => log(`  ${line}`),
        }),
      );
      report.import = figures;
      if (figures && figures.questions !== 100_000)
        report.notes.push(
          `import ran on ${figures.questions.toLocaleString("en-US")} questions, not 100,000${options.quick ? " (--quick)" : ""}`,
        );
    }
    if (sections.has("embedded"))
      report.embedded = await attempt("embedded (CLI cold start)", () =>
        measureEmbedded(options, log),
      );
    if (sections.has("practice"))
      report.practice = await attempt("practice answer beside GET /courses", () =>
        measurePractice(options, jwtSecret, log),
      );
  } finally {
    loadProcess.stop();
    await world?.drop();
  }
  if (options.scaleAcademies !== 10_000)
    report.notes.push(`tenant scale used ${options.scaleAcademies} academies (BENCH_ACADEMIES)`);
  const loadAverage = sampler.stop();
  report.loadAverage = loadAverage;
  report.durationSeconds = (performance.now() - started) / 1000;
  report.targets = targetsOf(report);

  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report, log);
  log(`\nWritten to bench/results/latest.json (${report.durationSeconds.toFixed(0)} s in all).`);
  return report.errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
