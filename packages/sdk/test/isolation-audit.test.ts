import { afterEach, describe, expect, it } from "vitest";
import { PermissionError, ResponseValidationError, SkillBridge } from "../src/index.js";
import { json, problem, type StubServer, stubServer } from "./support/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const REPORT = {
  ok: false,
  checks: [
    {
      id: "rls.enabled",
      title: "RLS is enabled and forced",
      status: "failed",
      summary: "13 tables",
    },
  ],
  findings: [
    {
      severity: "high",
      check: "rls.enabled",
      object: "public.courses",
      detail: "Row-level security is not forced.",
      fix: "alter table public.courses force row level security;",
    },
  ],
};

describe("client.isolationAudit.run", () => {
  it("GETs /admin/isolation-audit and returns the report", async () => {
    stub = await stubServer((res) => json(res, 200, REPORT));
    const client = new SkillBridge({ baseUrl: stub.url, token: "t" });
    expect(await client.isolationAudit.run()).toEqual(REPORT);
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /api/v1/admin/isolation-audit",
    ]);
  });

  it("rejects a report whose severity is not one of high, medium, low", async () => {
    const bad = { ...REPORT, findings: [{ ...REPORT.findings[0], severity: "critical" }] };
    stub = await stubServer((res) => json(res, 200, bad));
    const client = new SkillBridge({ baseUrl: stub.url, token: "t" });
    const error = await client.isolationAudit.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]?.path).toBe("findings.0.severity");
  });

  it("a caller who is not a platform admin gets a PermissionError", async () => {
    stub = await stubServer((res) =>
      json(res, 403, problem(403, "forbidden", "Your role may not do this.")),
    );
    const client = new SkillBridge({ baseUrl: stub.url, token: "t", maxRetries: 0 });
    await expect(client.isolationAudit.run()).rejects.toBeInstanceOf(PermissionError);
  });
});
