import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Logger } from "pino";

/**
 * Watches the event loop, where one request's CPU work stalls every other
 * request of every academy. Node samples the loop's delay
 * (`perf_hooks.monitorEventLoopDelay`); every window the figures are read
 * and the histogram starts afresh, so `/ready` reports the last window's
 * p99 and a stall shows up as a warning. The warning is rate-limited: at
 * most one line per `logEveryMs`, carrying how many windows went over since
 * the last line, so a struggling server is not also flooded by its own log.
 */
export interface EventLoopMonitorOptions {
  readonly logger: Logger;
  /** A window whose worst delay is above this is a stall (default 100 ms). */
  readonly thresholdMs?: number;
  /** How long one window is (default 5 s). */
  readonly windowMs?: number;
  /** The least time between two warnings (default 60 s). */
  readonly logEveryMs?: number;
  /** The sampling resolution of the histogram (default 10 ms). */
  readonly resolutionMs?: number;
}

export interface EventLoopFigures {
  /** The 99th percentile of the loop's delay over the last full window (the current one before the first). */
  readonly p99Ms: number;
  /** The worst delay in that window. */
  readonly maxMs: number;
}

export interface EventLoopMonitor {
  figures(): EventLoopFigures;
  /** Reads the current window now (the timer does this every window). */
  check(): void;
  stop(): void;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function watchEventLoop(options: EventLoopMonitorOptions): EventLoopMonitor {
  const thresholdMs = options.thresholdMs ?? 100;
  const logEveryMs = options.logEveryMs ?? 60_000;
  const histogram = monitorEventLoopDelay({ resolution: options.resolutionMs ?? 10 });
  histogram.enable();
  let last: EventLoopFigures | undefined;
  let lastLogAt = Number.NEGATIVE_INFINITY;
  let overSinceLog = 0;
  let worstSinceLog = 0;

  const current = (): EventLoopFigures =>
    histogram.count === 0
      ? { p99Ms: 0, maxMs: 0 }
      : { p99Ms: round(histogram.percentile(99) / 1e6), maxMs: round(histogram.max / 1e6) };

  const check = () => {
    const window = current();
    histogram.reset();
    last = window;
    if (window.maxMs <= thresholdMs) return;
    overSinceLog++;
    worstSinceLog = Math.max(worstSinceLog, window.maxMs);
    const now = Date.now();
    if (now - lastLogAt < logEveryMs) return;
    options.logger.warn(
      {
        eventLoopDelayMaxMs: worstSinceLog,
        eventLoopDelayP99Ms: window.p99Ms,
        windowsOverThreshold: overSinceLog,
        thresholdMs,
      },
      "event loop delayed: a request or job is blocking every other request",
    );
    lastLogAt = now;
    overSinceLog = 0;
    worstSinceLog = 0;
  };
  const timer = setInterval(check, options.windowMs ?? 5_000);
  timer.unref();

  return {
    figures: () => last ?? current(),
    check,
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
