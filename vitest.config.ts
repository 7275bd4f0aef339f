import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

/** The tests of how a text path's work grows with its input (see the "growth" project). */
const GROWTH = "packages/core/test/linear-work-*.test.ts";

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript source, so tests need no build.
    conditions: ["@skillbridge/source"],
  },
  ssr: {
    resolve: {
      conditions: ["@skillbridge/source"],
    },
  },
  test: {
    // Which files, and the global setup, are set per project below (arrays set
    // here would be joined to each project's own, not replaced).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // A worker keeps its modules from one test file to the next (#22): with a
    // fresh module graph per file, loading the packages' sources cost about
    // 4 s a file, more than most files' tests (12 small files: 46 s isolated,
    // 16 s shared). Test files therefore leave no global state behind:
    // environment stubs are undone after each test (`unstubEnvs`), chalk's
    // colour level is set and restored in the files that need colours, and
    // servers, databases and timers are closed in their hooks.
    isolate: false,
    unstubEnvs: true,
    // vitest's default is one worker per core but one, which is a single worker
    // on two cores: much of a file's time is spent waiting on PostgreSQL, a
    // spawned binary or a socket, so two files at a time keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["packages/*/test/**/*.test.{ts,tsx}", "test/**/*.test.ts"],
          // Minutes long and in need of PostgreSQL and Redis: `npm run test:reliability`.
          exclude: [...configDefaults.exclude, "test/reliability/**", GROWTH],
          // The CLI end-to-end tests run the built binary: rebuild first when sources are newer.
          // Test databases start from one prepared copy (template, snapshots): see
          // packages/core/test/support/database-templates.ts.
          // One seed per run for the sampled matrices (printed): test/support/test-seed.ts.
          globalSetup: [
            "test/support/build-once.ts",
            "test/support/database-templates-setup.ts",
            "test/support/test-seed.ts",
          ],
        },
      },
      // The growth tests time a path on inputs of n and 2n characters (CPU time,
      // packages/core/test/support/work-growth.ts). Beside the CLI files'
      // spawned binaries their readings drifted from 2 to 3-3.5 on linear
      // paths, so they run last, on a machine the rest of the suite has left,
      // two files at a time (one per core: their readings matched a run of one
      // file at a time, 810 measures against 405). They need no database and no
      // built binary.
      {
        extends: true,
        test: {
          name: "growth",
          include: [GROWTH],
          maxWorkers: Math.min(2, availableParallelism()),
          // A young generation of 64 MB (V8's default is 16): with the default,
          // inputs past about 64 K characters moved their garbage into the old
          // generation and one doubling read 3-5 on a linear path, so the
          // measure went on to larger inputs (the next doubling, runs of 100-300
          // ms). Quadratic work still reads about 4. The project's CPU time fell
          // from 71 to 54 s (#22); docs/development.md, "Why the suite is fast".
          execArgv: ["--max-semi-space-size=64"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
