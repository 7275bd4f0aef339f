import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TokenService } from "../src/auth/token-service.js";
import { serverConfig } from "../src/config.js";
import { TEST_SECRET } from "./support/test-app.js";

// A client sends the same token on every request: its HMAC is checked once
// (a thread-pool round trip each time otherwise), and the verdict is kept
// until the instant jose would call the token expired, no longer.

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const config = serverConfig({ jwtSecret: TEST_SECRET });
const academy = () =>
  ({
    kind: "academy",
    userId: randomUUID(),
    academyId: randomUUID(),
    role: "student",
    impersonatorId: null,
  }) as const;

describe("verified tokens", () => {
  it("have their signature checked once, then are answered from memory", async () => {
    const tokens = new TokenService(config);
    const token = await tokens.sign(academy());
    const checks = vi.spyOn(globalThis.crypto.subtle, "verify");
    const first = await tokens.verify(token);
    const again = await tokens.verify(token);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(again).toBe(first);
    expect(tokens.verifiedKept).toBe(1);
  });

  it("are refused from the instant jose would call them expired, as a service that never saw them refuses them", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-07T10:00:00.400Z"));
    const kept = new TokenService(config);
    const token = await kept.sign(academy(), 60); // exp: 10:01:00
    await kept.verify(token);
    const verdict = async (service: TokenService) =>
      service.verify(token).then(
        () => "valid",
        (error: Error) => error.message,
      );
    // jose allows 5 s of skew past exp: valid through 10:01:04.999, expired from 10:01:05.
    for (const [at, expected] of [
      ["2026-12-07T10:01:04.999Z", "valid"],
      ["2026-12-07T10:01:05.000Z", "The token has expired."],
    ] as const) {
      vi.setSystemTime(new Date(at));
      expect(await verdict(new TokenService(config))).toBe(expected);
      expect(await verdict(kept)).toBe(expected);
    }
    expect(kept.verifiedKept).toBe(0);
  });

  it("never let a changed token through because the genuine one is remembered", async () => {
    const tokens = new TokenService(config);
    const token = await tokens.sign(academy());
    await tokens.verify(token);
    const [header, payload, signature = ""] = token.split(".");
    const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const other = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString()),
        role: "admin",
      }),
    ).toString("base64url");
    for (const forged of [`${header}.${payload}.${flipped}`, `${header}.${other}.${signature}`]) {
      await expect(tokens.verify(forged)).rejects.toThrow("The token is not valid.");
    }
    expect(tokens.verifiedKept).toBe(1);
  });

  it("are remembered up to a bound, the oldest forgotten first", async () => {
    const tokens = new TokenService(config, 2);
    const [a, b, c] = await Promise.all(
      [academy(), academy(), academy()].map((p) => tokens.sign(p)),
    );
    const checks = vi.spyOn(globalThis.crypto.subtle, "verify");
    for (const token of [a, b, c]) await tokens.verify(token ?? "");
    expect(tokens.verifiedKept).toBe(2);
    await tokens.verify(c ?? ""); // kept
    await tokens.verify(a ?? ""); // forgotten: checked again
    expect(checks).toHaveBeenCalledTimes(4);
  });

  it("give every request the same principal, which none can change", async () => {
    const tokens = new TokenService(config);
    const principal = await tokens.verify(await tokens.sign(academy()));
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal.credentials)).toBe(true);
    expect(Object.isFrozen(principal.token)).toBe(true);
  });
});
