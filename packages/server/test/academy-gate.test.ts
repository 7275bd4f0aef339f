import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { defaultTenantConcurrency } from "../src/create-server.js";
import {
  AcademyGate,
  type GatePriority,
  LATER_EVERY,
  laterSlots,
  RESERVED_EVERY,
} from "../src/fairness/academy-gate.js";
import { deferred, settle } from "./support/deferred.js";
import { adminTokenOf, createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Fairness: one academy's tenant transactions are capped (config
// `tenantConcurrency`); beyond the cap they wait in that academy's own queue,
// and other academies go straight on.

describe("AcademyGate", () => {
  it("runs at most `limit` of one academy at once; the rest wait, first come first served", async () => {
    const gate = new AcademyGate(2);
    const started: number[] = [];
    const holds = [deferred(), deferred(), deferred(), deferred()];
    const runs = holds.map((hold, i) =>
      gate.run("a", async () => {
        started.push(i);
        await hold.promise;
        return i;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect(gate.load("a")).toEqual({ active: 2, waiting: 2 });
    holds[1]?.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(gate.load("a")).toEqual({ active: 2, waiting: 1 });
    holds[0]?.resolve();
    holds[2]?.resolve();
    holds[3]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(gate.load("a")).toEqual({ active: 0, waiting: 0 });
  });

  it("lets another academy run while one academy's queue is full", async () => {
    const gate = new AcademyGate(1);
    const hold = deferred();
    const busy = gate.run("a", () => hold.promise);
    const queued = gate.run("a", async () => "a later");
    expect(await gate.run("b", async () => "b now")).toBe("b now");
    expect(gate.load("a")).toEqual({ active: 1, waiting: 1 });
    hold.resolve();
    await busy;
    expect(await queued).toBe("a later");
  });

  it("frees the slot when a run fails, and passes the failure on", async () => {
    const gate = new AcademyGate(1);
    await expect(gate.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(gate.load("a")).toEqual({ active: 0, waiting: 0 });
    expect(await gate.run("a", async () => 1)).toBe(1);
  });

  it("keeps its queue in order through many waiters", async () => {
    const gate = new AcademyGate(1);
    const hold = deferred();
    const first = gate.run("a", () => hold.promise);
    const order: number[] = [];
    const rest = Array.from({ length: 300 }, (_, i) =>
      gate.run("a", async () => {
        order.push(i);
      }),
    );
    hold.resolve();
    await first;
    await Promise.all(rest);
    expect(order).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a limit of %s", (limit) => {
    expect(() => new AcademyGate(limit)).toThrow(/tenantConcurrency/);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses %s shared slots", (slots) => {
    expect(() => new AcademyGate(1, slots)).toThrow(/tenantSlots/);
  });

  it("runs at most `slots` runs of all academies at once", async () => {
    const gate = new AcademyGate(5, 2);
    const holds = [deferred(), deferred(), deferred()];
    const started: string[] = [];
    const runs = ["a", "b", "c"].map((academy, i) =>
      gate.run(academy, async () => {
        started.push(academy);
        await holds[i]?.promise;
      }),
    );
    await settle();
    expect(started).toEqual(["a", "b"]);
    expect(gate.shared()).toEqual({ busy: 2, first: 1, later: 0 });
    holds[1]?.resolve();
    await settle();
    expect(started).toEqual(["a", "b", "c"]);
    expect(gate.shared()).toEqual({ busy: 2, first: 0, later: 0 });
    holds[0]?.resolve();
    holds[2]?.resolve();
    await Promise.all(runs);
    expect(gate.shared()).toEqual({ busy: 0, first: 0, later: 0 });
  });

  /**
   * With the one shared slot held, queues `entries` in order (each a run of its own
   * academy), checks what waits, then frees the slot: the order they were served in.
   */
  async function servedOrder(
    entries: readonly (readonly [string, GatePriority])[],
  ): Promise<string[]> {
    const gate = new AcademyGate(5, 1);
    const hold = deferred();
    const busy = gate.run("x", () => hold.promise);
    const order: string[] = [];
    const runs = entries.map(([name, priority]) =>
      gate.run(
        name,
        async () => {
          order.push(name);
        },
        priority,
      ),
    );
    await settle();
    const count = (p: GatePriority) => entries.filter(([, priority]) => priority === p).length;
    expect(gate.shared()).toEqual({ busy: 1, first: count("first"), later: count("later") });
    hold.resolve();
    await busy;
    await Promise.all(runs);
    return order;
  }

  it("gives a free slot to an academy inside its budget before academies at their limit, each class in arrival order", async () => {
    const order = await servedOrder([
      ["flood-1", "later"],
      ["flood-2", "later"],
      ["quiet-1", "first"],
      ["flood-3", "later"],
      ["quiet-2", "first"],
    ]);
    expect(order).toEqual(["quiet-1", "quiet-2", "flood-1", "flood-2", "flood-3"]);
  });

  it("never starves the later class: while both wait, every LATER_EVERY-th free slot goes to it", async () => {
    expect(LATER_EVERY).toBe(5);
    const order = await servedOrder([
      ["l1", "later"],
      ["l2", "later"],
      ...Array.from({ length: 10 }, (_, i) => [`f${i + 1}`, "first"] as const),
    ]);
    expect(order).toEqual([
      "f1",
      "f2",
      "f3",
      "f4",
      "l1",
      "f5",
      "f6",
      "f7",
      "f8",
      "l2",
      "f9",
      "f10",
    ]);
  });

  it("keeps one slot in RESERVED_EVERY for academies inside their budget: later runs wait while it is free", async () => {
    expect(RESERVED_EVERY).toBe(5);
    const gate = new AcademyGate(10, 10);
    const holds = Array.from({ length: 10 }, () => deferred());
    const later = holds
      .slice(0, 9)
      .map((hold, i) => gate.run(`flood-${i}`, () => hold.promise, "later"));
    await settle();
    // 8 of 10 slots: the ninth later run waits with two slots free.
    expect(gate.shared()).toEqual({ busy: 8, first: 0, later: 1 });
    expect(gate.busyLater).toBe(8);
    // An academy inside its budget starts at once, in a kept slot.
    let quietRan = false;
    const quiet = gate.run("quiet", async () => {
      quietRan = true;
    });
    await settle();
    expect(quietRan).toBe(true);
    await quiet;
    // A later run ending hands its slot to the waiting later run, not past the bound.
    holds[0]?.resolve();
    await settle();
    expect(gate.shared()).toEqual({ busy: 8, first: 0, later: 0 });
    expect(gate.busyLater).toBe(8);
    for (const hold of holds) hold.resolve();
    await Promise.all(later);
    expect(gate.shared()).toEqual({ busy: 0, first: 0, later: 0 });
    expect(gate.busyLater).toBe(0);
  });

  it("keeps no slot below RESERVED_EVERY slots: later runs may take them all (PGlite's one)", async () => {
    expect(laterSlots(1)).toBe(1);
    expect(laterSlots(4)).toBe(4);
    expect(laterSlots(5)).toBe(4);
    expect(laterSlots(10)).toBe(8);
    const gate = new AcademyGate(1, 1);
    expect(await gate.run("flood", async () => "ran", "later")).toBe("ran");
  });

  it("does not hold a shared slot while a run waits in its academy's lane", async () => {
    const gate = new AcademyGate(1, 2);
    const hold = deferred();
    const busy = gate.run("a", () => hold.promise);
    const queued = gate.run("a", async () => "a later");
    await settle();
    expect(gate.shared()).toEqual({ busy: 1, first: 0, later: 0 });
    expect(await gate.run("b", async () => "b now")).toBe("b now");
    hold.resolve();
    await busy;
    expect(await queued).toBe("a later");
    expect(gate.shared()).toEqual({ busy: 0, first: 0, later: 0 });
  });

  it("holds a run's slots after it returns until what it held settles (a read's connection until COMMIT's reply)", async () => {
    const gate = new AcademyGate(1, 1);
    const connection = deferred();
    const answer = await gate.run("a", async (hold) => {
      hold(connection.promise);
      return "read";
    });
    expect(answer).toBe("read");
    expect(gate.load("a")).toEqual({ active: 1, waiting: 0 });
    expect(gate.shared()).toEqual({ busy: 1, first: 0, later: 0 });
    // Both the academy's next run and another academy's wait for the held connection.
    let started = "";
    const next = gate.run("a", async () => {
      started += "a";
    });
    const other = gate.run("b", async () => {
      started += "b";
    });
    await settle();
    expect(started).toBe("");
    connection.resolve();
    await Promise.all([next, other]);
    expect([...started].sort().join("")).toBe("ab");
    expect(gate.shared()).toEqual({ busy: 0, first: 0, later: 0 });
    expect(gate.load("a")).toEqual({ active: 0, waiting: 0 });
  });

  it("releases a held slot when what it held rejects, and a run that fails still releases after its holds", async () => {
    const gate = new AcademyGate(1, 1);
    const connection = deferred();
    await expect(
      gate.run("a", async (hold) => {
        hold(connection.promise);
        throw new Error("the route failed");
      }),
    ).rejects.toThrow("the route failed");
    expect(gate.shared().busy).toBe(1);
    connection.reject(new Error("the connection broke"));
    await vi.waitFor(() => expect(gate.shared()).toEqual({ busy: 0, first: 0, later: 0 }));
    expect(await gate.run("a", async () => "free again")).toBe("free again");
  });
});

describe.each(ENGINES)("the request path goes through the academy gate (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  let b: SeededAcademy;
  const token = (academy: SeededAcademy) => adminTokenOf(t.app, academy);

  beforeAll(async () => {
    t = await createTestApp(engine, { tenantConcurrency: 1 });
    const services = fastServices();
    a = await seedAcademy(t.db, services, "gate-a");
    b = await seedAcademy(t.db, services, "gate-b");
  });
  afterAll(() => t?.dispose());

  it("uses the configured tenantConcurrency", () => {
    expect(t.app.context.deps.academyGate.limit).toBe(1);
  });

  it("queues an academy's request behind its own transaction in progress; another academy is served meanwhile where the pool has a second connection", async () => {
    const gate = t.app.context.deps.academyGate;
    const hold = deferred();
    // Academy A's only slot is taken (as by a long transaction of its own).
    const busy = gate.run(a.academyId, () => hold.promise);
    const tokenA = await token(a);
    let answeredA = false;
    const requestA = t.request("GET", "/api/v1/courses", { token: tokenA }).then((r) => {
      answeredA = true;
      return r;
    });
    // A's request reaches the gate (after its token check) and waits there.
    for (let i = 0; i < 10_000 && gate.load(a.academyId).waiting === 0; i += 1) await settle();
    expect(gate.load(a.academyId)).toEqual({ active: 1, waiting: 1 });
    const requestB = t.request("GET", "/api/v1/courses", { token: await token(b) });
    if (gate.slots > 1) {
      expect((await requestB).status).toBe(200);
    } else {
      // PGlite's one connection is the one shared slot: B waits for it, A's lane does not.
      for (let i = 0; i < 10_000 && gate.shared().first === 0; i += 1) await settle();
      expect(gate.shared()).toEqual({ busy: 1, first: 1, later: 0 });
    }
    expect(answeredA).toBe(false);
    hold.resolve();
    await busy;
    expect((await requestB).status).toBe(200);
    expect((await requestA).status).toBe(200);
    // A GET answers before its COMMIT's reply; the gate holds the connection until that reply.
    await vi.waitFor(() => expect(gate.load(a.academyId)).toEqual({ active: 0, waiting: 0 }));
  });
});

describe.each(ENGINES)(
  "an academy that spent over half its burst waits behind the others for a connection (%s)",
  (engine) => {
    let t: TestApp;
    let a: SeededAcademy;
    let b: SeededAcademy;

    beforeAll(async () => {
      // 10 requests at once, refilled at one a minute: what a test spends stays spent.
      t = await createTestApp(engine, {
        rateLimit: { points: 60, durationSeconds: 3600, burstPoints: 10, burstDurationSeconds: 10 },
      });
      const services = fastServices();
      a = await seedAcademy(t.db, services, "prio-a");
      b = await seedAcademy(t.db, services, "prio-b");
    });
    afterAll(() => t?.dispose());

    it("has as many shared slots as the pool has connections", () => {
      expect(t.app.context.deps.academyGate.slots).toBe(t.db.pgPool?.options.max ?? 1);
    });

    it("queues a request of an academy low on budget as 'later', and one of an academy inside it as 'first'", async () => {
      const gate = t.app.context.deps.academyGate;
      const sign = (academy: SeededAcademy) => adminTokenOf(t.app, academy);
      const tokenA = await sign(a);
      const tokenB = await sign(b);
      // A spends 6 of its 10 tokens (4 left: under half); B spends none yet.
      for (let i = 0; i < 6; i += 1) {
        expect((await t.request("GET", "/api/v1/courses", { token: tokenA })).status).toBe(200);
      }
      // Every shared slot taken, as by other academies' long transactions.
      const hold = deferred();
      const held = Array.from({ length: gate.slots }, (_, i) =>
        gate.run(`other-${i}`, () => hold.promise),
      );
      const waitFor = async (check: () => boolean) => {
        for (let i = 0; i < 10_000 && !check(); i += 1) await settle();
      };
      const requestA = t.request("GET", "/api/v1/courses", { token: tokenA });
      await waitFor(() => gate.shared().later === 1);
      const requestB = t.request("GET", "/api/v1/courses", { token: tokenB });
      await waitFor(() => gate.shared().first === 1);
      expect(gate.shared()).toEqual({ busy: gate.slots, first: 1, later: 1 });
      hold.resolve();
      await Promise.all(held);
      expect((await requestA).status).toBe(200);
      expect((await requestB).status).toBe(200);
      await vi.waitFor(() => expect(gate.shared()).toEqual({ busy: 0, first: 0, later: 0 }));
    });
  },
);

describe("the default tenantConcurrency", () => {
  it("is half the PostgreSQL pool, and 1 on PGlite's single connection", () => {
    const pool = (max: number) => ({ pgPool: { options: { max } } }) as never;
    expect(defaultTenantConcurrency(pool(10))).toBe(5);
    expect(defaultTenantConcurrency(pool(3))).toBe(1);
    expect(defaultTenantConcurrency({ pgPool: undefined } as never)).toBe(1);
  });

  it("is half of tenantSlots when fewer slots than connections are set", () => {
    const pool = (max: number) => ({ pgPool: { options: { max } } }) as never;
    expect(defaultTenantConcurrency(pool(10), 4)).toBe(2);
    expect(defaultTenantConcurrency(pool(10), 3)).toBe(1);
    expect(defaultTenantConcurrency(pool(10), 20)).toBe(5);
  });
});

describe.each(ENGINES)("tenantSlots (%s)", (engine) => {
  it("sets the gate's shared slots; the per-academy cap defaults to half of them (of PGlite's one connection there)", async () => {
    const t = await createTestApp(engine, { tenantSlots: 4 });
    try {
      expect(t.app.context.deps.academyGate.slots).toBe(4);
      expect(t.app.context.deps.academyGate.limit).toBe(engine === "pglite" ? 1 : 2);
    } finally {
      await t.dispose();
    }
  });

  it.each([0, 1.5, Number.NaN])("refuses %s", async (slots) => {
    await expect(createTestApp(engine, { tenantSlots: slots })).rejects.toThrow(/tenantSlots/);
  });
});
