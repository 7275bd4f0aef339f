/**
 * Node flags that keep WebAssembly on V8's baseline code (no optimising tier):
 * what `bin/skillbridge.js` sets for its commands (cli/src/connection/wasm-tiers.ts).
 * The processes tests spawn to run PGlite through the library (examples, kill
 * tests) start with them: such a process opens a database, runs a few
 * statements and exits, and would otherwise spend a second or more of CPU
 * compiling PGlite's hot functions again (`test/examples.test.ts` alone: 38 s
 * to 29 s). They change how fast code runs, never what it does. The test
 * workers keep V8's defaults: they live for the whole run, and with the flags
 * a full run used the same CPU (514 against 517 s).
 */
export const BASELINE_WASM: readonly string[] = ["--no-wasm-tier-up", "--no-wasm-dynamic-tiering"];
