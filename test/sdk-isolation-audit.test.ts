import { PermissionError, SkillBridge } from "@skillbridge/sdk";
import { type RunningServer, startServer } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestApp,
  ENGINES,
  PLATFORM_ADMIN,
  type TestApp,
} from "../packages/server/test/support/test-app.js";

// The SDK's isolation audit and raw requests against a live server through a socket.

describe.each(ENGINES)("client.isolationAudit and client.rawRequest on %s", (engine) => {
  let t: TestApp;
  let running: RunningServer;
  let platform: SkillBridge;

  beforeAll(async () => {
    t = await createTestApp(engine);
    running = await startServer({ app: t.app, port: 0, handleSignals: false });
    platform = new SkillBridge({ baseUrl: running.url, maxRetries: 0 });
    await platform.auth.login(PLATFORM_ADMIN);
  });
  afterAll(async () => {
    await running?.close();
    await t?.dispose();
  });

  it("run() returns the validated report of the server's database", async () => {
    const report = await platform.isolationAudit.run();
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.checks.map((c) => c.id)).toContain("rls.fail-closed");
  });

  it("run() as an academy admin is a PermissionError", async () => {
    const { academy, admin } = await platform.academies.create({
      slug: `sdk-audit-${engine}`,
      name: "SDK Audit",
      admin: { email: "ada@sdk-audit.example", name: "Ada", password: "long-enough-pw" },
    });
    const { accessToken } = await platform.impersonations.create({
      academyId: academy.id,
      userId: admin.id,
      reason: "sdk test: audit as an academy admin",
    });
    const asAdmin = platform.withToken(accessToken);
    await expect(asAdmin.isolationAudit.run()).rejects.toBeInstanceOf(PermissionError);

    const missing = await asAdmin.rawRequest({
      method: "GET",
      path: "/courses/7f1c2a52-6d3e-4b0a-9a51-0c7e3c1d2b44",
    });
    expect(missing).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect(missing.requestId).toEqual(expect.any(String));
  });
});
