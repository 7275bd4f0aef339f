import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SkillBridge } from "@skillbridge/sdk";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { login, logout } from "../src/commands/auth.js";
import { tenantsCreate } from "../src/commands/tenants/create.js";
import { writeLogin } from "../src/config-store.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// `skillbridge logout` when logged in to a server: the server revokes the
// stored token (`POST /auth/logout`, the SDK's `auth.logout()`), then the CLI
// forgets it; a server that cannot be reached does not keep the login here.

const north = {
  slug: "north-prep",
  name: "North Prep",
  adminEmail: "ada@north.example",
  adminName: "Ada Lovelace",
};

describe.each(ENGINES)("skillbridge logout revokes the token (%s)", (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli logout");
  let world: EmbeddedWorld;

  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("revokes the stored token on its server, then removes the login file", async () => {
    const setup = world.session();
    const created = await tenantsCreate(setup, north);
    const { apiUrl } = await setup.connect();
    try {
      const remote = world.session(
        { apiUrl },
        testIO(world.env, `${created.data.generatedPassword}\n`),
      );
      const loggedIn = await login(remote, {
        email: north.adminEmail,
        academy: north.slug,
        passwordStdin: true,
      });
      const file = loggedIn.data.configFile;
      const client = new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 });
      await client.auth.login({
        academy: north.slug,
        email: north.adminEmail,
        password: created.data.generatedPassword ?? "",
      });
      const stored = JSON.parse(readFileSync(file, "utf8")) as { token: string };
      const storedClient = new SkillBridge({ baseUrl: apiUrl, token: stored.token, maxRetries: 0 });
      expect((await storedClient.auth.me()).user.email).toBe(north.adminEmail);

      const out = await logout(world.session());
      expect(out.data).toEqual({ loggedOut: true, revoked: true });
      expect(existsSync(file)).toBe(false);
      await expect(storedClient.auth.me()).rejects.toMatchObject({ status: 401 });
      // Only that token: another session of the same user keeps working.
      expect((await client.auth.me()).user.email).toBe(north.adminEmail);
      await remote.close();
    } finally {
      await setup.close();
    }
  });

  it("forgets a login whose server cannot be reached, and warns that its token stays valid there", async () => {
    writeLogin(world.env, {
      apiUrl: "http://127.0.0.1:9",
      token: "a.b.c",
      email: "ada@north.example",
      academy: "north-prep",
      savedAt: new Date().toISOString(),
    });
    const out = await logout(world.session());
    expect(out.data.loggedOut).toBe(true);
    expect(out.data.revoked).toBe(false);
    expect(out.data.problem).toMatch(/stays valid there until it expires/);
    expect(existsSync(join(world.env.XDG_CONFIG_HOME ?? "", "skillbridge", "login.json"))).toBe(
      false,
    );
  });

  it("says so when not logged in, and asks no server", async () => {
    const out = await logout(world.session());
    expect(out.data).toEqual({ loggedOut: false, revoked: false });
  });
});
