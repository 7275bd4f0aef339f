import { Writable } from "node:stream";
import { PasswordHasher, withPlatform } from "@skillbridge/core";
import { inject } from "light-my-request";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../core/test/support/engines.js";
import { createServer, type SkillBridgeApp, serverConfig } from "../src/index.js";
import { TEST_SECRET } from "./support/test-app.js";

// The access log is read by operators and shipped to log stores: it must name
// the request and its principal, and never carry a token or a password.

describe("access log", () => {
  const lines: Record<string, unknown>[] = [];
  let app: SkillBridgeApp;
  let dispose: () => Promise<void>;
  const password = "Secret-Password-Never-Logged-42";

  beforeAll(async () => {
    const test = await openTestDatabase("pglite");
    dispose = test.dispose;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const config = serverConfig({ jwtSecret: TEST_SECRET, logger: pino({ level: "info" }, sink) });
    app = createServer({
      db: test.db,
      config,
      passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
    });
    await withPlatform(test.db, (trx) =>
      app.context.deps.services.platformUsers.create(trx, {
        email: "ops@platform.example",
        name: "Ops",
        role: "platform_admin",
        password,
      }),
    );
  });
  afterAll(async () => {
    await app.closeResources();
    await dispose();
  });

  it("logs one line per request with id, route, status and principal, and no token or password", async () => {
    const callback = app.callback();
    const login = await inject(callback, {
      method: "POST",
      url: "/api/v1/auth/login?utm=x",
      headers: { "content-type": "application/json", "x-request-id": "req-login-1" },
      payload: JSON.stringify({ email: "ops@platform.example", password }),
    });
    expect(login.statusCode).toBe(200);
    const token = JSON.parse(login.payload).accessToken as string;
    const me = await inject(callback, {
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token}`, "x-request-id": "req-me-1" },
    });
    expect(me.statusCode).toBe(200);

    const requests = lines.filter((line) => line.msg === "request");
    expect(requests.map((l) => [l.requestId, l.method, l.path, l.status])).toEqual([
      ["req-login-1", "POST", "/api/v1/auth/login", 200],
      ["req-me-1", "GET", "/api/v1/me", 200],
    ]);
    expect(requests[1]).toMatchObject({ role: "platform_admin", userId: expect.any(String) });
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split(".")[2]);
    expect(everything).not.toContain("utm=x");
  });

  it("logs a refused request with the status its problem document got, not a default 404", async () => {
    const callback = app.callback();
    const cases = [
      { url: "/api/v1/me", headers: {}, status: 401, id: "req-refused-401" },
      {
        url: "/api/v1/me",
        headers: { authorization: "Bearer not-a-token" },
        status: 401,
        id: "req-refused-bad",
      },
      { url: "/api/v1/nowhere", headers: {}, status: 404, id: "req-refused-404" },
    ];
    for (const c of cases) {
      const response = await inject(callback, {
        method: "GET",
        url: c.url,
        headers: { ...c.headers, "x-request-id": c.id },
      });
      expect(response.statusCode).toBe(c.status);
      const line = lines.find((l) => l.requestId === c.id);
      expect(line).toMatchObject({ status: c.status, path: c.url.split("?")[0] });
    }
  });
});
