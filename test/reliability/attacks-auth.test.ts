import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackWorld, type Caller, createAttackWorld } from "./support/attack-world.js";
import { reliabilityEnv } from "./support/env.js";
import { type Attack, runAttack } from "./support/judge.js";
import { createTally } from "./support/tally.js";

// OWASP API2 (broken authentication) over a socket: forged, confused and
// stretched tokens, and login brute force against the per-account and per-IP
// budgets (kept in Redis, as in production).

reliabilityEnv();
const tally = createTally("attacks-auth");
afterAll(() => tally.save());

const ISSUER = "skillbridge";
const AUDIENCE = "skillbridge-api";
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function expectAllRefused(world: AttackWorld, attacks: readonly Attack[]): Promise<void> {
  const failures: string[] = [];
  for (const attack of attacks) {
    const verdict = await runAttack(world, tally, attack);
    const label = `${attack.caller.name}: ${attack.method} ${attack.path}`;
    for (const leak of verdict.leaks) failures.push(`LEAK ${label}: ${leak}`);
    for (const problem of verdict.problems) failures.push(`${label}: ${problem}`);
  }
  expect(failures).toEqual([]);
}

describe("forged, confused and stretched tokens", () => {
  let world: AttackWorld;
  let secret: Uint8Array;

  beforeAll(async () => {
    world = await createAttackWorld();
    secret = new TextEncoder().encode(world.server.config.jwtSecret);
  });
  afterAll(() => world?.close());

  /** The claims of a valid token for academy A's admin; each forgery changes one thing. */
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
    const all: Record<string, unknown> = {
      sub: world.A.users.admin,
      aid: world.A.academyId,
      role: "admin",
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now(),
      exp: now() + 600,
      jti: randomUUID(),
      ...overrides,
    };
    for (const key of Object.keys(all)) if (all[key] === undefined) delete all[key];
    return all;
  };

  const sign = (
    payload: Record<string, unknown>,
    header: Record<string, unknown> = {},
    alg = "HS256",
    key: Parameters<SignJWT["sign"]>[0] = secret,
  ) =>
    new SignJWT(payload as JWTPayload)
      .setProtectedHeader({ alg, typ: "JWT", ...header } as { alg: string })
      .sign(key);

  /** Any header, HMAC-signed by hand with the server's secret (jose refuses to sign some of these). */
  const hs256 = (header: Record<string, unknown>, payload: Record<string, unknown>) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
  };

  /** A token-bearing caller of academy A: its responses must never show B's rows. */
  const bearer = (token: string): Caller => ({ ...world.callers.admin, name: "forger", token });

  const forgeries: [string, () => Promise<string>][] = [
    ["an unsigned token (alg none)", async () => new UnsecuredJWT(claims()).encode()],
    [
      "alg None with an empty signature",
      async () => `${b64({ alg: "None", typ: "JWT" })}.${b64(claims())}.`,
    ],
    [
      "alg NONE with an empty signature",
      async () => `${b64({ alg: "NONE", typ: "JWT" })}.${b64(claims())}.`,
    ],
    [
      "alg none with a real signature kept",
      async () => {
        const [, payload, signature] = (await sign(claims())).split(".");
        return `${b64({ alg: "none", typ: "JWT" })}.${payload}.${signature}`;
      },
    ],
    [
      "an RS256 token signed by the attacker's key",
      async () => sign(claims(), {}, "RS256", (await generateKeyPair("RS256")).privateKey),
    ],
    [
      "an ES256 token signed by the attacker's key",
      async () => sign(claims(), {}, "ES256", (await generateKeyPair("ES256")).privateKey),
    ],
    [
      "an EdDSA token signed by the attacker's key",
      async () => sign(claims(), {}, "EdDSA", (await generateKeyPair("EdDSA")).privateKey),
    ],
    [
      "HS/asymmetric confusion: HS256 keyed with an RSA public key (PEM)",
      async () => {
        const { publicKey } = await generateKeyPair("RS256", { extractable: true });
        const pem = await exportSPKI(publicKey);
        return sign(claims(), {}, "HS256", new TextEncoder().encode(pem));
      },
    ],
    [
      "HS/asymmetric confusion: alg RS256 in the header over an HMAC signature",
      async () => {
        const [, payload, signature] = (await sign(claims())).split(".");
        return `${b64({ alg: "RS256", typ: "JWT" })}.${payload}.${signature}`;
      },
    ],
    ["HS384 signed with the right secret", async () => sign(claims(), {}, "HS384")],
    ["HS512 signed with the right secret", async () => sign(claims(), {}, "HS512")],
    ["a wrong audience", async () => sign(claims({ aud: "another-api" }))],
    ["an audience list without ours", async () => sign(claims({ aud: ["a", "b"] }))],
    ["a wrong issuer", async () => sign(claims({ iss: "evil-issuer" }))],
    ["no exp", async () => sign(claims({ exp: undefined }))],
    ["no iat", async () => sign(claims({ iat: undefined }))],
    ["an exp an hour ago", async () => sign(claims({ iat: now() - 7200, exp: now() - 3600 }))],
    ["an nbf an hour ahead", async () => sign(claims({ nbf: now() + 3600 }))],
    [
      "a forged kid pointing at a file, signed with the attacker's secret",
      async () =>
        sign(
          claims(),
          { kid: "../../../../../../dev/null" },
          "HS256",
          new TextEncoder().encode("attacker-secret-attacker-secret!!"),
        ),
    ],
    [
      "a forged kid carrying SQL, signed with the secret it selects",
      async () =>
        sign(
          claims(),
          { kid: "x' UNION SELECT 'attacker-secret' --" },
          "HS256",
          new TextEncoder().encode("attacker-secret"),
        ),
    ],
    [
      "a jku header naming the attacker's key set",
      async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return sign(
          claims(),
          { jku: "http://127.0.0.1:9/jwks.json", kid: "k1" },
          "RS256",
          privateKey,
        );
      },
    ],
    [
      "an embedded jwk header with the attacker's own public key",
      async () => {
        const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
        return sign(claims(), { jwk: await exportJWK(publicKey) }, "RS256", privateKey);
      },
    ],
    [
      "an unknown critical header extension (signed with the right secret)",
      async () => hs256({ alg: "HS256", typ: "JWT", crit: ["exp-ext"], "exp-ext": true }, claims()),
    ],
    [
      "a student's token with the role edited to admin (signature kept)",
      async () => {
        const [header, , signature] = (
          await sign(claims({ sub: world.A.users.s1, role: "student" }))
        ).split(".");
        return `${header}.${b64(claims({ sub: world.A.users.s1, role: "admin" }))}.${signature}`;
      },
    ],
    [
      "an admin's token with aid edited to academy B (signature kept)",
      async () => {
        const [header, , signature] = (await sign(claims())).split(".");
        return `${header}.${b64(claims({ aid: world.B.academyId }))}.${signature}`;
      },
    ],
    ["a token signed with a random key", async () => sign(claims(), {}, "HS256", randomBytes(48))],
    [
      "a well-signed platform role inside an academy token",
      async () => sign(claims({ role: "platform_admin" })),
    ],
  ];

  it("the forger's control: the same claims, honestly signed, are accepted", async () => {
    const response = await world.http.request("GET", "/api/v1/courses", {
      token: await sign(claims()),
    });
    expect(response.status).toBe(200);
  });

  // Well-signed tokens whose claims do not match the database: the platform
  // route's gate refuses the academy token (403) before any lookup; every
  // academy route re-checks user, role and academy and answers 401.
  const wellSigned: [string, () => Promise<string>][] = [
    [
      "a well-signed token pairing A's admin with academy B",
      async () => sign(claims({ aid: world.B.academyId })),
    ],
    [
      "a well-signed token for B's admin claiming academy A",
      async () => sign(claims({ sub: world.B.users.admin })),
    ],
    [
      "a well-signed token claiming a role its user does not hold",
      async () => sign(claims({ sub: world.A.users.s1, role: "admin" })),
    ],
  ];

  it.each(wellSigned)(
    "%s is a 401 on academy routes and a 403 on platform routes, with nothing shown",
    async (_, forge) => {
      const token = await forge();
      await expectAllRefused(
        world,
        [
          ["get", "/api/v1/courses", 401],
          ["get", `/api/v1/users/${world.A.users.s1}`, 401],
          ["get", `/api/v1/users/${world.B.users.s1}`, 401],
          ["get", "/api/v1/me", 401],
          ["get", "/api/v1/admin/academies", 403],
          ["post", "/api/v1/courses", 401],
        ].map(([method, path, status]) => ({
          caller: bearer(token),
          method: method as string,
          path: path as string,
          request:
            method === "post" ? { body: { title: "Forged", instructorId: world.A.users.i1 } } : {},
          expect: [status as number],
          checkVictim: method === "post",
        })),
      );
    },
  );

  it.each(forgeries)("%s is a 401 on every kind of route, with nothing shown", async (_, forge) => {
    const token = await forge();
    await expectAllRefused(
      world,
      [
        ["get", "/api/v1/courses"],
        ["get", `/api/v1/users/${world.A.users.s1}`],
        ["get", "/api/v1/me"],
        ["get", "/api/v1/admin/academies"],
        ["post", "/api/v1/courses"],
      ].map(([method, path]) => ({
        caller: bearer(token),
        method: method as string,
        path: path as string,
        request:
          method === "post" ? { body: { title: "Forged", instructorId: world.A.users.i1 } } : {},
        expect: [401],
        checkVictim: method === "post",
      })),
    );
  });

  it("a token of a user deleted since it was issued is a 401", async () => {
    const created = await world.http.request("POST", "/api/v1/users", {
      token: world.callers.admin.token,
      body: {
        email: "leaver@example.com",
        name: "Leaver",
        role: "student",
        password: "leaver-password-1",
      },
    });
    expect(created.status).toBe(201);
    const token = await world.server.login({
      academy: "north",
      email: "leaver@example.com",
      password: "leaver-password-1",
    });
    const deleted = await world.http.request("DELETE", `/api/v1/users/${created.body.id}`, {
      token: world.callers.admin.token,
    });
    expect(deleted.status).toBe(204);
    await expectAllRefused(world, [
      { caller: bearer(token), method: "get", path: "/api/v1/courses", expect: [401] },
    ]);
  });
});

describe("login brute force", () => {
  const PER_ACCOUNT = 4;
  const PER_IP = 12;
  let world: AttackWorld;

  /** Anyone on the internet: no token, no academy. */
  const stranger = (): Caller => world.callers.anonymous;
  const login = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    ({
      caller: stranger(),
      method: "post",
      path: "/api/v1/auth/login",
      request: { body, headers },
    }) as const;

  describe("per account", () => {
    beforeAll(async () => {
      world = await createAttackWorld({
        config: { loginRateLimit: { perIp: 1_000, perAccount: PER_ACCOUNT, durationSeconds: 60 } },
      });
    });
    afterAll(() => world?.close());

    it(`locks an account after ${PER_ACCOUNT} wrong passwords: the right one is then a 429 with Retry-After, and no token`, async () => {
      const wrong = { academy: "north", email: "admin@example.com", password: "wrong-password-1" };
      const attacks: Attack[] = Array.from({ length: PER_ACCOUNT }, () => ({
        ...login(wrong),
        expect: [401],
      }));
      attacks.push({ ...login({ ...wrong, password: "admin-password-1" }), expect: [429] });
      await expectAllRefused(world, attacks);
      const locked = await world.http.request("POST", "/api/v1/auth/login", {
        body: { ...wrong, password: "admin-password-1" },
      });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(locked.body).not.toHaveProperty("accessToken");
      expect(locked.body.detail).toBe("Too many failed sign-ins. Try again in 1 minute.");
    });

    it("a stranger's brute force never locks the owner out: the right password from another client signs in (#18 finding 7)", async () => {
      const victim = { academy: "north", email: "i1@example.com", password: "wrong-password-1" };
      const attacks: Attack[] = Array.from({ length: PER_ACCOUNT * 3 }, (_, i) => ({
        ...login(victim),
        expect: i < PER_ACCOUNT ? [401] : [429],
      }));
      await expectAllRefused(world, attacks);
      // The owner, on another address of this machine (loopback is 127/8).
      const url = new URL(`${world.server.url}/api/v1/auth/login`);
      const { status, body } = await new Promise<{ status: number; body: string }>(
        (resolve, reject) => {
          const sent = httpRequest(
            {
              host: url.hostname,
              port: url.port,
              path: url.pathname,
              method: "POST",
              localAddress: "127.0.0.2",
              headers: { "content-type": "application/json" },
            },
            (response) => {
              let text = "";
              response.on("data", (chunk) => {
                text += chunk;
              });
              response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
            },
          );
          sent.on("error", reject);
          sent.end(JSON.stringify({ ...victim, password: "password-i1-1" }));
        },
      );
      expect(status).toBe(200);
      expect((JSON.parse(body) as { user?: { email?: string } }).user?.email).toBe(
        "i1@example.com",
      );
    });

    it("locks an unknown account after the same number of attempts, so a lock reveals no account", async () => {
      const unknown = {
        academy: "north",
        email: "nobody-here@example.com",
        password: "wrong-password-1",
      };
      const attacks: Attack[] = Array.from({ length: PER_ACCOUNT }, () => ({
        ...login(unknown),
        expect: [401],
      }));
      attacks.push({ ...login(unknown), expect: [429] });
      await expectAllRefused(world, attacks);
    });

    it("a wrong password, an unknown email, another academy's email and an unknown academy get one identical answer", async () => {
      const answers = [];
      for (const body of [
        { academy: "north", email: "i2@example.com", password: "wrong-password-1" },
        { academy: "north", email: "ghost@example.com", password: "wrong-password-1" },
        { academy: "nowhere", email: "i2@example.com", password: "password-i2-1" },
      ]) {
        const verdict = await runAttack(world, tally, { ...login(body), expect: [401] });
        expect(verdict.leaks).toEqual([]);
        answers.push({ ...verdict.response.body, status: verdict.response.status });
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    });

    it("locking an account in academy A leaves the same email in academy B able to sign in", async () => {
      const response = await world.http.request("POST", "/api/v1/auth/login", {
        body: { academy: "south", email: "admin@example.com", password: "admin-password-1" },
      });
      expect(response.status).toBe(200);
      expect(response.body.user.academyId).toBe(world.B.academyId);
    });
  });

  describe("per IP", () => {
    beforeAll(async () => {
      world = await createAttackWorld({
        config: { loginRateLimit: { perIp: PER_IP, perAccount: 1_000, durationSeconds: 60 } },
      });
    });
    afterAll(() => world?.close());

    it(`refuses attempts spread over many accounts from one IP once ${PER_IP} are spent; a spoofed X-Forwarded-For does not reset it`, async () => {
      // Only failures count (the world's own sign-ins spent nothing): spray
      // until the first refusal, which comes exactly when the budget is spent.
      let sprayed = 0;
      for (; sprayed <= PER_IP; sprayed++) {
        const verdict = await runAttack(world, tally, {
          ...login({
            academy: "north",
            email: `sprayed-${sprayed}@example.com`,
            password: "spray-password-1",
          }),
          expect: [401, 429],
        });
        expect(verdict.leaks).toEqual([]);
        expect(verdict.problems).toEqual([]);
        if (verdict.response.status === 429) break;
      }
      expect(sprayed).toBe(PER_IP);
      const attacks: Attack[] = [
        {
          ...login({ academy: "north", email: "s2@example.com", password: "password-s2-1" }),
          expect: [429],
        },
      ];
      for (const forwarded of ["203.0.113.7", "198.51.100.1, 127.0.0.1", "::1"]) {
        attacks.push({
          ...login(
            { academy: "north", email: "s3@example.com", password: "password-s3-1" },
            { "x-forwarded-for": forwarded, "x-real-ip": forwarded },
          ),
          expect: [429],
        });
      }
      await expectAllRefused(world, attacks);
    });
  });
});

describe("credentials and sessions (#18 findings 3, 4, 8, 10)", () => {
  let world: AttackWorld;

  beforeAll(async () => {
    world = await createAttackWorld();
  });
  afterAll(() => world?.close());

  const as = (name: string, token: string): Caller => ({ ...world.callers.admin, name, token });

  async function impersonate(userId: string, reason: string): Promise<string> {
    const response = await world.http.request("POST", "/api/v1/admin/impersonations", {
      token: world.callers.platformAdmin.token,
      body: { academyId: world.A.academyId, userId, reason, ttlSeconds: 60 },
    });
    expect(response.status).toBe(201);
    return response.body.accessToken as string;
  }

  it("an impersonated admin cannot mint an admin, reset a password or change an email: 403 impersonation_forbidden, nothing written", async () => {
    const token = await impersonate(world.A.users.admin, "Attack: lasting access");
    const caller = as("impersonation", token);
    const attacks: Attack[] = [
      {
        caller,
        method: "post",
        path: "/api/v1/users",
        request: {
          body: {
            email: "backdoor@example.com",
            name: "Backdoor",
            role: "admin",
            password: "backdoor-password-1",
          },
        },
        expect: [403],
        checkOwn: true,
      },
      ...[{ password: "taken-over-password-1" }, { email: "attacker@example.com" }].map(
        (body): Attack => ({
          caller,
          method: "patch",
          path: `/api/v1/users/${world.A.users.i1}`,
          request: { body },
          expect: [403],
          checkOwn: true,
        }),
      ),
    ];
    await expectAllRefused(world, attacks);
    const refused = await world.http.request("POST", "/api/v1/users", {
      token,
      body: { email: "x@example.com", name: "X", role: "admin", password: "x-password-12" },
    });
    expect(refused.body.code).toBe("impersonation_forbidden");
    const log = await world.http.request("GET", "/api/v1/admin/audit-log?limit=100", {
      token: world.callers.platformAdmin.token,
    });
    const writes = (log.body.data as { action: string; reason: string | null }[]).filter(
      (event) =>
        event.action === "impersonation.write" && event.reason === "Attack: lasting access",
    );
    expect(writes.length).toBeGreaterThanOrEqual(attacks.length);
  });

  it("a token from before a password reset, and a signed-out token, are 401 everywhere", async () => {
    const created = await world.http.request("POST", "/api/v1/users", {
      token: world.callers.admin.token,
      body: {
        email: "reset@example.com",
        name: "Reset",
        role: "student",
        password: "reset-pass-1",
      },
    });
    expect(created.status).toBe(201);
    const credentials = { academy: "north", email: "reset@example.com" };
    const old = await world.server.login({ ...credentials, password: "reset-pass-1" });
    const reset = await world.http.request("PATCH", `/api/v1/users/${created.body.id}`, {
      token: world.callers.admin.token,
      body: { password: "reset-pass-2" },
    });
    expect(reset.status).toBe(200);
    const signedOut = await world.server.login({ ...credentials, password: "reset-pass-2" });
    const out = await world.http.request("POST", "/api/v1/auth/logout", { token: signedOut });
    expect(out.status).toBe(204);
    const attacks: Attack[] = [];
    for (const [name, token] of [
      ["token before a reset", old],
      ["signed-out token", signedOut],
    ] as const) {
      for (const path of ["/api/v1/me", "/api/v1/courses", "/api/v1/users"])
        attacks.push({ caller: as(name, token), method: "get", path, expect: [401] });
      attacks.push({
        caller: as(name, token),
        method: "post",
        path: "/api/v1/auth/logout",
        expect: [401],
      });
    }
    await expectAllRefused(world, attacks);
  });

  it("a student cannot test whether an email exists: taken and free addresses get one 403", async () => {
    const student = world.callers.student;
    const answers = [];
    for (const email of ["admin@example.com", "free-address@example.com"]) {
      const verdict = await runAttack(world, tally, {
        caller: student,
        method: "patch",
        path: `/api/v1/users/${world.A.users.s1}`,
        request: { body: { email } },
        expect: [403],
        checkOwn: true,
      });
      expect(verdict.leaks).toEqual([]);
      expect(verdict.problems).toEqual([]);
      answers.push({ status: verdict.response.status, code: verdict.response.body?.code });
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it("a platform admin's read of an academy's people is on the audit trail", async () => {
    const token = world.callers.platformAdmin.token;
    const read = await world.http.request(
      "GET",
      `/api/v1/admin/academies/${world.B.academyId}/users`,
      { token },
    );
    expect(read.status).toBe(200);
    const log = await world.http.request("GET", "/api/v1/admin/audit-log?limit=100", { token });
    const events = (log.body.data as { action: string; academyId: string | null }[]).filter(
      (event) => event.action === "academy.users.read" && event.academyId === world.B.academyId,
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
  });
});
