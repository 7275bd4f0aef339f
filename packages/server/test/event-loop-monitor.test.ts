import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchEventLoop } from "../src/event-loop-monitor.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// One request that keeps the CPU busy stalls every other request of every
// academy (#18 finding 1). The server watches its event loop: a stall over
// 100 ms is a warning in the log (rate-limited), and /ready reports the p99.

/** Holds the event loop, as a runaway request would. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else in this process runs meanwhile
  }
}

/**
 * Lets the loop turn: the delay sampler records a stall when its timer next
 * fires, and a window's first tick after a reset only sets its clock.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "info" },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe("the event-loop watch", () => {
  it("a stall of 250 ms is logged as a warning naming the delay", async () => {
    const { logger, lines } = capturingLogger();
    const monitor = watchEventLoop({ logger, windowMs: 60_000 });
    try {
      monitor.check();
      await settle();
      block(250);
      await settle();
      monitor.check();
      const warnings = lines.filter((l) => l.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.msg).toMatch(/event loop delayed/);
      expect(warnings[0]?.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(200);
      expect(warnings[0]?.thresholdMs).toBe(100);
    } finally {
      monitor.stop();
    }
  });

  it("a loop that is not held past the threshold logs nothing", async () => {
    const { logger, lines } = capturingLogger();
    // A high threshold: a shared, loaded machine can pause a process for a while on its own.
    const monitor = watchEventLoop({ logger, windowMs: 60_000, thresholdMs: 500 });
    try {
      monitor.check();
      await new Promise((resolve) => setTimeout(resolve, 120));
      monitor.check();
      expect(lines.filter((l) => l.level === 40)).toEqual([]);
      expect(monitor.figures().maxMs).toBeLessThan(500);
    } finally {
      monitor.stop();
    }
  });

  it("repeated stalls are one warning per interval, not a flood", async () => {
    const { logger, lines } = capturingLogger();
    const monitor = watchEventLoop({ logger, windowMs: 60_000, logEveryMs: 60_000 });
    try {
      monitor.check();
      await settle();
      for (let i = 0; i < 5; i++) {
        block(130);
        await settle();
        monitor.check();
        await settle();
      }
      const warnings = lines.filter((l) => l.level === 40);
      expect(warnings).toHaveLength(1);
    } finally {
      monitor.stop();
    }
    // With no interval between lines, each window over the threshold is its own line.
    const second = capturingLogger();
    const eager = watchEventLoop({ logger: second.logger, windowMs: 60_000, logEveryMs: 0 });
    try {
      eager.check();
      await settle();
      for (let i = 0; i < 3; i++) {
        block(130);
        await settle();
        eager.check();
        await settle();
      }
      expect(second.lines.filter((l) => l.level === 40)).toHaveLength(3);
    } finally {
      eager.stop();
    }
  });
});

describe.each(ENGINES)("GET /ready on %s", (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("keeps status: ready and adds the event loop's p99 delay, which a stall raises", async () => {
    const quiet = await t.request("GET", "/ready");
    expect(quiet.status).toBe(200);
    expect(quiet.body.status).toBe("ready");
    expect(typeof quiet.body.eventLoopDelayP99Ms).toBe("number");
    expect(quiet.body.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);

    const monitor = t.app.context.deps.eventLoop;
    monitor.check();
    await settle();
    block(300);
    await settle();
    monitor.check();
    const stalled = await t.request("GET", "/ready");
    expect(stalled.status).toBe(200);
    expect(stalled.body).toEqual({ status: "ready", eventLoopDelayP99Ms: expect.any(Number) });
    expect(stalled.body.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(100);
  });
});
