import { defineConfig } from "vitest/config";

// `npm run test:reliability` (scripts/reliability.mjs runs this config): the
// reliability and security suite, against real PostgreSQL and Redis. Files run
// one at a time so faults and load measurements do not disturb each other.
export default defineConfig({
  resolve: {
    conditions: ["@skillbridge/source"],
  },
  ssr: {
    resolve: {
      conditions: ["@skillbridge/source"],
    },
  },
  test: {
    include: ["test/reliability/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: "forks",
    // The import fault case runs the built `skillbridge` binary; test databases
    // start from one prepared copy (packages/core/test/support/database-templates.ts).
    globalSetup: ["test/support/build-once.ts", "test/support/database-templates-setup.ts"],
    reporters: ["default"],
  },
});
