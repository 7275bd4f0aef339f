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
import { performance } from "node:perf_hooks";
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
] as const satisfies readonly { name: string; from: Stage; to: Stage }[];

/** The server's stages, and `left`: when the load process sent the request (its header). */
type Stage = RequestStage | "left";

export type Condition = "alone" | "flood";

export interface StageFigures {
  readonly name: string;
  readonly alone: LatencySummary;
  readonly flood: LatencySummary;
}

type Marks = Partial<Record<Stage, number>> & { condition: Condition };

export function watchStages(quietAcademies: readonly string[]): {
  /** Requests received from now on count for `condition` (null: for none). */
  during(condition: Condition | null): void;
  stop(): StageFigures[];
} {
  const quiet = new Set(quietAcademies);
  const marks = new WeakMap<IncomingMessage, Marks>();
  const samples: Record<Condition, Record<string, number[]>> = { alone: {}, flood: {} };
  let current: Condition | null = null;
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
      byGap[gap.name]?.push(to - from);
    }
  };
  subscribe(REQUEST_STAGES_CHANNEL, onEvent);
  return {
    during(condition) {
      current = condition;
    },
    stop() {
      unsubscribe(REQUEST_STAGES_CHANNEL, onEvent);
      return GAPS.map((gap) => ({
        name: gap.name,
        alone: summarise(samples.alone[gap.name] ?? []),
        flood: summarise(samples.flood[gap.name] ?? []),
      }));
    },
  };
}
