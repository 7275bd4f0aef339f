import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { TokenService } from "../src/auth/token-service.js";
import { serverConfig } from "../src/config.js";
import { claimedCaller, LoopTurns } from "../src/fairness/loop-turns.js";
import { adminTokenOf, createTestApp, TEST_SECRET, type TestApp } from "./support/test-app.js";

// Fairness on the event loop: a request of a caller pressing against its
// limit waits for a turn, one per pass of the loop, so a request of a caller
// inside its budget that arrives meanwhile starts first.

const tokens = new TokenService(serverConfig({ jwtSecret: TEST_SECRET }));
const academyToken = (academyId: string) =>
  tokens.sign({
    kind: "academy",
    userId: randomUUID(),
    academyId,
    role: "instructor",
    impersonatorId: null,
  });

describe("LoopTurns", () => {
  it("gives one waiting request its turn per pass of the event loop, in the order they asked", async () => {
    const turns = new LoopTurns();
    let pass = 0;
    const ticking = new Promise<void>((resolve) => {
      const tick = () => {
        pass += 1;
        if (pass < 10) setImmediate(tick);
        else resolve();
      };
      setImmediate(tick);
    });
    const served: { who: string; pass: number }[] = [];
    const asked = ["a", "b", "c"].map((who) => turns.turn().then(() => served.push({ who, pass })));
    expect(turns.waiting).toBe(3);
    await Promise.all(asked);
    await ticking;
    expect(served.map((s) => s.who)).toEqual(["a", "b", "c"]);
    // Each turn in a pass of its own: the loop polled for I/O between them.
    const passes = served.map((s) => s.pass);
    expect(new Set(passes).size).toBe(3);
    expect(passes).toEqual([...passes].sort((x, y) => x - y));
    expect(turns.waiting).toBe(0);
  });

  it("makes a request wait only while its caller's last verdict left it pressing its limit", async () => {
    const turns = new LoopTurns();
    const pressed = randomUUID();
    const other = randomUUID();
    const header = `Bearer ${await academyToken(pressed)}`;
    expect(turns.waits(header)).toBe(false);
    turns.mark(`academy:${pressed}`, true);
    expect(turns.waits(header)).toBe(true);
    expect(turns.waits(`Bearer ${await academyToken(other)}`)).toBe(false);
    turns.mark(`academy:${pressed}`, false);
    expect(turns.waits(header)).toBe(false);
    expect(turns.pressedCount).toBe(0);
  });

  it("keeps at most its bound of marks: past it, it forgets them all rather than grow", () => {
    const turns = new LoopTurns(2);
    turns.mark("academy:a", true);
    turns.mark("academy:b", true);
    turns.mark("academy:a", true);
    expect(turns.pressedCount).toBe(2);
    turns.mark("academy:c", true);
    expect(turns.pressedCount).toBe(1);
    expect(turns.isPressed("academy:c")).toBe(true);
    expect(turns.isPressed("academy:a")).toBe(false);
  });
});

describe("claimedCaller", () => {
  it("reads the limiter key a bearer token's claims name: the academy, or the platform user", async () => {
    const academyId = randomUUID();
    expect(claimedCaller(`Bearer ${await academyToken(academyId)}`)).toBe(`academy:${academyId}`);
    const userId = randomUUID();
    const platform = await tokens.sign({ kind: "platform", userId, role: "platform_admin" });
    expect(claimedCaller(`Bearer ${platform}`)).toBe(`platform:${userId}`);
  });

  it("names nobody for anything else, without throwing", () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const header of [
      "",
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer abc",
      "Bearer a.b",
      `Bearer x.${Buffer.from("not json").toString("base64url")}.y`,
      `Bearer x.${part(null)}.y`,
      `Bearer x.${part(["aid"])}.y`,
      `Bearer x.${part({ aid: 7, sub: false })}.y`,
      `Bearer x.${"A".repeat(10_000)}.y`,
    ]) {
      expect(claimedCaller(header)).toBeUndefined();
    }
  });
});

describe.each([
  { loopTurns: true, order: "the other academy first" },
  { loopTurns: false, order: "arrival order" },
])("requests on the server, loopTurns $loopTurns: $order", ({ loopTurns }) => {
  let t: TestApp;

  beforeAll(async () => {
    // 10 at once, refilled at one a minute: what a test spends stays spent.
    t = await createTestApp("pglite", {
      rateLimit: { points: 60, durationSeconds: 3600, burstPoints: 10, burstDurationSeconds: 10 },
      loopTurns,
    });
  });
  afterAll(() => t?.dispose());

  it("starts a request of an academy inside its budget before those of one pressing its limit, when turns are on", async () => {
    const pressed = randomUUID();
    const quiet = randomUUID();
    const pressedToken = await academyToken(pressed);
    const quietToken = await academyToken(quiet);
    // The first academy spends 6 of its 10 tokens: under half left, so it is pressing.
    for (let i = 0; i < 6; i += 1) {
      const res = await t.request("GET", "/api/v1/courses", { token: pressedToken });
      expect(res.headers["ratelimit-remaining"]).toBe(String(9 - i));
    }
    expect(t.app.context.deps.loopTurns.isPressed(`academy:${pressed}`)).toBe(true);

    // The token check is the first thing done for a request past its turn.
    const verify = vi.spyOn(t.app.context.deps.tokens, "verify");
    try {
      const sent = [
        t.request("GET", "/api/v1/courses", { token: pressedToken }),
        t.request("GET", "/api/v1/courses", { token: pressedToken }),
        t.request("GET", "/api/v1/courses", { token: pressedToken }),
        t.request("GET", "/api/v1/courses", { token: quietToken }),
      ];
      const answers = await Promise.all(sent);
      // The users do not exist: each request ends at the re-check, after the limiter took its token.
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
      const started = verify.mock.calls.map(([token]) =>
        token === quietToken ? "quiet" : "pressed",
      );
      expect(started).toEqual(
        loopTurns
          ? ["quiet", "pressed", "pressed", "pressed"]
          : ["pressed", "pressed", "pressed", "quiet"],
      );
    } finally {
      verify.mockRestore();
    }
    expect(t.app.context.deps.loopTurns.waiting).toBe(0);
  });

  it("refuses a forged token that names a pressed academy, after its turn, as any other", async () => {
    const academyId = randomUUID();
    const token = await academyToken(academyId);
    for (let i = 0; i < 6; i += 1) await t.request("GET", "/api/v1/courses", { token });
    const [header, payload] = token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(43)}`;
    const res = await t.request("GET", "/api/v1/courses", { token: forged });
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe("The token is not valid.");
  });

  it("still answers a pressed academy's request past its budget with a 429 after its turn", async () => {
    const academyId = randomUUID();
    const token = await academyToken(academyId);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1)
      statuses.push((await t.request("GET", "/api/v1/courses", { token })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe.each([{ loopTurns: true }, { loopTurns: false }])(
  "a pressed academy's answer, loopTurns $loopTurns",
  ({ loopTurns }) => {
    let t: TestApp;
    let pressed: SeededAcademy;
    let quiet: SeededAcademy;
    const adminToken = (a: SeededAcademy) => adminTokenOf(t.app, a);

    beforeAll(async () => {
      t = await createTestApp("pglite", {
        rateLimit: { points: 60, durationSeconds: 3600, burstPoints: 10, burstDurationSeconds: 10 },
        loopTurns,
      });
      pressed = await seedAcademy(t.db, fastServices(), "turns-pressed");
      quiet = await seedAcademy(t.db, fastServices(), "turns-quiet");
    });
    afterAll(() => t?.dispose());

    it("waits for a second turn after its transaction (before its output is built) only when turns are on; a quiet academy's never waits", async () => {
      const pressedToken = await adminToken(pressed);
      for (let i = 0; i < 6; i += 1)
        expect((await t.request("GET", "/api/v1/courses", { token: pressedToken })).status).toBe(
          200,
        );
      const turns = t.app.context.deps.loopTurns;
      expect(turns.isPressed(`academy:${pressed.academyId}`)).toBe(true);
      const gate = t.app.context.deps.academyGate;
      const order: string[] = [];
      const run = gate.run.bind(gate);
      const transactions = vi.spyOn(gate, "run").mockImplementation(async (...args) => {
        const result = await run(...args);
        order.push("transaction done");
        return result;
      });
      const give = turns.turn.bind(turns);
      const turn = vi.spyOn(turns, "turn").mockImplementation(() => {
        order.push("turn");
        return give();
      });
      try {
        const res = await t.request("GET", "/api/v1/courses", { token: pressedToken });
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeGreaterThan(0);
        expect(order).toEqual(
          loopTurns ? ["turn", "transaction done", "turn"] : ["transaction done"],
        );
        order.length = 0;
        const calm = await t.request("GET", "/api/v1/courses", { token: await adminToken(quiet) });
        expect(calm.status).toBe(200);
        expect(order).toEqual(["transaction done"]);
      } finally {
        turn.mockRestore();
        transactions.mockRestore();
      }
      expect(turns.waiting).toBe(0);
    });
  },
);
