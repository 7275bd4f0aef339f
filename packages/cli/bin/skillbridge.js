#!/usr/bin/env node
// NO_COLOR (https://no-color.org) must be seen before the terminal styling
// library loads, so it is turned into FORCE_COLOR=0 ahead of the import.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = "0";
// A reader that went away (`| head`) is no crash: the rest of the output has nowhere to go.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
});
// PGlite's WebAssembly stays on V8's baseline code: a command that runs a few
// statements and exits never uses the optimised code it would pay to compile
// (about 1.4 s of CPU). `serve` and `worker` turn tiering back on: see
// src/connection/wasm-tiers.ts.
(await import("node:v8")).setFlagsFromString("--no-wasm-tier-up --no-wasm-dynamic-tiering");
const { main, exitWhenFlushed } = await import("../dist/main.js");
// The whole output, then the exit: a pipe takes 64 KiB at a time, and an exit
// before it drained would cut the rest off.
await exitWhenFlushed(await main(process.argv));
