import { afterEach, describe, expect, it, vi } from "vitest";
import { TokenService } from "../src/auth/token-service.js";
import { serverConfig } from "../src/config.js";
import { TEST_SECRET } from "./support/test-app.js";

// The signing secret becomes a WebCrypto key once per server, not once per
// token (#21: jose imports raw bytes again on every sign and verify, 3 % of the
// server's CPU per request), and tokens still verify only with that secret.

afterEach(() => {
  vi.restoreAllMocks();
});

describe("TokenService's key", () => {
  it("is imported once for every token it signs and verifies", async () => {
    const imports = vi.spyOn(globalThis.crypto.subtle, "importKey");
    const tokens = new TokenService(serverConfig({ jwtSecret: TEST_SECRET }));
    const principal = {
      kind: "platform",
      userId: crypto.randomUUID(),
      role: "platform_admin",
    } as const;
    const signed = await Promise.all([tokens.sign(principal), tokens.sign(principal)]);
    for (let i = 0; i < 5; i++)
      for (const token of signed)
        expect((await tokens.verify(token)).userId).toBe(principal.userId);
    expect(imports).toHaveBeenCalledTimes(1);
  });

  it("still refuses a token signed with another secret", async () => {
    const ours = new TokenService(serverConfig({ jwtSecret: TEST_SECRET }));
    const theirs = new TokenService(serverConfig({ jwtSecret: `${TEST_SECRET}-another` }));
    const principal = {
      kind: "platform",
      userId: crypto.randomUUID(),
      role: "platform_admin",
    } as const;
    await expect(ours.verify(await theirs.sign(principal))).rejects.toThrow(
      "The token is not valid.",
    );
  });
});
