import { describe, expect, it } from "vitest";
import { OWASP_SCRYPT, PasswordHasher } from "../src/index.js";

const CHEAP = { N: 2 ** 10, r: 8, p: 1 } as const;

describe("PasswordHasher", () => {
  const hasher = new PasswordHasher(CHEAP);

  it("verifies the password a hash was made from", async () => {
    const stored = await hasher.hash("correct horse battery staple");
    await expect(hasher.verify("correct horse battery staple", stored)).resolves.toBe(true);
  });

  it("rejects any other password", async () => {
    const stored = await hasher.hash("correct horse battery staple");
    await expect(hasher.verify("correct horse battery stapler", stored)).resolves.toBe(false);
    await expect(hasher.verify("Correct horse battery staple", stored)).resolves.toBe(false);
    await expect(hasher.verify("", stored)).resolves.toBe(false);
  });

  it("writes self-describing hashes with its parameters, a salt and a 64-byte key", async () => {
    const stored = await hasher.hash("pw-123456");
    const parts = stored.split("$");
    expect(parts.slice(0, 4)).toEqual(["scrypt", "1024", "8", "1"]);
    expect(parts).toHaveLength(6);
    expect(Buffer.from(parts[4] ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? "", "base64url")).toHaveLength(64);
    expect(stored).not.toContain("pw-123456");
  });

  it("salts every hash: the same password hashes differently, and both verify", async () => {
    const first = await hasher.hash("same password");
    const second = await hasher.hash("same password");
    expect(first).not.toBe(second);
    await expect(hasher.verify("same password", first)).resolves.toBe(true);
    await expect(hasher.verify("same password", second)).resolves.toBe(true);
  });

  it("verifies a hash made at another cost, reading the cost from the hash", async () => {
    const older = new PasswordHasher({ N: 2 ** 11, r: 4, p: 2 });
    const stored = await older.hash("from an older release");
    expect(stored.startsWith("scrypt$2048$4$2$")).toBe(true);
    await expect(hasher.verify("from an older release", stored)).resolves.toBe(true);
    await expect(hasher.verify("from a newer release", stored)).resolves.toBe(false);
  });

  it("compares passwords after NFKC normalisation", async () => {
    const stored = await hasher.hash("\uFB01ne password"); // "ﬁ" ligature
    await expect(hasher.verify("fine password", stored)).resolves.toBe(true);
  });

  it.each([
    ["an empty string", ""],
    ["another scheme", "bcrypt$2b$10$abcdefghijklmnopqrstuv"],
    ["a missing key", "scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA"],
    ["an empty key", "scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$"],
  ])("treats a malformed stored hash (%s) as a mismatch", async (_label, stored) => {
    await expect(hasher.verify("anything-at-all", stored)).resolves.toBe(false);
  });

  it("treats a truncated stored key as a mismatch, even for the right password", async () => {
    const stored = await hasher.hash("right password");
    const truncated = stored.slice(0, -10);
    await expect(hasher.verify("right password", truncated)).resolves.toBe(false);
  });

  it("rejects a hash whose key was altered", async () => {
    const stored = await hasher.hash("right password");
    const parts = stored.split("$");
    const key = Buffer.from(parts[5] ?? "", "base64url");
    key[0] = (key[0] ?? 0) ^ 0xff;
    parts[5] = key.toString("base64url");
    await expect(hasher.verify("right password", parts.join("$"))).resolves.toBe(false);
  });

  it("verifyNothing returns false, for any password, every time", async () => {
    await expect(hasher.verifyNothing("whatever-1")).resolves.toBe(false);
    await expect(hasher.verifyNothing("whatever-1")).resolves.toBe(false);
    // Not even the password of its own dummy hash gets through.
    await expect(hasher.verifyNothing("skillbridge-no-such-user")).resolves.toBe(false);
  });

  it("defaults to OWASP's scrypt parameters (N=2^17, r=8, p=1), and such hashes verify", async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const strong = new PasswordHasher();
    const stored = await strong.hash("owasp strength");
    expect(stored.startsWith("scrypt$131072$8$1$")).toBe(true);
    // Verification reads the cost from the hash, so the cheap hasher checks it too.
    await expect(hasher.verify("owasp strength", stored)).resolves.toBe(true);
  });
});
