import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { REQUEST_STAGES_CHANNEL, type RequestStageEvent } from "../src/index.js";
import { adminTokenOf, createTestApp, type TestApp } from "./support/test-app.js";

// The stages a request goes through are told on a diagnostics channel, to a
// subscriber in the same process (the fairness benchmark's stage ladder).

describe("request stages on the diagnostics channel", () => {
  let t: TestApp;
  let a: SeededAcademy;
  const events: RequestStageEvent[] = [];
  const record = (message: unknown) => events.push(message as RequestStageEvent);

  beforeAll(async () => {
    t = await createTestApp("pglite");
    a = await seedAcademy(t.db, fastServices(), "stages");
  });
  afterAll(() => t?.dispose());
  afterEach(() => {
    unsubscribe(REQUEST_STAGES_CHANNEL, record);
    events.length = 0;
  });

  const adminToken = () => adminTokenOf(t.app, a);

  it("marks a read's stages in order, on one request, with its academy once it is known", async () => {
    subscribe(REQUEST_STAGES_CHANNEL, record);
    const res = await t.request("GET", "/api/v1/courses", { token: await adminToken() });
    expect(res.status).toBe(200);
    expect(events.map((e) => e.stage)).toEqual([
      "received",
      "authenticated",
      "admitted",
      "transacted",
      "handled",
      "sent",
    ]);
    expect(new Set(events.map((e) => e.request)).size).toBe(1);
    for (let i = 1; i < events.length; i += 1)
      expect(events[i]?.at).toBeGreaterThanOrEqual(events[i - 1]?.at as number);
    expect(events[0]?.academyId).toBeUndefined();
    for (const e of events.slice(1)) expect(e.academyId).toBe(a.academyId);
  });

  it("marks only the stages a refused request reaches", async () => {
    subscribe(REQUEST_STAGES_CHANNEL, record);
    const res = await t.request("GET", "/api/v1/courses", { token: "not-a-token" });
    expect(res.status).toBe(401);
    expect(events.map((e) => e.stage)).toEqual(["received", "sent"]);
  });
});
