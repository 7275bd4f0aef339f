import { defineConfig } from "vitest/config";

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
    include: ["packages/*/test/**/*.test.{ts,tsx}", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The CLI end-to-end tests run the built binary: rebuild first when sources are newer.
    globalSetup: ["test/support/build-once.ts"],
    reporters: ["default"],
  },
});
