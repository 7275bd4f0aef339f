/**
 * The run's results: `bench/results/latest.json` and the Markdown printed
 * at the end. Targets sit beside the figures as met or missed; a missed
 * target is a finding to read, never a failed run.
 */

import type { PracticeFigures } from "../practice-answer.js";
import type { ImportFigures } from "../question-import.js";
import type { MachineInfo } from "../support/machine.js";
import type { EmbeddedFigures } from "./embedded.js";
import type { FairnessFigures } from "./fairness.js";
import type { IsolationFigures } from "./isolation.js";
import type { OnboardingFigures, SchemaOnboardingFigures } from "./onboarding.js";
import type { TenantScaleFigures } from "./tenant-scale.js";
import type { WorkersFigures } from "./workers.js";

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
  onboardingSchema: SchemaOnboardingFigures | null;
  fairness: FairnessFigures | null;
  embedded: EmbeddedFigures | null;
  /** `POST /practice-sets/:id/answers` beside `GET /courses` (bench/practice-answer.ts). */
  practice: PracticeFigures | null;
  /** `skillbridge serve --workers 1` against `--workers 2` (suite/workers.ts); no target. */
  workers: WorkersFigures | null;
  targets: Target[];
  errors: string[];
}

export function targetsOf(r: Report): Target[] {
  const out: Target[] = [];
  const at = (name: string, figure: number | undefined, target: string, met: boolean) => {
    if (figure !== undefined) out.push({ name, figure, target, met });
  };
  const i = r.isolationOverhead;
  if (i) {
    at("isolationOverhead.ratio", i.ratio, ">= 0.50", i.ratio >= 0.5);
    if (i.cpuRatio !== null)
      at("isolationOverhead.cpuRatio", i.cpuRatio, ">= 0.50", i.cpuRatio >= 0.5);
  }
  const s = r.tenantScale;
  if (s) at("tenantScale.ratio", s.ratio, "<= 1.25", s.ratio <= 1.25);
  const m = r.import;
  if (m) at("import.ratio", m.ratio, ">= 0.5", m.ratio >= 0.5);
  if (m) at("import.fileRatio", m.fileRatio, ">= 0.5", m.fileRatio >= 0.5);
  const o = r.onboarding;
  if (o) at("onboarding.p50Ms", o.p50Ms, "<= 15 ms", o.p50Ms <= 15);
  const os = r.onboardingSchema;
  if (os) at("onboardingSchema.p50Ms", os.p50Ms, "<= 50 ms", os.p50Ms <= 50);
  const f = r.fairness;
  if (f) at("fairness.ratio", f.ratio, "<= 1.5", f.ratio <= 1.5);
  if (f) at("fairness.admittedShare", f.admittedShare, ">= 0.70", f.admittedShare >= 0.7);
  const e = r.embedded;
  if (e) at("embedded.versionRatio", e.versionRatio, "<= 3", e.versionRatio <= 3);
  if (e) at("embedded.freshRatio", e.freshRatio, "<= 1.5", e.freshRatio <= 1.5);
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
  if (i) {
    const cpu = (ms: number | null) => `${n(ms ?? undefined, 3)} ms CPU/req`;
    log(
      `| isolation overhead: GET /courses?limit=20, req/s | ${int(i.fullStackRps)} (p99 ${n(i.fullStackP99Ms, 1)} ms; ${cpu(i.cpuMsPerRequest.fullStack)}) | ` +
        `minimal handler ${int(i.baselineRps)} (p99 ${n(i.baselineP99Ms, 1)} ms; ${cpu(i.cpuMsPerRequest.baseline)}) | ratio ${n(i.ratio)} | >= 0.50 | ${verdict(target("isolationOverhead.ratio"))} |`,
    );
    log(
      `| isolation overhead, CPU per request (server + PostgreSQL) | ${cpu(i.cpuMsPerRequest.fullStack)} | ${cpu(i.cpuMsPerRequest.baseline)} | cpuRatio ${n(i.cpuRatio ?? undefined)} | >= 0.50 | ${verdict(target("isolationOverhead.cpuRatio"))} |`,
    );
    log(
      `| isolation overhead against the same guarantee (jose + EXISTS re-check + SELECT) | ${int(i.fullStackRps)} req/s | ${int(i.sameGuaranteeRps)} req/s (${cpu(i.cpuMsPerRequest.sameGuarantee)}) | sameGuaranteeRatio ${n(i.sameGuaranteeRatio)} (CPU ratio ${n(i.sameGuaranteeCpuRatio ?? undefined)}) | none | |`,
    );
  }
  const s = r.tenantScale;
  if (s)
    log(
      `| tenant scale: p50 at ${int(s.academiesLarge)} academies (${int(s.tenantRowsLarge)} rows, tokens of ${int(s.tokensLarge)} academies) vs ${s.academiesSmall}, open loop ${int(s.ratePerSecond)}/s (30 % of ${int(s.capacityRps)}) | ` +
        `${n(s.p50At10000)} ms | ${n(s.p50At10)} ms | ratio ${n(s.ratio)} (${s.pairRatios.length} mirrored pairs: mean ${n(s.pairRatioMean)}, 95 % CI ${n(s.pairRatioCi95[0])}-${n(s.pairRatioCi95[1])}) | <= 1.25 | ${verdict(target("tenantScale.ratio"))} |`,
    );
  const pr = r.practice;
  if (pr)
    log(
      `| practice answer on ${int(pr.questions)} questions: p50 | ${n(pr.answerP50Ms)} ms (${n(pr.answerRps, 1)} req/s) | ` +
        `${n(pr.coursesP50Ms)} ms, GET /courses (${n(pr.coursesRps, 1)} req/s) | ratio ${n(pr.p50Ratio)} | none | |`,
    );
  const m = r.import;
  if (m)
    log(
      `| import: ${int(m.questions)} questions, rows/s | ${int(m.questionsPerSec)} | ${int(m.copyRowsPerSec)} (COPY) | ` +
        `ratio ${n(m.ratio)} | >= 0.5 | ${verdict(target("import.ratio"))} |`,
    );
  if (m)
    log(
      `| import, whole file path (read, validate, write), rows/s | ${int(m.filePathRowsPerSec)} | ${int(m.copyRowsPerSec)} (COPY) | ` +
        `ratio ${n(m.fileRatio)} | >= 0.5 | ${verdict(target("import.fileRatio"))} |`,
    );
  if (m)
    log(
      `| import through the CLI (\`skillbridge questions import\`, embedded), q/s | ${int(m.cliRowsPerSec)} | | | none | |`,
    );
  const onboardingRow = (
    label: string,
    x: OnboardingFigures,
    limit: string,
    name: string,
    extra = "",
  ) =>
    log(
      `| onboarding (${label} placement${extra}) by invitation, p50 / p99 | ${n(x.p50Ms, 1)} / ${n(x.p99Ms, 1)} ms | ` +
        `with a password: p50 ${n(x.password.p50Ms, 1)} ms (scrypt alone ${n(x.password.hashP50Ms, 1)} ms; cheap hash ${n(x.password.cheapHashP50Ms, 1)} ms) | ` +
        `${n(x.p50Ms / x.password.p50Ms)} of the password onboarding | p50 ${limit} | ${verdict(target(name))} |`,
    );
  const o = r.onboarding;
  if (o) onboardingRow("shared", o, "<= 15 ms", "onboarding.p50Ms");
  const os = r.onboardingSchema;
  if (os) {
    onboardingRow(
      "schema",
      os,
      "<= 50 ms",
      "onboardingSchema.p50Ms",
      `, ${os.spareSchemas} spare schemas kept ready`,
    );
    log(
      `| onboarding (schema placement) by invitation with no spare ready, p50 / p99 | ${n(os.cold.p50Ms, 1)} / ${n(os.cold.p99Ms, 1)} ms | | ${n(os.p50Ms / os.cold.p50Ms)} of it with a spare | none | |`,
    );
  } else if (o) log("| onboarding (schema placement) | not available | | | | |");
  const f = r.fairness;
  if (f) {
    log(
      `| fairness: quiet academies' p99 under ${f.floodAcademies} flooding academies (${int(f.floodOfferedRps)}/s offered, budget ${int(f.limitPerSecond)}/s each) | ` +
        `${n(f.quietP99UnderFlood)} ms | ${n(f.quietP99Alone)} ms alone | ratio ${n(f.ratio)} | <= 1.5 | ${verdict(target("fairness.ratio"))} |`,
    );
    log(
      `| fairness: the flood's admitted req/s, share of capacity | ${int(f.floodAdmittedRps)} | ${int(f.capacityRps)} (closed loop, no limits) | ${n(f.admittedShare)} | >= 0.70 | ${verdict(target("fairness.admittedShare"))} |`,
    );
  }
  const e = r.embedded;
  if (e) {
    log(
      `| CLI: \`skillbridge --version\` (process start, entry load), p50 | ${int(e.versionBaseline.p50Ms)} ms | ${int(e.nodeBaseline.p50Ms)} ms (\`node -e 0\`) | ratio ${n(e.versionRatio)} | <= 3 | ${verdict(target("embedded.versionRatio"))} |`,
    );
    log(
      `| CLI: a new PGlite data dir against an existing one, \`tenants list\` p50 | ${int(e.pglite.tenantsListFresh.p50Ms)} ms | ${int(e.pglite.tenantsListExisting.p50Ms)} ms | freshRatio ${n(e.freshRatio)} | <= 1.5 | ${verdict(target("embedded.freshRatio"))} |`,
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

  const w = r.workers;
  if (w)
    log(
      `| \`skillbridge serve --workers 2\` against \`--workers 1\` (${w.cpus} CPUs, limits in ${w.redis ? "Redis" : "memory"}), GET /courses req/s | ${int(w.two.rps)} | ${int(w.one.rps)} | ratio ${n(w.ratio)} | (no target) | |`,
    );

  if (i) {
    log("\n## Isolation overhead: where the difference goes\n");
    log(
      "| stage | waits (round trips) | statements | req/s | p50 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | / baseline req/s |",
    );
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const stage of i.stages)
      log(
        `| ${stage.name} | ${i.roundTrips[stage.name] ?? "?"} | ${i.statements?.[stage.name] ?? "?"} | ${int(stage.rps)} | ${n(stage.latency.p50)} | ` +
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
      `\nFairness: quiet p50 ${n(f.quietP50Alone)} ms alone, ${n(f.quietP50UnderFlood)} ms under the flood ` +
        `(${f.samplesAlone} and ${f.samplesUnderFlood} samples, timed from the scheduled send); ` +
        `quiet traffic ${n(f.quietRate, 0)} req/s (${n(f.quietShare)} of capacity); ` +
        `quiet requests refused: ${f.quietRefused}; flood answers ${JSON.stringify(f.floodStatuses)}. ` +
        `Servers: pool ${f.settings.poolSize}, tenantSlots ${f.settings.tenantSlots}${f.settings.adaptiveSlots ? " (adaptive)" : ""}, ` +
        `loop turns ${f.settings.loopTurns ? "on" : "off"}. Under the flood the server's event loop was ` +
        `${n(f.loopUnderFlood.utilisation * 100, 0)} % busy (a 1 ms timer fired after ${n(f.loopUnderFlood.delayP99Ms)} ms at p99); ` +
        `garbage collection paused it ${f.loopUnderFlood.gcPauses} times, ${n(f.loopUnderFlood.gcShare * 100, 1)} % of the time, longest ${n(f.loopUnderFlood.gcLongestMs)} ms.`,
    );
    log(
      "\nThe quiet academies' requests inside the server, stage by stage (each gap's own percentiles, ms; support/stage-ladder.ts):\n",
    );
    log("| stage | p50 alone | p99 alone | p50 flood | p99 flood | p99 flood / alone |");
    log("| --- | ---: | ---: | ---: | ---: | ---: |");
    type Percentiles = { readonly p50: number; readonly p99: number };
    const row = (name: string, alone: Percentiles, flood: Percentiles) =>
      log(
        `| ${name} | ${n(alone.p50)} | ${n(alone.p99)} | ${n(flood.p50)} | ${n(flood.p99)} | ${n(flood.p99 / alone.p99)} |`,
      );
    row(
      "sent late by the load process (before the request left)",
      f.quietSendLateness.alone,
      f.quietSendLateness.flood,
    );
    for (const stage of f.stages) row(stage.name, stage.alone, stage.flood);
    row(
      "as the client measured it, from when the request left (less its late send)",
      f.quietFromSend.alone,
      f.quietFromSend.flood,
    );
    row(
      "as the client measured it, from the scheduled send (the figure against the target)",
      { p50: f.quietP50Alone, p99: f.quietP99Alone },
      { p50: f.quietP50UnderFlood, p99: f.quietP99UnderFlood },
    );
    log(
      "\nThe slowest 1 % of each stage (at or above its p99) against the garbage collector's pauses:\n",
    );
    log(
      "| stage | alone: mean ms, with a pause, pause ms of it | flood: mean ms, with a pause, pause ms of it |",
    );
    log("| --- | ---: | ---: |");
    const tail = (t: (typeof f.stages)[number]["tail"]["alone"]) =>
      `${n(t.meanMs)}, ${n(t.withPause * 100, 0)} %, ${n(t.meanPauseMs)}`;
    for (const stage of f.stages)
      log(`| ${stage.name} | ${tail(stage.tail.alone)} | ${tail(stage.tail.flood)} |`);
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
