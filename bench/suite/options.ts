import { POOL_SIZE } from "../support/servers.js";

/** What `npm run bench` was asked to do, and how long each part takes (full or --quick). */
export interface BenchOptions {
  readonly quick: boolean;
  readonly baseUrl: string;
  /** Academies in the large database (10,000; fewer with --quick). */
  readonly scaleAcademies: number;
  /** Questions for the import benchmark. */
  readonly questions: number;
  /** One measured segment of a closed-loop comparison, ms (each side gets two, ABBA). */
  readonly segmentMs: number;
  readonly warmupMs: number;
  /**
   * One window of a closed-loop comparison's warm-up, ms: each side warms up
   * window by window until its rate stops climbing (`abba.ts`).
   */
  readonly warmupWindowMs: number;
  /** One segment of the fairness comparison, ms. */
  readonly fairnessSegmentMs: number;
  /**
   * The connection pool of the fairness side's servers (`BENCH_FAIRNESS_POOL`,
   * default the other servers' 10): a small pool makes the pool the bottleneck,
   * where the academy gate's order decides who waits.
   */
  readonly fairnessPoolSize: number;
  /** The fairness side's `tenantSlots` (`BENCH_FAIRNESS_SLOTS`; default the server's: the pool). */
  readonly fairnessSlots: number | undefined;
  /** The fairness side's `adaptiveSlots` (`BENCH_FAIRNESS_ADAPTIVE=1`; default the server's: off). */
  readonly fairnessAdaptive: boolean;
  /** The fairness side's `loopTurns` (`BENCH_FAIRNESS_LOOP_TURNS=0` turns it off; default the server's: on). */
  readonly fairnessLoopTurns: boolean;
  readonly onboardings: number;
  /** Runs of each CLI cold start. */
  readonly coldStarts: number;
}

export function benchOptions(baseUrl: string, argv: readonly string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const env = process.env;
  const num = (name: string, fallback: number) => {
    const value = env[name];
    return value === undefined || value === "" ? fallback : Number(value);
  };
  return {
    quick,
    baseUrl,
    scaleAcademies: num("BENCH_ACADEMIES", 10_000),
    questions: num("BENCH_QUESTIONS", quick ? 20_000 : 100_000),
    segmentMs: quick ? 2_000 : 4_000,
    warmupMs: quick ? 1_000 : 2_000,
    warmupWindowMs: quick ? 500 : 1_000,
    fairnessSegmentMs: quick ? 5_000 : 10_000,
    fairnessPoolSize: num("BENCH_FAIRNESS_POOL", POOL_SIZE),
    fairnessSlots: env.BENCH_FAIRNESS_SLOTS ? Number(env.BENCH_FAIRNESS_SLOTS) : undefined,
    fairnessAdaptive: env.BENCH_FAIRNESS_ADAPTIVE === "1",
    fairnessLoopTurns: env.BENCH_FAIRNESS_LOOP_TURNS !== "0",
    onboardings: quick ? 10 : 30,
    coldStarts: quick ? 2 : 3,
  };
}
