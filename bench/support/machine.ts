/**
 * What a figure came from: the machine (CPUs, model), PostgreSQL's version and
 * how busy the machine was while the benchmark ran (load average sampled every
 * few seconds). Shared machines make absolute figures move; these say how much.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly postgres: string;
}

export function machineInfo(postgres: string): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres,
  };
}

/** The 1-minute load average now (NaN where /proc is missing). */
export function loadAverage(): number {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}

/** Samples the 1-minute load average every `everyMs` until stopped. */
export function sampleLoad(everyMs = 5_000): {
  stop(): { min: number; max: number; mean: number };
} {
  const samples = [loadAverage()];
  const timer = setInterval(() => samples.push(loadAverage()), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadAverage());
      const ok = samples.filter(Number.isFinite);
      return {
        min: Math.min(...ok),
        max: Math.max(...ok),
        mean: ok.reduce((a, b) => a + b, 0) / Math.max(1, ok.length),
      };
    },
  };
}
