/**
 * The benchmark's side of a load process: forks `load-worker.ts` (a separate
 * Node process, so load generation never runs on the measured server's event
 * loop) and hands it one run at a time.
 *
 * @example
 * const load = await startLoadProcess();
 * const result = await load.run({ mode: "closed", url, connections: 16, durationMs: 3000, requests });
 * load.stop();
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FromWorker, LoadResult, LoadSpec, ToWorker } from "./load-protocol.js";

export interface LoadProcess {
  readonly pid: number | undefined;
  run(spec: LoadSpec): Promise<LoadResult>;
  stop(): void;
}

const WORKER = fileURLToPath(new URL("./load-worker.ts", import.meta.url));

export async function startLoadProcess(): Promise<LoadProcess> {
  // The benchmark runs under tsx, whose loader the child inherits through execArgv.
  const child: ChildProcess = fork(WORKER, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<
    number,
    { resolve: (r: LoadResult) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      if (message.type === "ready") {
        child.off("message", onMessage);
        resolve();
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`the load process exited (${code})`)));
  });
  child.on("message", (message: FromWorker) => {
    if (message.type === "ready") return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.type === "result") waiting.resolve(message.result);
    else waiting.reject(new Error(`load process: ${message.message}`));
  });
  child.on("exit", (code) => {
    for (const waiting of pending.values())
      waiting.reject(new Error(`the load process exited (${code})`));
    pending.clear();
  });
  return {
    pid: child.pid,
    run(spec) {
      const id = nextId++;
      return new Promise<LoadResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ type: "run", id, spec } satisfies ToWorker);
      });
    },
    stop() {
      if (child.connected) child.disconnect();
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}
