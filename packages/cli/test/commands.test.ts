import { statSync } from "node:fs";
import { join } from "node:path";
import { SkillBridge } from "@skillbridge/sdk";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { login, whoami } from "../src/commands/auth.js";
import { impersonate } from "../src/commands/impersonate.js";
import { init } from "../src/commands/init.js";
import { parentsLink } from "../src/commands/parents/link.js";
import { tenantsCreate } from "../src/commands/tenants/create.js";
import { tenantsDelete } from "../src/commands/tenants/delete.js";
import { tenantsList } from "../src/commands/tenants/list.js";
import { tenantsShow } from "../src/commands/tenants/show.js";
import { tenantsRestore, tenantsSuspend } from "../src/commands/tenants/status.js";
import { usersCreate } from "../src/commands/users/create.js";
import { usersList } from "../src/commands/users/list.js";
import { worker } from "../src/commands/worker.js";
import { resolveToken } from "../src/connection/remote.js";
import { CliError, MissingFlagError, toCliError } from "../src/errors.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// The command functions, called directly, on the embedded mode over each
// database engine: every call goes through the in-process server and the SDK.

const north = {
  slug: "north-prep",
  name: "North Prep",
  adminEmail: "ada@north.example",
  adminName: "Ada Lovelace",
};

// Each test opens the embedded database a few times: slow on a busy machine's PGlite.
describe.each(ENGINES)("skillbridge commands on %s", { timeout: 180_000 }, (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli commands");
  let world: EmbeddedWorld;

  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  /** Runs `fn` in a fresh session and closes it, so the next one can open the database. */
  async function inSession<T>(fn: (s: ReturnType<EmbeddedWorld["session"]>) => Promise<T>) {
    const session = world.session();
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  }

  it("tenants create onboards an academy and its admin, with a generated password that signs in", async () => {
    const created = await inSession((s) => tenantsCreate(s, north));
    expect(created.data.academy).toMatchObject({
      slug: "north-prep",
      placement: "shared",
      status: "active",
    });
    expect(created.data.admin).toMatchObject({ email: "ada@north.example", role: "admin" });
    const password = created.data.generatedPassword;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(created.view).toMatchObject({ kind: "summary", secret: ["password"] });

    await inSession(async (s) => {
      const { client } = await s.connect();
      const anonymous = new SkillBridge({ baseUrl: (await s.connect()).apiUrl });
      const signedIn = await anonymous.auth.login({
        academy: "north-prep",
        email: north.adminEmail,
        password: password ?? "",
      });
      expect(signedIn.user.role).toBe("admin");
      const listed = await tenantsList(s);
      expect(listed.data.map((a) => a.slug)).toEqual(["north-prep"]);
      expect(client.token).toBeDefined();
    });
  });

  it("a taken slug is a clear error and creates nothing", async () => {
    await inSession(async (s) => {
      await tenantsCreate(s, north);
      const error = (await tenantsCreate(s, { ...north, adminEmail: "other@north.example" }).catch(
        toCliError,
      )) as Error;
      expect(error).toBeInstanceOf(CliError);
      expect(error.message).toBe('The slug "north-prep" is taken.');
      expect((await tenantsList(s, { all: true })).data).toHaveLength(1);
    });
  });

  it("without a terminal, a missing value is an error naming its flag, before anything is sent", async () => {
    const error = await inSession((s) => tenantsCreate(s, { ...north, slug: undefined })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(MissingFlagError);
    expect(error.message).toMatch(/^Missing --slug \(/);
    expect((await inSession((s) => tenantsList(s))).data).toEqual([]);
  });

  it("an invalid slug is refused with the field's message", async () => {
    const error = (await inSession((s) => tenantsCreate(s, { ...north, slug: "North Prep" })).catch(
      toCliError,
    )) as Error;
    expect(error).toBeInstanceOf(CliError);
    expect(error.message).toMatch(/slug: Use lowercase letters/);
  });

  it("users create as a platform admin goes through the audited platform route (an impersonation cannot create users)", async () => {
    await inSession(async (s) => {
      await tenantsCreate(s, north);
      const created = await usersCreate(s, {
        academy: "north-prep",
        email: "sam@north.example",
        name: "Sam",
        role: "student",
        reason: "ticket 12: add a student",
      });
      expect(created.data.user).toMatchObject({ email: "sam@north.example", role: "student" });
      expect(created.data.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const { client } = await s.connect();
      const events = [];
      for await (const event of client.auditLog.list()) events.push(event);
      expect(events.find((e) => e.action === "academy.users.create")).toMatchObject({
        details: { role: "student", email: "sam@north.example" },
      });
      expect(events.some((e) => e.action === "impersonation.create")).toBe(false);
      const users = await usersList(s, { academy: "north-prep", role: "student" });
      expect(users.data.map((u) => u.email)).toEqual(["sam@north.example"]);
    });
  });

  it("parents link lets the parent see exactly the linked student", async () => {
    await inSession(async (s) => {
      await tenantsCreate(s, north);
      const people = [
        ["sam@north.example", "student"],
        ["kim@north.example", "student"],
        ["pat@north.example", "parent"],
      ] as const;
      for (const [email, role] of people) {
        await usersCreate(s, {
          academy: "north-prep",
          email,
          name: "Someone",
          role,
          password: "long-enough-pw",
        });
      }
      const link = await parentsLink(s, {
        academy: "north-prep",
        parent: "pat@north.example",
        student: "sam@north.example",
      });
      expect(link.data.parentId).toBeDefined();
      const wrongRole = await parentsLink(s, {
        academy: "north-prep",
        parent: "kim@north.example",
        student: "sam@north.example",
      }).catch((e) => e);
      expect(wrongRole).toBeInstanceOf(CliError);
      expect(wrongRole.message).toBe("kim@north.example is a student, not a parent.");

      const token = (
        await impersonate(s, {
          academy: "north-prep",
          user: "pat@north.example",
          reason: "check the parent view",
        })
      ).data.accessToken;
      const asParent = (await s.connect()).client.withToken(token);
      const seen = [];
      for await (const user of asParent.users.list()) seen.push(user.email);
      expect(seen.sort()).toEqual(["pat@north.example", "sam@north.example"]);
    });
  });

  /** An academy with one submission waiting for AI pre-grading; returns its id and a staff login. */
  async function queuedSubmission(): Promise<{
    submissionId: string;
    instructor: { academy: string; email: string; password: string };
  }> {
    return inSession(async (s) => {
      await tenantsCreate(s, north);
      const people = [
        ["ines@north.example", "instructor"],
        ["sam@north.example", "student"],
      ] as const;
      for (const [email, role] of people) {
        await usersCreate(s, {
          academy: "north-prep",
          email,
          name: "Someone",
          role,
          password: "long-enough-pw",
        });
      }
      const { apiUrl } = await s.connect();
      const signIn = async (email: string) => {
        const client = new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 });
        await client.auth.login({ academy: "north-prep", email, password: "long-enough-pw" });
        return client;
      };
      const teacher = await signIn("ines@north.example");
      const sam = await signIn("sam@north.example");
      const me = await teacher.auth.me();
      const course = await teacher.courses.create({ title: "Algebra", instructorId: me.user.id });
      await teacher.enrollments.create(course.id, { studentId: (await sam.auth.me()).user.id });
      const assignment = await teacher.assignments.create(course.id, {
        title: "Solve",
        instructions: "Solve 2x + 3 = 87 and show the method.",
        maxPoints: 10,
        rubric: [{ id: "method", description: "Shows the method and the value of x", points: 10 }],
      });
      const submission = await sam.submissions.create(assignment.id, {
        content: "I subtracted 3 and divided by 2, so the value of x is 42.",
      });
      return {
        submissionId: submission.id,
        instructor: {
          academy: "north-prep",
          email: "ines@north.example",
          password: "long-enough-pw",
        },
      };
    });
  }

  async function aiStatus(
    submissionId: string,
    instructor: { academy: string; email: string; password: string },
  ) {
    return inSession(async (s) => {
      const client = new SkillBridge({ baseUrl: (await s.connect()).apiUrl, maxRetries: 0 });
      await client.auth.login(instructor);
      return (await client.submissions.get(submissionId)).aiReview;
    });
  }

  it("worker --once grades the queued submission with the offline rules and reports what it did", async () => {
    const { submissionId, instructor } = await queuedSubmission();
    // The embedded server of the commands above runs no worker: the job is still waiting.
    expect((await aiStatus(submissionId, instructor))?.status).toBe("queued");
    const io = testIO({ ...world.env, LOG_LEVEL: "silent" });
    const ran = await inSession(() => worker(world.session({}, io), { once: true }));
    expect(ran.data).toMatchObject({ done: 1, retried: 0, dead: 0, lost: 0 });
    expect(ran.view).toMatchObject({
      kind: "summary",
      notes: ["AI: offline rules (no GROQ_API_KEY)"],
    });
    expect(await aiStatus(submissionId, instructor)).toMatchObject({
      status: "suggested",
      suggestion: { offline: true, criteria: [{ criterionId: "method" }] },
    });
    const again = await inSession(() =>
      worker(world.session({}, testIO({ ...world.env, LOG_LEVEL: "silent" })), { once: true }),
    );
    expect(again.data).toMatchObject({ done: 0 });
  });

  it("worker runs until told to stop, finishes the job in hand, closes the database, and logs each job", async () => {
    const { submissionId, instructor } = await queuedSubmission();
    const io = testIO({ ...world.env, LOG_LEVEL: "debug" });
    let stop!: () => void;
    const until = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const ran = await worker(
      world.session({}, io),
      { pollInterval: "20" },
      {
        until,
        onEvent: (event) => {
          if (event.type === "done") stop();
        },
      },
    );
    expect(ran.data).toMatchObject({ done: 1, dead: 0 });
    expect(io.out()).toMatch(/^SkillBridge worker \S+ on .*\n {2}AI {7}offline rules/);
    expect(io.err()).toMatch(/"kind":"grade_submission","msg":"job done"/);
    // The database is closed: the next command opens it (PGlite allows one process at a time).
    expect((await aiStatus(submissionId, instructor))?.status).toBe("suggested");
  });

  it("worker refuses a concurrency out of range before opening anything", async () => {
    const error = await worker(world.session(), { concurrency: "0" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      '--concurrency must be a whole number from 1 to 32; got "0".',
    );
  });

  it("impersonate gives a token that acts as that user, and refuses a TTL over an hour", async () => {
    await inSession(async (s) => {
      await tenantsCreate(s, north);
      const result = await impersonate(s, {
        academy: "north-prep",
        user: north.adminEmail,
        reason: "support ticket 9",
        ttl: "10m",
      });
      expect(result.data.expiresIn).toBe(600);
      expect(result.view).toEqual({ kind: "text", text: result.data.accessToken });
      const me = await (await s.connect()).client.withToken(result.data.accessToken).auth.me();
      expect(me.user.email).toBe(north.adminEmail);
      expect(me.academy?.slug).toBe("north-prep");
      const tooLong = await impersonate(s, {
        academy: "north-prep",
        user: north.adminEmail,
        reason: "x-y-z",
        ttl: "2h",
      }).catch((e) => e);
      expect(tooLong.message).toMatch(/--ttl must be between 1m and 1h/);
      const unknown = await impersonate(s, {
        academy: "north-prep",
        user: "nobody@north.example",
        reason: "x-y-z",
      }).catch((e) => e);
      expect(unknown.message).toBe('No user nobody@north.example in academy "north-prep".');
    });
  });

  it("tenants delete asks for --yes without a terminal; delete, show and restore round-trip", async () => {
    await inSession(async (s) => {
      await tenantsCreate(s, north);
      const refused = await tenantsDelete(s, "north-prep").catch((e) => e);
      expect(refused.message).toMatch(/^Missing --yes/);
      expect((await tenantsList(s)).data).toHaveLength(1);
    });
    await inSession(async (s) => {
      const yes = world.session({ yes: true });
      await s.close();
      await tenantsDelete(yes, "north-prep");
      await yes.close();
    });
    await inSession(async (s) => {
      expect((await tenantsList(s)).data).toEqual([]);
      expect((await tenantsShow(s, "north-prep")).data.deletedAt).not.toBeNull();
      const restored = await tenantsRestore(s, "north-prep");
      expect(restored.data).toMatchObject({ deletedAt: null, status: "active" });
    });
  });

  it("suspend blocks the academy's users with 403; after restore they sign in again", async () => {
    await inSession(async (s) => {
      const created = await tenantsCreate(s, north);
      const { apiUrl } = await s.connect();
      const admin = new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 });
      await admin.auth.login({
        academy: "north-prep",
        email: north.adminEmail,
        password: created.data.generatedPassword ?? "",
      });
      expect((await tenantsSuspend(s, "north-prep")).data.status).toBe("suspended");
      expect(await admin.auth.me().catch((e) => (e as { status?: number }).status)).toBe(403);
      const again = await tenantsSuspend(s, "north-prep").catch((e) => e);
      expect(again.message).toBe('Academy "north-prep" is already suspended.');
      expect((await tenantsRestore(s, "north-prep")).data.status).toBe("active");
      // The suspension revoked the older token (#18 finding 4); signing in again works.
      expect(await admin.auth.me().catch((e) => (e as { status?: number }).status)).toBe(401);
      await admin.auth.login({
        academy: "north-prep",
        email: north.adminEmail,
        password: created.data.generatedPassword ?? "",
      });
      expect((await admin.auth.me()).user.email).toBe(north.adminEmail);
    });
  });

  it("init creates the first platform admin once; re-running changes nothing", async () => {
    // A database as on the very first start (worlds start migrated): init applies the migrations.
    await world.dispose();
    world = await embeddedWorld(engine, { migrated: false });
    const first = await inSession((s) =>
      init(s, { adminEmail: "root@platform.example", adminPassword: "root-password-1" }),
    );
    expect(first.data).toMatchObject({
      created: true,
      generatedPassword: null,
      admin: { email: "root@platform.example", role: "platform_admin" },
    });
    expect(first.data.migrationsApplied.length).toBeGreaterThan(0);
    const second = await inSession((s) => init(s, { adminEmail: "root@platform.example" }));
    expect(second.data).toMatchObject({
      created: false,
      generatedPassword: null,
      migrationsApplied: [],
    });

    const refused = await inSession(() => {
      const remote = world.session({ apiUrl: "http://127.0.0.1:9" });
      return init(remote, { adminEmail: "root@platform.example" }).finally(() => remote.close());
    }).catch((e) => e);
    expect(refused.message).toMatch(/prepares the local database/);
  });

  it("whoami in embedded mode is the local operator; login keeps a 0600 token used only for its server", async () => {
    const created = await inSession((s) => tenantsCreate(s, north));
    const embedded = world.session();
    try {
      const me = await whoami(embedded);
      expect(me.data).toMatchObject({
        mode: "embedded",
        user: { email: "operator@skillbridge.invalid", role: "platform_admin" },
      });
      const { apiUrl } = await embedded.connect();

      const loginIO = testIO(world.env, `${created.data.generatedPassword}\n`);
      const remote = world.session({ apiUrl }, loginIO);
      const loggedIn = await login(remote, {
        email: north.adminEmail,
        academy: "north-prep",
        passwordStdin: true,
      });
      expect(loggedIn.data.user.email).toBe(north.adminEmail);
      expect(statSync(loggedIn.data.configFile).mode & 0o777).toBe(0o600);
      expect(loggedIn.data.configFile).toBe(
        join(world.env.XDG_CONFIG_HOME ?? "", "skillbridge", "login.json"),
      );

      // The stored login makes later runs remote, signed in as Ada.
      const later = world.session();
      expect((await whoami(later)).data).toMatchObject({
        mode: "remote",
        apiUrl,
        user: { email: north.adminEmail },
      });
      await later.close();
      expect(resolveToken(apiUrl, world.env)).toBeDefined();
      expect(resolveToken("http://127.0.0.1:1", world.env)).toBeUndefined();
      expect(
        resolveToken("http://127.0.0.1:1", { ...world.env, SKILLBRIDGE_TOKEN: "from-env" }),
      ).toBe("from-env");
      await remote.close();
    } finally {
      await embedded.close();
    }
  });
});
