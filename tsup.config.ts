import { defineConfig, type Options } from "tsup";

// One build for every publishable package: ESM, Node 20, declarations. The
// `@skillbridge/source` condition is only for in-repo type checks and tests;
// published `dist` resolves sibling packages through their own `exports`.
const shared = {
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  // Libraries: dependencies resolve from the installing project, never bundled.
  skipNodeModulesBundle: true,
  tsconfig: "tsconfig.build.json",
} satisfies Options;

export default defineConfig([
  {
    ...shared,
    entry: {
      index: "packages/core/src/index.ts",
      "contracts/index": "packages/core/src/contracts/index.ts",
      "questions/index": "packages/core/src/questions/index.ts",
    },
    outDir: "packages/core/dist",
    // A migrated PGlite data dir beside the bundle: new embedded data dirs start from it.
    onSuccess: "node scripts/build-pglite-data-dir.mjs",
  },
  {
    ...shared,
    entry: { index: "packages/server/src/index.ts" },
    outDir: "packages/server/dist",
  },
  {
    ...shared,
    entry: { index: "packages/sdk/src/index.ts" },
    outDir: "packages/sdk/dist",
    tsconfig: "packages/sdk/tsconfig.build.json",
    // The SDK stands alone: the contracts are bundled in (code and declarations),
    // read from core's sources, so its only runtime dependencies are zod and undici.
    noExternal: [/^@skillbridge\/core/],
    // rollup-plugin-dts treats the symlinked workspace package as an external library,
    // so the contracts' declarations are reached through a path to core's sources.
    dts: {
      resolve: [/^@skillbridge\/core/],
      compilerOptions: {
        paths: { "@skillbridge/core/contracts": ["./packages/core/src/contracts/index.ts"] },
      },
    },
    esbuildOptions(options) {
      options.conditions = ["@skillbridge/source"];
    },
  },

  {
    ...shared,
    entry: { index: "packages/cli/src/index.ts", main: "packages/cli/src/main.ts" },
    outDir: "packages/cli/dist",
    // Chunks, so a command's dynamic import stays lazy: `skillbridge --version`
    // loads main.js and commander, not Ink, React, the SDK or the server.
    splitting: true,
  },
]);
