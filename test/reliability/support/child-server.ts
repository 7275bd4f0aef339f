import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ChildServerOptions } from "./server-process.js";

const ENTRY = fileURLToPath(new URL("./server-process.ts", import.meta.url));

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves when the process ends, with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** The server's heap after a forced full GC, in bytes. */
  heapUsed(): Promise<number>;
  /** What the server wrote to stderr (its warn and error logs). */
  log(): string;
  kill(signal: NodeJS.Signals): void;
}

const children = new Set<ChildProcess>();
// A test that fails midway must not leave servers behind.
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/**
 * Starts the API server in a child process (Node with the TypeScript sources
 * through tsx, GC exposed for heap samples) and waits until it listens.
 */
export async function spawnChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const child = fork(ENTRY, [], {
    execArgv: ["--conditions=@skillbridge/source", "--import", "tsx", "--expose-gc"],
    env: { ...process.env, RELIABILITY_SERVER: JSON.stringify(options) },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  children.add(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-200_000);
  });
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start:\n${stderr}`)),
      60_000,
    );
    child.on("message", (message: ChildMessage) => {
      if (message.type === "listening") {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    process: child,
    exited,
    alive: () => running,
    heapUsed: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no heap sample")), 30_000);
        const onMessage = (message: ChildMessage) => {
          if (message.type !== "heap") return;
          clearTimeout(timer);
          child.off("message", onMessage);
          resolve(message.heapUsed);
        };
        child.on("message", onMessage);
        child.send({ type: "heap" });
      }),
    log: () => stderr,
    kill: (signal) => {
      child.kill(signal);
    },
  };
}
