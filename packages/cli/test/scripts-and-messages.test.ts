import { SkillBridge } from "@skillbridge/sdk";
import { afterEach, beforeEach, describe, expect, it, test } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { generatePassword } from "../src/commands/shared.js";
import { writeLogin } from "../src/config-store.js";
import { main } from "../src/main.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// What a new user trips on (#22), through `main` as the binary calls it:
// quiet output a script can use, messages that say what really went wrong,
// every missing flag at once, and which backend answered.

const argv = (...args: string[]) => ["node", "skillbridge", ...args];

const create = (slug: string, ...extra: string[]) => [
  "tenants",
  "create",
  "--slug",
  slug,
  "--name",
  "North Prep",
  "--admin-email",
  `ada@${slug}.example`,
  "--admin-name",
  "Ada Lovelace",
  ...extra,
];

describe("without a database", () => {
  const env = { CI: "true", HOME: "/nonexistent", XDG_CONFIG_HOME: "/nonexistent" };

  it("every missing flag is reported at once, in one line", async () => {
    const io = testIO(env);
    expect(await main(argv("tenants", "create", "--name", "X"), io)).toBe(1);
    expect(io.err()).toMatch(
      /^Error: Missing --slug \(academy slug\), --admin-email \(first admin's email\) and --admin-name \(first admin's name\)\. Pass them as flags/,
    );
    expect(io.err().trimEnd().split("\n")).toHaveLength(1);

    const impersonation = testIO(env);
    expect(await main(argv("impersonate", "--academy", "x"), impersonation)).toBe(1);
    expect(impersonation.err()).toMatch(/^Error: Missing --user \(.*\) and --reason \(why.*\)/);
  });

  it("a --reason the API would refuse is a usage error naming the flag, before anything is sent", async () => {
    for (const [reason, length] of [
      ["ab", 2],
      ["  ab  ", 2],
      ["x".repeat(501), 501],
    ] as const) {
      const io = testIO(env);
      expect(
        await main(
          argv("impersonate", "--academy", "x", "--user", "u@x.example", "--reason", reason),
          io,
        ),
      ).toBe(1);
      expect(io.err()).toBe(
        `Error: --reason must be 3-500 characters (spaces at either end not counted); got ${length}.\n`,
      );
    }
  });

  it("a bad --api-url is a usage error (exit 1) naming the flag, not a bug", async () => {
    for (const url of ["localhost:4100", "ftp://example.com", "not a url"]) {
      const io = testIO(env);
      expect(await main(argv("--api-url", url, "tenants", "list"), io)).toBe(1);
      expect(io.err()).toMatch(/^Error: --api-url must be an http\(s\) URL; got "/);
      expect(io.err()).not.toMatch(/report/i);
    }
    const io = testIO({ ...env, SKILLBRIDGE_API_URL: "127.0.0.1:3000" });
    expect(await main(argv("whoami"), io)).toBe(1);
    expect(io.err()).toMatch(/^Error: SKILLBRIDGE_API_URL must be an http\(s\) URL/);
  });

  it("help states the limits of what it asks for", async () => {
    const io = testIO(env);
    expect(await main(argv("impersonate", "--help"), io)).toBe(0);
    expect(io.out()).toMatch(
      /--reason <reason>\s+why, written to the audit log \(3-500\s+characters\)/,
    );
    const users = testIO(env);
    await main(argv("users", "create", "--help"), users);
    expect(users.out()).toMatch(/8-256 characters/);
    // users create never impersonates (docs/cli.md): its help offers no --reason.
    expect(users.out()).not.toMatch(/--reason/);
    // serve: the process count's range and needs, and every variable it reads.
    const serve = testIO(env);
    expect(await main(argv("serve", "--help"), serve)).toBe(0);
    expect(serve.out()).toMatch(/--workers <n\|auto>\s+server processes on one port, 1-64 or auto/);
    expect(serve.out()).toMatch(/above 1 needs PostgreSQL \(DATABASE_URL\)/);
    expect(serve.out()).not.toMatch(/--no-workers/);
    for (const variable of [
      "DATABASE_URL",
      "REDIS_URL",
      "SKILLBRIDGE_REDIS_PREFIX",
      "SKILLBRIDGE_RATE_LIMIT",
      "SKILLBRIDGE_TENANT_SLOTS",
      "SKILLBRIDGE_JWT_SECRET",
      "LOG_LEVEL",
    ])
      expect(serve.out()).toMatch(new RegExp(`\\n  ${variable} +\\S`));
  });

  it("every error line starts with Error:, commander's too, and is red on a terminal", async () => {
    const unknown = testIO(env);
    expect(await main(argv("tenants", "list", "--nope"), unknown)).toBe(1);
    expect(unknown.err()).toMatch(/^Error: unknown option '--nope'/);

    const tty = testIO(env);
    Object.assign(tty.stderr, { isTTY: true });
    expect(await main(argv("tenants", "create", "--name", "X"), tty)).toBe(1);
    expect(tty.err().startsWith("\u001b[31mError: Missing --slug")).toBe(true);

    const plain = testIO({ ...env, NO_COLOR: "1" });
    Object.assign(plain.stderr, { isTTY: true });
    await main(argv("tenants", "create", "--name", "X"), plain);
    expect(plain.err()).toMatch(/^Error: Missing --slug/);
  });

  it("--invite with --admin-password is a usage error (exit 1), sent nowhere", async () => {
    const io = testIO(env);
    expect(
      await main(argv(...create("x-prep", "--invite", "--admin-password", "chosen-pass-1")), io),
    ).toBe(1);
    expect(io.err()).toMatch(/^Error: --invite and --admin-password do not go together/);
    expect(io.out()).toBe("");
  });

  it("tenants create --help offers --invite", async () => {
    const io = testIO(env);
    expect(await main(argv("tenants", "create", "--help"), io)).toBe(0);
    expect(io.out()).toMatch(/--invite\s+invite the first admin instead/);
  });

  it("generated passwords never start with a dash, which a later command would read as a flag", () => {
    // 1 in 64 base64url strings starts with "-": 3,000 draws would show dozens.
    const drawn = Array.from({ length: 3000 }, () => generatePassword());
    expect(drawn.filter((p) => p.startsWith("-"))).toEqual([]);
    expect(drawn.every((p) => /^[A-Za-z0-9_-]{24}$/.test(p))).toBe(true);
  });
});

// Each test starts the embedded server a few times: slow on a busy machine's PGlite.
describe.each(ENGINES)("on %s", { timeout: 180_000 }, (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli scripts and messages");
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("tenants create --invite -q prints the id and the invitation token, which sets the admin's own password once", async () => {
    const io = testIO(world.env);
    expect(await main(argv("-q", ...create("invite-prep", "--invite")), io)).toBe(0);
    expect(io.err()).toBe("");
    const [academyId, token, ...more] = io.out().trimEnd().split("\t");
    expect(academyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(more).toEqual([]);

    const session = world.session();
    try {
      const { apiUrl } = await session.connect();
      const client = new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 });
      // Nothing signs in before the invitation is accepted.
      const before = await client.auth
        .login({ academy: "invite-prep", email: "ada@invite-prep.example", password: "mine-now-1" })
        .catch((e: unknown) => (e as { status?: number }).status);
      expect(before).toBe(401);
      const accepted = await client.auth.acceptInvitation(token ?? "", "mine-now-1");
      expect(accepted.user).toMatchObject({ email: "ada@invite-prep.example", role: "admin" });
      expect(accepted.user.academyId).toBe(academyId);
      // The SDK keeps the token, as after login.
      expect((await client.auth.me()).academy?.id).toBe(academyId);
      const again = await client.auth
        .acceptInvitation(token ?? "", "another-one-1")
        .catch((e: unknown) => {
          const error = e as { status?: number; code?: string };
          return [error.status, error.code];
        });
      expect(again).toEqual([410, "invitation_used"]);
      const signedIn = await new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 }).auth.login({
        academy: "invite-prep",
        email: "ada@invite-prep.example",
        password: "mine-now-1",
      });
      expect(signedIn.user.id).toBe(accepted.user.id);
    } finally {
      await session.close();
    }
  });

  it("--quiet prints the id and the one-time password, tab-separated, for tenants and users create", async () => {
    const tenants = testIO(world.env);
    expect(await main(argv("-q", ...create("quiet-prep")), tenants)).toBe(0);
    expect(tenants.err()).toBe("");
    const [academyId, adminPassword, ...more] = tenants.out().trimEnd().split("\t");
    expect(academyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(adminPassword).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{23}$/);
    expect(more).toEqual([]);

    const users = testIO(world.env);
    const args = ["users", "create", "--academy", "quiet-prep", "--role", "student"];
    expect(
      await main(argv(...args, "--email", "sam@quiet.example", "--name", "Sam", "--quiet"), users),
    ).toBe(0);
    const [userId, password] = users.out().trimEnd().split("\t");
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);

    // The password printed is the one that signs in.
    const session = world.session();
    const { apiUrl } = await session.connect();
    const client = new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 });
    const signedIn = await client.auth.login({
      academy: "quiet-prep",
      email: "sam@quiet.example",
      password: password ?? "",
    });
    expect(signedIn.user.id).toBe(userId);
    await session.close();

    // A password given by flag is not printed back: the id alone.
    const given = testIO(world.env);
    await main(
      argv(
        ...args,
        "--email",
        "kim@quiet.example",
        "--name",
        "Kim",
        "--password",
        "long-enough-1",
        "-q",
      ),
      given,
    );
    expect(given.out()).toMatch(/^[0-9a-f-]{36}\n$/);
  });

  // Its expectation differs by engine: on both, every run.
  test("human output names the backend that answered", async () => {
    const io = testIO(world.env);
    expect(await main(argv(...create("named-prep")), io)).toBe(0);
    const where = engine === "pglite" ? /PGlite in .*data/ : /PostgreSQL at 127\.0\.0\.1:5432\//;
    expect(io.out()).toMatch(new RegExp(`\\nserver: embedded \\(${where.source}`));
  });

  it("impersonate --exec --json prints one JSON document without the token; the command's stdout goes to stderr", async () => {
    await main(argv(...create("exec-prep")), testIO(world.env));
    const io = testIO(world.env);
    const code = await main(
      argv(
        "impersonate",
        "--academy",
        "exec-prep",
        "--user",
        "ada@exec-prep.example",
        "--reason",
        "support ticket 42",
        "--exec",
        'printf "token=%s" "$SKILLBRIDGE_TOKEN"',
        "--json",
      ),
      io,
    );
    expect(code).toBe(0);
    const document = JSON.parse(io.out());
    expect(document).toMatchObject({ exitCode: 0, academy: { slug: "exec-prep" } });
    expect(document).not.toHaveProperty("accessToken");
    expect(io.out()).not.toMatch(/eyJ/);
    // The command did get a live token: it printed it, to stderr.
    expect(io.err()).toMatch(/token=eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it("with a stored login, db status names that login and `skillbridge logout` instead of an API URL", async () => {
    writeLogin(world.env, {
      apiUrl: "http://127.0.0.1:4100",
      token: "t",
      email: "ops@platform.example",
      academy: null,
      savedAt: new Date().toISOString(),
    });
    for (const command of [["db", "status"], ["db", "migrate"], ["init"]]) {
      const io = testIO(world.env);
      expect(await main(argv(...command), io)).toBe(1);
      expect(io.err()).toMatch(
        /logged in to http:\/\/127\.0\.0\.1:4100 \(as ops@platform\.example\)/,
      );
      expect(io.err()).toMatch(/Run `skillbridge logout` first/);
      expect(io.err()).not.toMatch(/an API URL is set/);
    }
  });

  it("a wrong password at login says so; a login for 127.0.0.1 used with localhost explains the mismatch", async () => {
    await main(
      argv(...create("login-prep", "--admin-password", "right-password-1")),
      testIO(world.env),
    );
    const session = world.session();
    const { apiUrl } = await session.connect();
    try {
      const wrong = testIO(world.env, "wrong-password-1\n");
      const login = ["--email", "ada@login-prep.example", "--academy", "login-prep"];
      expect(
        await main(argv("--api-url", apiUrl, "login", ...login, "--password-stdin"), wrong),
      ).toBe(1);
      expect(wrong.err()).toMatch(/^Error: Wrong email or password for academy "login-prep"/);
      expect(wrong.err()).not.toMatch(/session expired/);

      const right = testIO(world.env, "right-password-1\n");
      expect(
        await main(argv("--api-url", apiUrl, "login", ...login, "--password-stdin"), right),
      ).toBe(0);

      const other = apiUrl.replace("127.0.0.1", "localhost");
      const mismatch = testIO(world.env);
      expect(await main(argv("--api-url", other, "whoami"), mismatch)).toBe(1);
      expect(mismatch.err()).toMatch(
        new RegExp(`^Error: Not signed in to ${other}: your stored login is for ${apiUrl}`),
      );
      expect(mismatch.err()).toMatch(new RegExp(`Use --api-url ${apiUrl}`));
    } finally {
      await session.close();
    }
  });
});
