/**
 * What this process's event loop and garbage collector did over a stretch
 * of time: the full stack runs in the benchmark's own process, so this is
 * the server's loop. Read beside a latency tail, it says whether the wait
 * was the loop (busy, or delayed) or a collection's pause.
 */
import { monitorEventLoopDelay, PerformanceObserver, performance } from "node:perf_hooks";

export interface LoopFigures {
  /** Share of the time the loop was not waiting for I/O (`eventLoopUtilization`). */
  readonly utilisation: number;
  /** How long a timer set for 1 ms took to fire, p99, ms (1 on an idle loop). */
  readonly delayP99Ms: number;
  /** Share of the time spent in garbage-collection pauses. */
  readonly gcShare: number;
  readonly gcPauses: number;
  readonly gcLongestMs: number;
}

export function watchLoop(): { stop(): LoopFigures } {
  const started = performance.now();
  const utilisation = performance.eventLoopUtilization();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const pauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  gc.observe({ entryTypes: ["gc"] });
  delay.enable();
  return {
    stop() {
      delay.disable();
      gc.disconnect();
      const elapsed = performance.now() - started;
      const paused = pauses.reduce((sum, ms) => sum + ms, 0);
      return {
        utilisation: performance.eventLoopUtilization(utilisation).utilization,
        delayP99Ms: delay.percentile(99) / 1e6,
        gcShare: elapsed > 0 ? paused / elapsed : 0,
        gcPauses: pauses.length,
        gcLongestMs: pauses.reduce((max, ms) => Math.max(max, ms), 0),
      };
    },
  };
}
