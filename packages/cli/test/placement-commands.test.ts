import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { dbMigrate } from "../src/commands/db/migrate.js";
import { dbStatus } from "../src/commands/db/status.js";
import { tenantsCreate } from "../src/commands/tenants/create.js";
import { tenantsMove } from "../src/commands/tenants/move.js";
import { tenantsShow } from "../src/commands/tenants/show.js";
import { renderPlain } from "../src/output/plain.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// `tenants create --placement schema`, `tenants move`, `db migrate` and
// `db status`, called as command functions on the embedded mode over each
// engine (the commands open and close the database themselves).

const academy = (slug: string, placement: string) => ({
  slug,
  name: `Academy ${slug}`,
  adminEmail: `admin@${slug}.example`,
  adminName: "Ada Admin",
  placement,
});

// Each test opens the embedded database a few times: slow on a busy machine's PGlite.
describe.each(ENGINES)("placement commands on %s", { timeout: 180_000 }, (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli placement commands");
  let world: EmbeddedWorld;

  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  async function inSession<T>(
    fn: (s: ReturnType<EmbeddedWorld["session"]>) => Promise<T>,
    options: Parameters<EmbeddedWorld["session"]>[0] = {},
  ) {
    const session = world.session(options);
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  }

  /** Runs SQL on the world's database between commands. */
  async function onDatabase(text: string): Promise<void> {
    await world.withDatabase((db) => sql.raw(text).execute(db.kysely));
  }

  it("tenants create --placement schema onboards into a dedicated schema that db status lists up to date", async () => {
    const created = await inSession((s) => tenantsCreate(s, academy("west-prep", "schema")));
    expect(created.data.academy.placement).toBe("schema");
    const status = await inSession((s) => dbStatus(s));
    const schema = `academy_${created.data.academy.id.replaceAll("-", "")}`;
    expect(status.exitCode).toBe(0);
    expect(status.data.behind).toEqual([]);
    expect(status.data.schemas.map((x) => [x.schema, x.academy, x.state])).toEqual([
      ["public", null, "up to date"],
      [schema, "west-prep", "up to date"],
    ]);
    expect(status.data.schemas[1]?.version).toBe(status.data.latest);
    expect(renderPlain(status.view)).toContain(
      `${schema}\twest-prep\t${status.data.latest}\tup to date`,
    );
  });

  it("db status exits 1 naming a schema that is behind; db migrate brings it up and reports it", async () => {
    const created = await inSession((s) => tenantsCreate(s, academy("east-prep", "schema")));
    const schema = `academy_${created.data.academy.id.replaceAll("-", "")}`;
    // Undo the last tenant migration's bookkeeping and its newest table, as if it had just shipped.
    await onDatabase(
      `drop trigger users_credentials on ${schema}.users;
       alter table ${schema}.users drop column credentials_version;
       delete from ${schema}.skillbridge_tenant_migrations where name = '0009_credentials';`,
    );
    const behind = await inSession((s) => dbStatus(s));
    expect(behind.exitCode).toBe(1);
    expect(behind.data.behind).toEqual([schema]);
    expect(behind.data.schemas[1]).toMatchObject({
      state: "behind",
      pending: ["0009_credentials"],
    });

    const io = testIO(world.env);
    const migrated = await dbMigrate(world.session({}, io), { concurrency: "2" });
    expect(migrated.data.failed).toEqual([]);
    expect(migrated.exitCode).toBeUndefined();
    expect(migrated.data).toMatchObject({
      schemas: 2,
      upToDate: 1,
      migrated: [{ schema, applied: ["0009_credentials"] }],
      failed: [],
      behind: [],
    });
    // Not a terminal: one plain progress line per schema on stderr.
    expect(io.err()).toMatch(
      /^1 of 2 tenant schemas to migrate\n\[1\/1\] academy_\w+: 0009_credentials \(\d+ ms\)\n$/,
    );
    const after = await inSession((s) => dbStatus(s));
    expect(after.data.behind).toEqual([]);
  });

  it("db migrate --json prints only the result on stdout, and is a no-op on an up-to-date database", async () => {
    await inSession((s) => tenantsCreate(s, academy("north-prep", "shared")));
    const io = testIO(world.env);
    const session = world.session({ json: true }, io);
    const output = await dbMigrate(session, {});
    await session.print(output);
    expect(JSON.parse(io.out())).toMatchObject({ migrated: [], behind: [], upToDate: 1 });
    expect(io.err()).toBe("");
  });

  it("db migrate refuses a concurrency out of range, and runs only on the local database", async () => {
    const range = await dbMigrate(world.session(), { concurrency: "0" }).catch((e) => e);
    expect(range.message).toBe('--concurrency must be a whole number from 1 to 32; got "0".');
    const remote = await dbStatus(world.session({ apiUrl: "http://127.0.0.1:9" })).catch((e) => e);
    expect(remote.message).toMatch(
      /^`db status` works on the local database, but --api-url names a server \(http:\/\/127\.0\.0\.1:9\)/,
    );
  });

  it("tenants move asks for --yes without a terminal, then moves there and back keeping every row", async () => {
    await inSession((s) => tenantsCreate(s, academy("south-prep", "shared")));
    const refused = await inSession((s) => tenantsMove(s, "south-prep", { to: "schema" })).catch(
      (e) => e,
    );
    expect(refused.message).toMatch(/^Missing --yes/);
    expect((await inSession((s) => tenantsShow(s, "south-prep"))).data.placement).toBe("shared");

    const there = await inSession((s) => tenantsMove(s, "south-prep", { to: "schema" }), {
      yes: true,
    });
    expect(there.data).toMatchObject({ from: "shared", to: "schema" });
    expect(there.data.tables.find((t) => t.table === "users")?.rows).toBe(1);
    expect(renderPlain(there.view)).toContain("users\t1");
    expect((await inSession((s) => tenantsShow(s, "south-prep"))).data.placement).toBe("schema");

    const again = await inSession((s) => tenantsMove(s, "south-prep", { to: "schema" }), {
      yes: true,
    }).catch((e) => e);
    expect(again.message).toBe(`Academy "south-prep" is already placed in 'schema'.`);

    const back = await inSession((s) => tenantsMove(s, "south-prep", { to: "shared" }), {
      yes: true,
    });
    expect(back.data).toMatchObject({
      from: "schema",
      to: "shared",
      academy: { placement: "shared" },
    });
    expect(back.data.tables).toEqual(there.data.tables);
  });

  it("tenants move names the flag for a bad placement and an unknown academy", async () => {
    const bad = await inSession((s) => tenantsMove(s, "x", { to: "citus" })).catch((e) => e);
    expect(bad.message).toBe('--to must be "schema" or "shared"; got "citus".');
    const unknown = await inSession((s) => tenantsMove(s, "nowhere", { to: "schema" }), {
      yes: true,
    }).catch((e) => e);
    expect(unknown.message).toBe('No academy with slug "nowhere".');
  });
});
