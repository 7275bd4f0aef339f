import { setFlagsFromString } from "node:v8";

/**
 * PGlite is PostgreSQL compiled to WebAssembly, which V8 compiles again in
 * every process: at once with its baseline compiler (Liftoff), then, on
 * background threads, once more with its optimising one (TurboFan) for the
 * functions that run often. A command that opens the data dir, runs a few
 * statements and exits pays for that second compile and never uses it:
 * `skillbridge tenants list --json` spent about 1.4 of its 3.6 s of CPU on it,
 * and a 15,000-question import took the same wall time without it. So the bin
 * starts every process with tiering off (`--no-wasm-tier-up
 * --no-wasm-dynamic-tiering`), and the commands that run until stopped
 * (`serve`, `worker`) turn it back on here, before their data dir opens (the
 * flags are read when the module is compiled, once per process).
 */
export function optimiseWasm(): void {
  setFlagsFromString("--wasm-tier-up --wasm-dynamic-tiering");
}
