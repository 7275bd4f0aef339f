import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { sampleOf } from "../../core/test/support/sampling.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import type { SkillBridgeApp } from "../src/index.js";
import {
  createPeerApp,
  createTestApp,
  ENGINES,
  PLATFORM_ADMIN,
  requestVia,
  type TestApp,
  type TestResponse,
} from "./support/test-app.js";

// Per-academy request budgets (in memory and shared through Redis) and login
// budgets per account and per IP. An academy's budget is a token bucket of
// `burstPoints` tokens refilled at `points` per `durationSeconds`: here one
// token an hour, so no token comes back while a test runs and the budget is
// exactly the bucket.

const RATE_LIMIT = { points: 1, durationSeconds: 3600, burstPoints: 5 };
const BUDGET = RATE_LIMIT.burstPoints;
/** Seconds until one token comes back: 1 / rate. */
const TOKEN_SECONDS = RATE_LIMIT.durationSeconds / RATE_LIMIT.points;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const COURSES = "/api/v1/courses";

type Get = (path: string, token: string) => Promise<TestResponse>;

/** In-process GET against any app (the harness only wraps the app it built). */
function getter(app: SkillBridgeApp): Get {
  const request = requestVia(app);
  return (path, token) => request("GET", path, { token });
}

/**
 * Waits until the app's Redis connection is up. Until then the limiter
 * answers from the per-process insurance buckets, which are not shared.
 */
function redisReady(app: SkillBridgeApp): Promise<void> {
  return app.context.deps.limiters.ready();
}

const tokenOf = (app: SkillBridgeApp, academy: SeededAcademy, key: "admin" | "s1" | "p") =>
  app.context.deps.tokens.sign({
    kind: "academy",
    userId: academy.users[key],
    academyId: academy.academyId,
    role: key === "admin" ? "admin" : key === "s1" ? "student" : "parent",
    impersonatorId: null,
  });

function expectIntegerHeader(response: TestResponse, name: string, min: number, max: number) {
  const value = response.headers[name];
  expect(String(value)).toMatch(/^\d+$/);
  expect(Number(value)).toBeGreaterThanOrEqual(min);
  expect(Number(value)).toBeLessThanOrEqual(max);
}

function expectRateLimited(response: TestResponse, windowSeconds: number): void {
  expect(response.status).toBe(429);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 429, code: "rate_limited" });
  expect(response.body).not.toHaveProperty("data");
  expect(response.body).not.toHaveProperty("accessToken");
  expectIntegerHeader(response, "retry-after", 1, windowSeconds);
}

/** Spends requests until the first 429; returns how many were served and the 429. */
async function spendUntilLimited(
  calls: readonly Get[],
  path: string,
  token: string,
  cap = BUDGET * 4,
): Promise<{ served: number; refused: TestResponse }> {
  for (let i = 0; i < cap; i += 1) {
    const call = calls[i % calls.length];
    if (!call) throw new Error("no caller");
    const response = await call(path, token);
    if (response.status === 429) return { served: i, refused: response };
    expect(response.status).toBe(200);
  }
  throw new Error(`no 429 after ${cap} requests`);
}

// What this file checks does not change with the engine under the server: it runs on one
// engine per run, drawn from the seed (every engine with SKILLBRIDGE_FULL_MATRICES=1).
describe.each(sampleOf(ENGINES, 1, "rate limits"))(
  "per-academy request budget, in memory (%s)",
  (engine) => {
    let t: TestApp;
    const services = fastServices();
    let slugs = 0;
    const fresh = () => {
      slugs += 1;
      return seedAcademy(t.db, services, `mem-${slugs}`);
    };

    beforeAll(async () => {
      t = await createTestApp(engine, { rateLimit: RATE_LIMIT });
    });
    afterAll(() => t.dispose());

    it("uses the in-memory backend when no Redis URL is configured", () => {
      expect(t.app.context.deps.limiters.backend).toBe("memory");
    });

    it("reports RateLimit-Limit (the bucket) and a falling RateLimit-Remaining on successful responses", async () => {
      const c = await fresh();
      const token = await tokenOf(t.app, c, "admin");
      const remaining: number[] = [];
      for (let i = 0; i < BUDGET; i += 1) {
        const response = await t.request("GET", COURSES, { token });
        expect(response.status).toBe(200);
        expect(response.headers["ratelimit-limit"]).toBe(String(BUDGET));
        // Until the bucket is full again: one token's time per token spent.
        expectIntegerHeader(response, "ratelimit-reset", 1, (i + 1) * TOKEN_SECONDS);
        remaining.push(Number(response.headers["ratelimit-remaining"]));
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
    });

    it("answers 429 rate_limited with Retry-After and RateLimit headers once an academy spends its budget, while another academy is still served", async () => {
      const c = await fresh();
      const d = await fresh();
      const token = await tokenOf(t.app, c, "admin");
      const { served, refused } = await spendUntilLimited([getter(t.app)], COURSES, token);
      expect(served).toBe(BUDGET);
      // Retry-After: the time one token takes to come back, not a whole window.
      expectRateLimited(refused, TOKEN_SECONDS);
      expect(refused.headers["ratelimit-limit"]).toBe(String(BUDGET));
      expect(refused.headers["ratelimit-remaining"]).toBe("0");
      expectIntegerHeader(refused, "ratelimit-reset", 1, BUDGET * TOKEN_SECONDS);

      // Still refused on the next try, and on other routes: the budget is the academy's.
      expectRateLimited(await t.request("GET", "/api/v1/me", { token }), TOKEN_SECONDS);

      const other = await t.request("GET", COURSES, { token: await tokenOf(t.app, d, "admin") });
      expect(other.status).toBe(200);
      expect(other.headers["ratelimit-remaining"]).toBe(String(BUDGET - 1));
    });

    it("shares one budget among all users of an academy", async () => {
      const c = await fresh();
      const tokens = [
        await tokenOf(t.app, c, "admin"),
        await tokenOf(t.app, c, "s1"),
        await tokenOf(t.app, c, "p"),
      ];
      for (let i = 0; i < BUDGET; i += 1) {
        const response = await t.request("GET", COURSES, { token: tokens[i % tokens.length] });
        expect(response.status).toBe(200);
      }
      for (const token of tokens) {
        expectRateLimited(await t.request("GET", COURSES, { token }), TOKEN_SECONDS);
      }
    });

    it("keeps platform users on their own budget when an academy is spent", async () => {
      const c = await fresh();
      const token = await tokenOf(t.app, c, "admin");
      await spendUntilLimited([getter(t.app)], COURSES, token);
      const platform = await t.platformToken();
      const response = await t.request("GET", "/api/v1/admin/academies", { token: platform });
      expect(response.status).toBe(200);
    });

    it("keeps separate budgets in two in-memory apps (the control for the Redis test)", async () => {
      const c = await fresh();
      const other = createPeerApp(t, { rateLimit: RATE_LIMIT });
      try {
        const token = await tokenOf(t.app, c, "admin");
        const { served } = await spendUntilLimited([getter(t.app), getter(other)], COURSES, token);
        expect(served).toBe(2 * BUDGET);
      } finally {
        await other.closeResources();
      }
    });
  },
);

describe.each(sampleOf(ENGINES, 1, "rate limits"))(
  "per-academy request budget, shared through Redis (%s)",
  (engine) => {
    let t: TestApp;
    let other: SkillBridgeApp;
    const services = fastServices();
    let slugs = 0;
    // Fresh academies (new UUIDs) per test: the key prefix is fixed, Redis is shared.
    const fresh = () => {
      slugs += 1;
      return seedAcademy(t.db, services, `redis-${slugs}`);
    };

    beforeAll(async () => {
      t = await createTestApp(engine, { rateLimit: RATE_LIMIT, redisUrl: REDIS_URL });
      other = createPeerApp(t, { rateLimit: RATE_LIMIT, redisUrl: REDIS_URL });
      await redisReady(t.app);
      await redisReady(other);
    });
    afterAll(async () => {
      await other?.closeResources();
      await t?.dispose();
    });

    it("uses the Redis backend in both apps", () => {
      expect(t.app.context.deps.limiters.backend).toBe("redis");
      expect(other.context.deps.limiters.backend).toBe("redis");
    });

    it("gives two apps on one database one budget: requests split across them are refused after exactly the budget", async () => {
      const c = await fresh();
      const token = await tokenOf(t.app, c, "admin");
      const { served, refused } = await spendUntilLimited(
        [getter(t.app), getter(other)],
        COURSES,
        token,
      );
      expect(served).toBe(BUDGET);
      expectRateLimited(refused, TOKEN_SECONDS);
      expect(refused.headers["ratelimit-remaining"]).toBe("0");
      // Both apps now refuse that academy.
      expectRateLimited(await getter(t.app)(COURSES, token), TOKEN_SECONDS);
      expectRateLimited(await getter(other)(COURSES, token), TOKEN_SECONDS);
    });

    it("counts down RateLimit-Remaining across both apps", async () => {
      const c = await fresh();
      const token = await tokenOf(t.app, c, "admin");
      const calls = [getter(t.app), getter(other)];
      const remaining: number[] = [];
      for (let i = 0; i < BUDGET; i += 1) {
        const response = await (calls[i % 2] as Get)(COURSES, token);
        expect(response.status).toBe(200);
        expect(response.headers["ratelimit-limit"]).toBe(String(BUDGET));
        remaining.push(Number(response.headers["ratelimit-remaining"]));
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
    });

    it("still serves another academy on both apps when one academy's shared budget is spent", async () => {
      const c = await fresh();
      const d = await fresh();
      await spendUntilLimited(
        [getter(t.app), getter(other)],
        COURSES,
        await tokenOf(t.app, c, "admin"),
      );
      const token = await tokenOf(t.app, d, "admin");
      expect((await getter(t.app)(COURSES, token)).status).toBe(200);
      expect((await getter(other)(COURSES, token)).status).toBe(200);
    });
    it("keeps apps with another redisKeyPrefix on a budget of their own on the same Redis", async () => {
      const apart = createPeerApp(t, {
        rateLimit: RATE_LIMIT,
        redisUrl: REDIS_URL,
        redisKeyPrefix: `sb-test-${Date.now()}`,
      });
      try {
        await redisReady(apart);
        const c = await fresh();
        const token = await tokenOf(t.app, c, "admin");
        await spendUntilLimited([getter(t.app), getter(other)], COURSES, token);
        expect((await getter(apart)(COURSES, token)).status).toBe(200);
      } finally {
        await apart.closeResources();
      }
    });
  },
);

describe.each(sampleOf(ENGINES, 1, "rate limits"))("login budgets (%s)", (engine) => {
  const services = fastServices();

  describe("per account (perIp 50, perAccount 3)", () => {
    let t: TestApp;
    let a: SeededAcademy;
    let b: SeededAcademy;
    const login = (body: Record<string, unknown>) =>
      t.request("POST", "/api/v1/auth/login", { body });

    beforeAll(async () => {
      t = await createTestApp(engine, {
        loginRateLimit: { perIp: 50, perAccount: 3, durationSeconds: 900 },
      });
      a = await seedAcademy(t.db, services, "north");
      b = await seedAcademy(t.db, services, "south");
    });
    afterAll(() => t.dispose());

    it("refuses the 4th attempt on an account after 3 wrong passwords with 429, even with the right password", async () => {
      const right = { academy: a.slug, email: "s1@example.com", password: "password-s1-1" };
      for (let i = 0; i < 3; i += 1) {
        const wrong = await login({ ...right, password: `wrong-password-${i}` });
        expect(wrong.status).toBe(401);
        expect(wrong.body.code).toBe("unauthenticated");
      }
      const refused = await login(right);
      expectRateLimited(refused, 900);
      expect(refused.body.detail).not.toMatch(/password is wrong/);
      expectRateLimited(await login({ ...right, password: "wrong-password-9" }), 900);
    });

    it("keeps serving other accounts from the same IP, and the same email in another academy, while one account is locked", async () => {
      const locked = { academy: a.slug, email: "p@example.com", password: "password-p-1" };
      for (let i = 0; i < 3; i += 1) {
        expect((await login({ ...locked, password: `wrong-password-${i}` })).status).toBe(401);
      }
      expectRateLimited(await login(locked), 900);

      const s2 = await login({
        academy: a.slug,
        email: "s2@example.com",
        password: "password-s2-1",
      });
      expect(s2.status).toBe(200);
      const pOfB = await login({ ...locked, academy: b.slug });
      expect(pOfB.status).toBe(200);
      expect(pOfB.body.user.academyId).toBe(b.academyId);
    });

    it("locks an account whatever the case or spacing of its email", async () => {
      const right = { academy: a.slug, email: "i2@example.com", password: "password-i2-1" };
      for (const email of ["I2@example.com", " i2@EXAMPLE.com", "i2@example.COM"]) {
        expect((await login({ ...right, email, password: "wrong-password-1" })).status).toBe(401);
      }
      expectRateLimited(await login(right), 900);
    });

    it("clears an account's failed attempts after a successful login", async () => {
      const right = { academy: a.slug, email: "i1@example.com", password: "password-i1-1" };
      for (let i = 0; i < 2; i += 1)
        expect((await login({ ...right, password: "nope-nope-1" })).status).toBe(401);
      expect((await login(right)).status).toBe(200);
      for (let i = 0; i < 2; i += 1)
        expect((await login({ ...right, password: "nope-nope-1" })).status).toBe(401);
      expect((await login(right)).status).toBe(200);
    });

    it("does not spend login attempts on bodies rejected before the password is checked", async () => {
      const right = { academy: a.slug, email: "s3@example.com", password: "password-s3-1" };
      for (let i = 0; i < 5; i += 1) {
        const response = await login({ ...right, password: "x".repeat(257) });
        expect(response.status).toBe(400);
      }
      expect((await login(right)).status).toBe(200);
    });

    it("locks a platform account after 3 wrong passwords", async () => {
      for (let i = 0; i < 3; i += 1) {
        const wrong = await login({ ...PLATFORM_ADMIN, password: `wrong-password-${i}` });
        expect(wrong.status).toBe(401);
      }
      expectRateLimited(await login(PLATFORM_ADMIN), 900);
    });
  });

  describe("per IP (perIp 4, perAccount 10)", () => {
    let t: TestApp;
    let a: SeededAcademy;
    const login = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.request("POST", "/api/v1/auth/login", { body, headers });

    /** Four wrong passwords on four different accounts: the IP's whole budget. */
    async function spendIpBudget(): Promise<void> {
      for (const key of ["s1", "s2", "s3", "p"]) {
        const response = await login({
          academy: a.slug,
          email: `${key}@example.com`,
          password: "wrong-password-1",
        });
        expect(response.status).toBe(401);
      }
    }

    beforeEach(async () => {
      t = await createTestApp(engine, {
        loginRateLimit: { perIp: 4, perAccount: 10, durationSeconds: 900 },
      });
      a = await seedAcademy(t.db, services, "north");
    });
    afterEach(() => t.dispose());

    it("refuses attempts spread over different accounts from one IP with 429 once the IP budget is spent", async () => {
      await spendIpBudget();
      // A fifth account, never tried, with its right password: the IP is spent.
      expectRateLimited(
        await login({ academy: a.slug, email: "i1@example.com", password: "password-i1-1" }),
        900,
      );
      expectRateLimited(await login(PLATFORM_ADMIN), 900);
    });

    it("is not reset by a spoofed X-Forwarded-For header", async () => {
      await spendIpBudget();
      const response = await login(
        { academy: a.slug, email: "i2@example.com", password: "password-i2-1" },
        { "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.7" },
      );
      expectRateLimited(response, 900);
    });
  });
});
