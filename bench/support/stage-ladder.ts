/**
 * The fairness benchmark's stage ladder: where a quiet academy's request
 * spends its time inside the server, alone and under the flood. The server
 * marks each stage on a diagnostics channel (server
 * `diagnostics/request-stages.ts`); the full stack runs in this process, so
 * subscribing here sees them. Each gap between two stages is summarised on
 * its own (a p99 per gap, not a sum), beside the server's whole time
 * (`received` to `sent`). Two more come from the load process: how late it
 * sent a request after it was due (`okSendLateness`), and from the moment it
 * sent it (a header, on the wall clock both processes read through
 * `performance.timeOrigin`) to `received`: the kernel, the wait for the
 * server's event loop to read the socket, and HTTP parsing.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { PerformanceObserver, performance } from "node:perf_hooks";
import {
  REQUEST_STAGES_CHANNEL,
  type RequestStage,
  type RequestStageEvent,
} from "@skillbridge/server";
import { SENT_AT_HEADER } from "./load-protocol.js";
import { type LatencySummary, summarise } from "./stats.js";

/** The gaps reported, each from one stage to the next a read reaches. */
export const GAPS = [
  {
    name: "from leaving the load process to received (kernel, the server's loop, HTTP parsing)",
    from: "left",
    to: "received",
  },
  { name: "token check", from: "received", to: "authenticated" },
  { name: "limiter, validation, gate wait", from: "authenticated", to: "admitted" },
  { name: "tenant transaction", from: "admitted", to: "transacted" },
  {
    name: "after the transaction: the handler's rest, the output schema",
    from: "transacted",
    to: "handled",
  },
  { name: "response written", from: "handled", to: "sent" },
  { name: "in the server (received to sent)", from: "received", to: "sent" },
  { name: "from leaving the load process to sent", from: "left", to: "sent" },
] as const satisfies readonly { name: string; from: Stage; to: Stage }[];

/** The server's stages, and `left`: when the load process sent the request (its header). */
type Stage = RequestStage | "left";

export type Condition = "alone" | "flood";

/**
 * The slowest 1 % of a gap's samples (those at or above its p99), against
 * the garbage collector's pauses in this process: how many of them had a
 * pause inside their window, and how much of their time pauses took.
 */
export interface TailFigures {
  readonly count: number;
  /** Share of the tail's samples with a collection's pause inside their window, 0..1. */
  readonly withPause: number;
  readonly meanMs: number;
  /** Pause time inside a tail sample's window, on average over the tail. */
  readonly meanPauseMs: number;
}

export interface StageFigures {
  readonly name: string;
  readonly alone: LatencySummary;
  readonly flood: LatencySummary;
  readonly tail: Record<Condition, TailFigures>;
}

/** Milliseconds of `pauses` (sorted by start, not overlapping) inside [from, to]. */
function pausedWithin(pauses: readonly (readonly [number, number])[], from: number, to: number) {
  let lo = 0;
  let hi = pauses.length;
  // The first pause that ends after `from`.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pauses[mid]?.[1] ?? 0) <= from) lo = mid + 1;
    else hi = mid;
  }
  let ms = 0;
  for (let k = lo; k < pauses.length; k += 1) {
    const [start, end] = pauses[k] as readonly [number, number];
    if (start >= to) break;
    ms += Math.min(end, to) - Math.max(start, from);
  }
  return ms;
}

function tailOf(
  windows: readonly (readonly [number, number])[],
  pauses: readonly (readonly [number, number])[],
): TailFigures {
  const sorted = [...windows].sort((a, b) => a[1] - a[0] - (b[1] - b[0]));
  const tail = sorted.slice(Math.min(sorted.length, Math.floor(sorted.length * 0.99)));
  if (tail.length === 0) return { count: 0, withPause: 0, meanMs: 0, meanPauseMs: 0 };
  const paused = tail.map(([from, to]) => pausedWithin(pauses, from, to));
  return {
    count: tail.length,
    withPause: paused.filter((ms) => ms > 0).length / tail.length,
    meanMs: tail.reduce((sum, [from, to]) => sum + (to - from), 0) / tail.length,
    meanPauseMs: paused.reduce((sum, ms) => sum + ms, 0) / tail.length,
  };
}

type Marks = Partial<Record<Stage, number>> & { condition: Condition };

export function watchStages(quietAcademies: readonly string[]): {
  /** Requests received from now on count for `condition` (null: for none). */
  during(condition: Condition | null): void;
  stop(): StageFigures[];
} {
  const quiet = new Set(quietAcademies);
  const marks = new WeakMap<IncomingMessage, Marks>();
  const samples: Record<Condition, Record<string, [number, number][]>> = { alone: {}, flood: {} };
  // The collector's pauses, [start, end] on this process's performance clock.
  const pauses: [number, number][] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      pauses.push([entry.startTime, entry.startTime + entry.duration]);
  });
  gc.observe({ entryTypes: ["gc"] });
  let current: Condition | null = null;
  // Once stopped (the bench stops it again on its way out), the figures stay as they were.
  let figures: StageFigures[] | undefined;
  const onEvent = (message: unknown) => {
    const event = message as RequestStageEvent;
    if (event.stage === "received") {
      if (!current) return;
      const m: Marks = { condition: current, received: event.at };
      const sentAt = Number(event.request.headers[SENT_AT_HEADER]);
      // On this process's performance clock (both read the same wall clock through timeOrigin).
      if (Number.isFinite(sentAt) && sentAt > 0) m.left = sentAt - performance.timeOrigin;
      marks.set(event.request, m);
      return;
    }
    const m = marks.get(event.request);
    if (!m) return;
    if (event.academyId === undefined || !quiet.has(event.academyId)) {
      marks.delete(event.request);
      return;
    }
    // The first time a stage is reached counts (a route with two transactions marks them twice).
    m[event.stage] ??= event.at;
    if (event.stage !== "sent") return;
    marks.delete(event.request);
    for (const gap of GAPS) {
      const from = m[gap.from];
      const to = m[gap.to];
      if (from === undefined || to === undefined) continue;
      const byGap = samples[m.condition];
      byGap[gap.name] ??= [];
      byGap[gap.name]?.push([from, to]);
    }
  };
  subscribe(REQUEST_STAGES_CHANNEL, onEvent);
  return {
    during(condition) {
      current = condition;
    },
    stop() {
      if (figures) return figures;
      unsubscribe(REQUEST_STAGES_CHANNEL, onEvent);
      gc.disconnect();
      pauses.sort((a, b) => a[0] - b[0]);
      const lengths = (windows: readonly [number, number][] = []) =>
        windows.map(([from, to]) => to - from);
      figures = GAPS.map((gap) => ({
        name: gap.name,
        alone: summarise(lengths(samples.alone[gap.name])),
        flood: summarise(lengths(samples.flood[gap.name])),
        tail: {
          alone: tailOf(samples.alone[gap.name] ?? [], pauses),
          flood: tailOf(samples.flood[gap.name] ?? [], pauses),
        },
      }));
      return figures;
    },
  };
}
