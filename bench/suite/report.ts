/**
 * The run's results: `bench/results/latest.json` and the Markdown printed
 * at the end. Targets sit beside the figures as met or missed; a missed
 * target is a finding to read, never a failed run.
 */
import type { ImportFigures } from "../question-import.js";
import type { MachineInfo } from "../support/machine.js";
import type { EmbeddedFigures } from "./embedded.js";
import type { FairnessFigures } from "./fairness.js";
import type { IsolationFigures } from "./isolation.js";
import type { OnboardingFigures } from "./onboarding.js";
import type { TenantScaleFigures } from "./tenant-scale.js";

export interface Target {
  readonly name: string;
  readonly figure: number;
  readonly target: string;
  readonly met: boolean;
}

export interface Report {
  generatedAt: string;
  quick: boolean;
  machine: MachineInfo;
  /** The 1-minute load average, sampled every 5 s during the run. */
  loadAverage: { min: number; mean: number; max: number };
  durationSeconds: number;
  notes: string[];
  isolationOverhead: IsolationFigures | null;
  tenantScale: TenantScaleFigures | null;
  import: ImportFigures | null;
  onboarding: OnboardingFigures | null;
  onboardingSchema: OnboardingFigures | null;
  fairness: FairnessFigures | null;
  embedded: EmbeddedFigures | null;
  targets: Target[];
  errors: string[];
}

export function targetsOf(r: Report): Target[] {
  const out: Target[] = [];
  const at = (name: string, figure: number | undefined, target: string, met: boolean) => {
    if (figure !== undefined) out.push({ name, figure, target, met });
  };
  const i = r.isolationOverhead;
  if (i) at("isolationOverhead.ratio", i.ratio, ">= 0.75", i.ratio >= 0.75);
  const s = r.tenantScale;
  if (s) at("tenantScale.ratio", s.ratio, "<= 1.25", s.ratio <= 1.25);
  const m = r.import;
  if (m) at("import.ratio", m.ratio, ">= 0.5", m.ratio >= 0.5);
  const o = r.onboarding;
  if (o) at("onboarding.p50Ms", o.p50Ms, "<= 50 ms", o.p50Ms <= 50);
  const os = r.onboardingSchema;
  if (os) at("onboardingSchema.p50Ms", os.p50Ms, "<= 50 ms", os.p50Ms <= 50);
  const f = r.fairness;
  if (f) at("fairness.ratio", f.ratio, "<= 1.5", f.ratio <= 1.5);
  return out;
}

const n = (value: number | undefined, digits = 2) =>
  value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
const int = (value: number) => Math.round(value).toLocaleString("en-US");
const verdict = (t: Target | undefined) => (t ? (t.met ? "**met**" : "**missed**") : "");

export function printReport(r: Report, log: (line: string) => void): void {
  const target = (name: string) => r.targets.find((t) => t.name === name);
  log("\n# Results\n");
  log(
    `${r.machine.nproc} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, node ${r.machine.node}, ` +
      `PostgreSQL ${r.machine.postgres}; load average (1 min) during the run ` +
      `${n(r.loadAverage.min)}-${n(r.loadAverage.max)} (mean ${n(r.loadAverage.mean)}) on ${r.machine.nproc} CPUs. ` +
      "The machine is shared: other engineers ran tests on the same cores meanwhile, so read the ratios; " +
      "each measured side ran beside its baseline in the same run, in mirrored (ABBA) order.\n",
  );
  log("| benchmark | measured | baseline (same run) | figure | target | |");
  log("| --- | ---: | ---: | ---: | --- | --- |");
  const i = r.isolationOverhead;
  if (i)
    log(
      `| isolation overhead: GET /courses?limit=20, req/s | ${int(i.fullStackRps)} (p99 ${n(i.fullStackP99Ms, 1)} ms) | ` +
        `${int(i.baselineRps)} (p99 ${n(i.baselineP99Ms, 1)} ms) | ratio ${n(i.ratio)} (CPU ratio ${n(i.cpuRatio ?? undefined)}) | >= 0.75 | ${verdict(target("isolationOverhead.ratio"))} |`,
    );
  const s = r.tenantScale;
  if (s)
    log(
      `| tenant scale: p50 at ${int(s.academiesLarge)} academies (${int(s.tenantRowsLarge)} rows) vs ${s.academiesSmall} | ` +
        `${n(s.p50At10000)} ms | ${n(s.p50At10)} ms | ratio ${n(s.ratio)} | <= 1.25 | ${verdict(target("tenantScale.ratio"))} |`,
    );
  const m = r.import;
  if (m)
    log(
      `| import: ${int(m.questions)} questions, rows/s | ${int(m.questionsPerSec)} | ${int(m.copyRowsPerSec)} (COPY) | ` +
        `ratio ${n(m.ratio)} | >= 0.5 | ${verdict(target("import.ratio"))} |`,
    );
  const o = r.onboarding;
  if (o)
    log(
      `| onboarding (shared placement), p50 / p99 | ${n(o.p50Ms, 1)} / ${n(o.p99Ms, 1)} ms | ` +
        `scrypt hash alone p50 ${n(o.hashP50Ms, 1)} ms | with a cheap hash: p50 ${n(o.cheapHashP50Ms, 1)} ms, p99 ${n(o.cheapHashP99Ms, 1)} ms | p50 <= 50 ms | ${verdict(target("onboarding.p50Ms"))} |`,
    );
  const os = r.onboardingSchema;
  if (os)
    log(
      `| onboarding (schema placement), p50 / p99 | ${n(os.p50Ms, 1)} / ${n(os.p99Ms, 1)} ms | ` +
        `scrypt hash alone p50 ${n(os.hashP50Ms, 1)} ms | with a cheap hash: p50 ${n(os.cheapHashP50Ms, 1)} ms, p99 ${n(os.cheapHashP99Ms, 1)} ms | p50 <= 50 ms | ${verdict(target("onboardingSchema.p50Ms"))} |`,
    );
  else if (o) log("| onboarding (schema placement) | not available | | | | |");
  const f = r.fairness;
  if (f)
    log(
      `| fairness: quiet academy p99 under a ${int(f.floodRate)}/s flood (budget ${int(f.limitPerSecond)}/s) | ` +
        `${n(f.quietP99UnderFlood)} ms | ${n(f.quietP99Alone)} ms alone | ratio ${n(f.ratio)} | <= 1.5 | ${verdict(target("fairness.ratio"))} |`,
    );
  const e = r.embedded;
  if (e) {
    log(
      `| CLI baseline: \`skillbridge --version\` (process start, module load), p50 | ${int(e.versionBaseline.p50Ms)} ms | | | (no target) | |`,
    );
    for (const [engine, figures] of [
      ["PGlite", e.pglite],
      ["PostgreSQL", e.postgres],
    ] as const)
      log(
        `| CLI cold start on ${engine}, p50: \`tenants list\` fresh / existing, \`serve\` to /ready | ` +
          `${int(figures.tenantsListFresh.p50Ms)} / ${int(figures.tenantsListExisting.p50Ms)} ms, ${int(figures.serveUntilReady.p50Ms)} ms | | | (no target) | |`,
      );
  }

  if (i) {
    log("\n## Isolation overhead: where the difference goes\n");
    log(
      "| stage | round trips | req/s | p50 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | / baseline req/s |",
    );
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const stage of i.stages)
      log(
        `| ${stage.name} | ${i.roundTrips[stage.name] ?? "?"} | ${int(stage.rps)} | ${n(stage.latency.p50)} | ` +
          `${n(stage.latency.p99)} | ${n(stage.cpuPerRequest?.nodeMs, 3)} | ${n(stage.cpuPerRequest?.postgresMs, 3)} | ` +
          `${n(stage.rps / i.baselineRps)} |`,
      );
    log("\nThe full stack's SQL per request:");
    i.fullStackSql.forEach((text, k) => {
      log(`  ${k + 1}. ${text}`);
    });
    log(
      "\nCPU profile of the full-stack server's process (a separate, uncounted segment), top 12:\n",
    );
    log("| where | share of busy CPU |");
    log("| --- | ---: |");
    for (const share of i.profile.slice(0, 12))
      log(`| ${share.category} | ${(share.share * 100).toFixed(1)} % |`);
  }
  if (f) {
    log(
      `\nFairness: quiet p50 ${n(f.quietP50Alone)} ms alone, ${n(f.quietP50UnderFlood)} ms under the flood; ` +
        `quiet p99 under the same rate of invalid tokens (refused at authentication, no database work) ${n(f.quietP99UnderRefusedFlood)} ms; ` +
        `quiet requests refused: ${f.quietRefused}; flood answers ${JSON.stringify(f.floodStatuses)}.`,
    );
  }
  if (r.notes.length > 0) {
    log("\nNotes:");
    for (const note of r.notes) log(`- ${note}`);
  }
  if (r.errors.length > 0) {
    log("\nErrors (these benchmarks did not finish):");
    for (const error of r.errors) log(`- ${error}`);
  }
}
