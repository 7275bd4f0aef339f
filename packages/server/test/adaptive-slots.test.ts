import { describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { seedAcademy } from "../../core/test/support/seed.js";
import { AcademyGate } from "../src/fairness/academy-gate.js";
import { AdaptiveSlots } from "../src/fairness/adaptive-slots.js";
import { deferred, settle } from "./support/deferred.js";
import { createTestApp, ENGINES } from "./support/test-app.js";

// `adaptiveSlots` (#21): the gate holds fewer slots while its runs slow down,
// so the queue forms in the gate (academies inside their budget first) and
// not on a saturated CPU; it gives them back when runs are fast again.

/** A clock the test moves by hand. */
function clock() {
  let t = 0;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** One window of `runs` runs that each took `ms`, the clock moved past the window. */
function windowOf(limit: AdaptiveSlots, time: ReturnType<typeof clock>, ms: number, runs = 5) {
  time.advance(100);
  let last = limit.limit;
  for (let i = 0; i < runs; i++) last = limit.record(ms);
  return last;
}

describe("AdaptiveSlots", () => {
  it("stays at the ceiling while runs take as long as they did", () => {
    const time = clock();
    const limit = new AdaptiveSlots({ max: 10, now: time.now });
    for (let w = 0; w < 20; w++) expect(windowOf(limit, time, 1 + (w % 3) * 0.1)).toBe(10);
    expect(limit.uncontendedMs).toBe(1);
  });

  it("halves while runs take more than twice the uncontended time, down to 2, and climbs back a slot a window", () => {
    const time = clock();
    const limit = new AdaptiveSlots({ max: 10, now: time.now });
    windowOf(limit, time, 1);
    const falling = [windowOf(limit, time, 5), windowOf(limit, time, 5), windowOf(limit, time, 5)];
    expect(falling).toEqual([5, 3, 2]);
    expect(windowOf(limit, time, 5)).toBe(2);
    // Between 1.3 and 2 times: held where it is.
    expect(windowOf(limit, time, 1.5)).toBe(2);
    const rising = Array.from({ length: 9 }, () => windowOf(limit, time, 1.1));
    expect(rising).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 10]);
  });

  it("decides once a window has passed and has enough runs, not on every run", () => {
    const time = clock();
    const limit = new AdaptiveSlots({ max: 8, now: time.now });
    windowOf(limit, time, 1);
    // The window has not passed: slow runs change nothing yet.
    for (let i = 0; i < 50; i++) expect(limit.record(10)).toBe(8);
    time.advance(100);
    // Past the window, four more runs are still too few... the fifth decides (its median is 10).
    expect(limit.record(10)).toBe(4);
  });

  it("forgets an uncontended time older than its memory, so a slower mix of work is not read as contention for ever", () => {
    const time = clock();
    const limit = new AdaptiveSlots({ max: 8, memory: 3, now: time.now });
    windowOf(limit, time, 1);
    expect(windowOf(limit, time, 3)).toBe(4);
    expect(windowOf(limit, time, 3)).toBe(2);
    // The third 3 ms window pushes the 1 ms one out: 3 ms is now the uncontended time.
    expect(windowOf(limit, time, 3)).toBe(3);
    expect(limit.uncontendedMs).toBe(3);
    expect(windowOf(limit, time, 3)).toBe(4);
  });

  it("never goes under its floor, nor over a ceiling lower than the floor", () => {
    const time = clock();
    const one = new AdaptiveSlots({ max: 1, now: time.now });
    windowOf(one, time, 1);
    expect(windowOf(one, time, 50)).toBe(1);
    const limit = new AdaptiveSlots({ max: 6, min: 3, now: time.now });
    windowOf(limit, time, 1);
    expect([windowOf(limit, time, 9), windowOf(limit, time, 9)]).toEqual([3, 3]);
  });
});

describe("AcademyGate with adaptive slots", () => {
  it("holds only the lowered limit after slow runs, serves waiting academies inside their budget first, and hands raised slots out at once", async () => {
    const time = clock();
    const adaptive = new AdaptiveSlots({ max: 4, now: time.now });
    const gate = new AcademyGate(4, 4, adaptive);
    // One fast window, then one slow: runs that each hold their slot 1 ms, then 10 ms.
    for (const ms of [1, 10]) {
      time.advance(100);
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          gate.run(`warm-${i}`, async () => {
            time.advance(ms);
          }),
        ),
      );
    }
    expect(gate.allowed).toBe(2);

    const started: string[] = [];
    const holds = new Map<string, ReturnType<typeof deferred>>();
    const runOf = (academy: string, priority: "first" | "later") => {
      const hold = deferred();
      holds.set(academy, hold);
      return gate.run(
        academy,
        async () => {
          started.push(academy);
          await hold.promise;
        },
        priority,
      );
    };
    const runs = [
      runOf("flood-1", "later"),
      runOf("flood-2", "later"),
      runOf("flood-3", "later"),
      runOf("quiet", "first"),
      runOf("flood-4", "later"),
    ];
    await settle();
    expect(started).toEqual(["flood-1", "flood-2"]);
    expect(gate.shared()).toEqual({ busy: 2, first: 1, later: 2 });
    // A slot comes free: the academy inside its budget goes before the floods queued earlier.
    holds.get("flood-1")?.resolve();
    await settle();
    expect(started).toEqual(["flood-1", "flood-2", "quiet"]);

    // Fast runs again: the limit climbs, and a release hands out every slot it allows.
    for (let w = 0; w < 2; w++) {
      time.advance(100);
      for (let i = 0; i < 5; i++) adaptive.record(1);
    }
    expect(gate.allowed).toBe(4);
    holds.get("flood-2")?.resolve();
    await settle();
    expect(started).toEqual(["flood-1", "flood-2", "quiet", "flood-3", "flood-4"]);
    expect(gate.shared()).toEqual({ busy: 3, first: 0, later: 0 });
    for (const hold of holds.values()) hold.resolve();
    await Promise.all(runs);
    expect(gate.shared()).toEqual({ busy: 0, first: 0, later: 0 });
  });

  it("lets runs already holding slots finish when the limit falls under them, and fills no slot above it", async () => {
    const time = clock();
    const adaptive = new AdaptiveSlots({ max: 4, now: time.now });
    const gate = new AcademyGate(4, 4, adaptive);
    const holds = Array.from({ length: 6 }, () => deferred());
    const started: number[] = [];
    const runs = holds.map((hold, i) =>
      gate.run(`a${i}`, async () => {
        started.push(i);
        await hold.promise;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    // Slow windows meanwhile (other runs' timings): the limit falls to 2 under four running.
    for (const ms of [1, 10, 10]) {
      time.advance(100);
      for (let i = 0; i < 5; i++) adaptive.record(ms);
    }
    expect(gate.allowed).toBe(2);
    holds[0]?.resolve();
    await settle();
    holds[1]?.resolve();
    await settle();
    // Two finished, two still run: at the limit, nobody new started.
    expect(started).toEqual([0, 1, 2, 3]);
    expect(gate.shared()).toEqual({ busy: 2, first: 2, later: 0 });
    holds[2]?.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const hold of holds) hold.resolve();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe.each(ENGINES)("adaptiveSlots (%s)", (engine) => {
  it("times the request path's tenant transactions when on, and is off by default", async () => {
    const on = await createTestApp(engine, { tenantSlots: 6, adaptiveSlots: true });
    try {
      const gate = on.app.context.deps.academyGate;
      expect(gate.allowed).toBe(6);
      expect(gate.adaptive?.uncontendedMs).toBeUndefined();
      const academy = await seedAcademy(on.db, fastServices(), "adaptive");
      const token = await on.app.context.deps.tokens.sign({
        kind: "academy",
        userId: academy.users.admin,
        academyId: academy.academyId,
        role: "admin",
        impersonatorId: null,
      });
      // Two windows of five requests: the first closes when the second's runs come in.
      for (let w = 0; w < 2; w++) {
        for (let i = 0; i < 5; i++) {
          const response = await on.request("GET", "/api/v1/courses", { token });
          expect(response.status).toBe(200);
        }
        await new Promise((resolve) => setTimeout(resolve, 110));
      }
      expect(gate.adaptive?.uncontendedMs).toBeGreaterThan(0);
    } finally {
      await on.dispose();
    }
    const off = await createTestApp(engine, { tenantSlots: 6 });
    try {
      expect(off.app.context.deps.academyGate.adaptive).toBeUndefined();
      expect(off.app.context.deps.academyGate.allowed).toBe(6);
    } finally {
      await off.dispose();
    }
  });
});
