/**
 * The load generator, run as a child process (see `load-client.ts`) so that
 * it never shares the measured server's event loop. It speaks HTTP/1.1 with
 * keep-alive through an undici Pool and times every request.
 */
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import {
  type FromWorker,
  type LoadRequest,
  type LoadResult,
  type LoadSpec,
  SENT_AT_HEADER,
  type ToWorker,
} from "./load-protocol.js";

function send(message: FromWorker): void {
  process.send?.(message);
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.url, {
    connections: spec.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const latencies: number[] = [];
  const okLatencies: number[] = [];
  const okSendLateness: number[] = [];
  const statuses: Record<string, number> = {};
  const samples: Record<string, string> = {};
  /** `scheduledAt`: in an open loop, when the request was due, so a late send counts as waiting. */
  const one = async (request: LoadRequest, scheduledAt?: number): Promise<void> => {
    const started = scheduledAt ?? performance.now();
    const late = performance.now() - started;
    let status = "error";
    let text = "";
    try {
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const response = await pool.request({
        method: request.method ?? "GET",
        path: request.path,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...request.headers,
          // When it left, on the clock every process shares (support/stage-ladder.ts reads it).
          ...(scheduledAt === undefined
            ? {}
            : { [SENT_AT_HEADER]: (performance.timeOrigin + performance.now()).toFixed(3) }),
        },
        ...(body === undefined ? {} : { body }),
      });
      text = await response.body.text();
      status = String(response.statusCode);
    } catch (error) {
      text = error instanceof Error ? error.message : String(error);
    }
    const ms = performance.now() - started;
    latencies.push(ms);
    if (status.startsWith("2")) {
      okLatencies.push(ms);
      okSendLateness.push(late);
    }
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (!(status in samples)) samples[status] = text.slice(0, 300);
  };
  const at = (i: number): LoadRequest => {
    const request = spec.requests[i % spec.requests.length];
    if (!request) throw new Error("no requests to send");
    return request;
  };
  const started = performance.now();
  if (spec.mode === "closed") {
    const deadline = started + spec.durationMs;
    let next = 0;
    const loop = async () => {
      while (performance.now() < deadline) await one(at(next++));
    };
    await Promise.all(Array.from({ length: spec.connections }, loop));
  } else if (spec.mode === "sequence") {
    let next = 0;
    const loop = async () => {
      while (next < spec.requests.length) await one(at(next++));
    };
    await Promise.all(Array.from({ length: spec.connections }, loop));
  } else {
    // Open loop: the i-th request leaves at started + i / rate. A timer tick
    // sends every request that is due, so a late tick catches up; latency is
    // timed from the schedule (coordinated omission would hide queueing).
    const interval = 1000 / spec.ratePerSecond;
    const total = Math.floor((spec.durationMs / 1000) * spec.ratePerSecond);
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (sent < total && started + sent * interval <= now) {
          // Timed from when it was due, not when the tick got to it: a
          // late tick, or a wait for a free connection, is queueing too.
          const p = one(at(sent), started + sent * interval).finally(() => inFlight.delete(p));
          inFlight.add(p);
          sent += 1;
        }
        if (sent >= total) resolve();
        else setTimeout(tick, Math.max(0, Math.min(5, started + sent * interval - now)));
      };
      tick();
    });
    await Promise.all(inFlight);
  }
  const elapsedMs = performance.now() - started;
  await pool.close();
  return { elapsedMs, latencies, okLatencies, okSendLateness, statuses, samples };
}

process.on("message", (message: ToWorker) => {
  if (message.type !== "run") return;
  run(message.spec).then(
    (result) => send({ type: "result", id: message.id, result }),
    (error: unknown) =>
      send({
        type: "error",
        id: message.id,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
