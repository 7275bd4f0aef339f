import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictError,
  dedicatedSchemaName,
  type MoveStep,
  openDatabase,
  type SkillBridgeDatabase,
  TENANT_TABLES,
  withPlatform,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// Moving an academy between the shared schema and its dedicated schema: every
// row and every id survives a round trip, and a move stopped half-way (its
// connection killed, or failing after the switch) leaves the academy whole
// where it was.

type Raw = Kysely<unknown>;
const raw = (db: SkillBridgeDatabase) => db.kysely as unknown as Raw;
const services = fastServices();
const operator = { platformUserId: null };

/** Every row of the academy in `schema`, per table, as text keyed by id (as the superuser sees them). */
async function rowsIn(db: SkillBridgeDatabase, schema: string, academyId: string) {
  const out: Record<string, Record<string, string>> = {};
  for (const table of TENANT_TABLES) {
    const result = await sql<{ id: string; row: string }>`
      select t.id, to_jsonb(t)::text as row from ${sql.table(`${schema}.${table}`)} t
      where t.tenant_id = ${academyId} order by t.id`.execute(raw(db));
    out[table] = Object.fromEntries(result.rows.map((r) => [r.id, r.row]));
  }
  return out;
}

async function schemaExists(db: SkillBridgeDatabase, schema: string): Promise<boolean> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(raw(db));
  return result.rows[0]?.n === 1;
}

async function placementOf(db: SkillBridgeDatabase, academyId: string): Promise<string> {
  return withPlatform(db, async (trx) => (await services.academies.get(trx, academyId)).placement);
}

const courseTitles = (db: SkillBridgeDatabase, academy: SeededAcademy) =>
  withTenant(db, { tenantId: academy.academyId, userId: null, role: "system" }, async (trx) =>
    (await trx.selectFrom("courses").select("title").orderBy("title").execute()).map(
      (r) => r.title,
    ),
  );

const rowCount = (rows: Record<string, Record<string, string>>) =>
  Object.values(rows).reduce((n, table) => n + Object.keys(table).length, 0);

describe.each(ENGINES)("moving an academy between placements (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let mover: SeededAcademy;
  let bystander: SeededAcademy;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    mover = await seedAcademy(db, services, "mover");
    bystander = await seedAcademy(db, services, "bystander");
  });
  afterAll(() => dispose());

  it("a round trip shared -> schema -> shared keeps every row and every id", async () => {
    const dedicated = dedicatedSchemaName(mover.academyId);
    const original = await rowsIn(db, "public", mover.academyId);
    const others = await rowsIn(db, "public", bystander.academyId);
    expect(rowCount(original)).toBeGreaterThan(TENANT_TABLES.length);
    for (const table of TENANT_TABLES)
      expect(Object.keys(original[table] ?? {})).not.toHaveLength(0);

    const there = await services.academies.move(db, operator, mover.academyId, { to: "schema" });
    expect(there).toMatchObject({ from: "shared", to: "schema", academy: { placement: "schema" } });
    expect(there.tables.map((t) => t.table)).toEqual([...TENANT_TABLES]);
    expect(there.tables.reduce((n, t) => n + t.rows, 0)).toBe(rowCount(original));
    expect(await rowsIn(db, dedicated, mover.academyId)).toEqual(original);
    expect(rowCount(await rowsIn(db, "public", mover.academyId))).toBe(0);
    expect(await courseTitles(db, mover)).toEqual(["GRE Verbal", "SAT Math"]);

    const back = await services.academies.move(db, operator, mover.academyId, { to: "shared" });
    expect(back).toMatchObject({ from: "schema", to: "shared", academy: { placement: "shared" } });
    expect(await rowsIn(db, "public", mover.academyId)).toEqual(original);
    expect(await schemaExists(db, dedicated)).toBe(false);
    expect(await rowsIn(db, "public", bystander.academyId)).toEqual(others);
    expect(await courseTitles(db, mover)).toEqual(["GRE Verbal", "SAT Math"]);
  });

  it("the audit log records each move with its row counts", async () => {
    const events = await withPlatform(db, (trx) =>
      trx
        .selectFrom("audit_log")
        .select(["action", "details", "academy_id"])
        .where("action", "=", "academy.move")
        .orderBy("occurred_at")
        .execute(),
    );
    expect(events.map((e) => [e.academy_id, e.details.from, e.details.to])).toEqual([
      [mover.academyId, "shared", "schema"],
      [mover.academyId, "schema", "shared"],
    ]);
    expect(events[0]?.details.rows).toMatchObject({ users: 7 });
  });

  it("a move to the placement the academy already has is a 409 and changes nothing", async () => {
    await expect(
      services.academies.move(db, operator, bystander.academyId, { to: "shared" }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await placementOf(db, bystander.academyId)).toBe("shared");
  });

  it("a move to an unknown placement is a 400", async () => {
    await expect(
      services.academies.move(db, operator, bystander.academyId, {
        to: "citus" as unknown as "schema",
      }),
    ).rejects.toMatchObject({ status: 400, code: "validation_failed" });
  });

  it.each([
    ["during the copy", { phase: "copy", table: "submissions" }],
    [
      "after the placement switched, while deleting the old rows",
      { phase: "delete", table: "mastery" },
    ],
  ] as const)(
    "a move that fails %s leaves the academy whole in its old placement",
    async (_, at) => {
      const before = await rowsIn(db, "public", mover.academyId);
      const fail = (step: MoveStep) => {
        if (step.phase === at.phase && step.table === at.table) throw new Error("stopped here");
      };
      await expect(
        services.academies.move(db, operator, mover.academyId, { to: "schema" }, { onStep: fail }),
      ).rejects.toThrow("stopped here");
      expect(await placementOf(db, mover.academyId)).toBe("shared");
      expect(await rowsIn(db, "public", mover.academyId)).toEqual(before);
      expect(await schemaExists(db, dedicatedSchemaName(mover.academyId))).toBe(false);
      expect(await courseTitles(db, mover)).toEqual(["GRE Verbal", "SAT Math"]);
    },
  );

  it("a move back from a dedicated schema that fails half-way leaves the academy whole there", async () => {
    await services.academies.move(db, operator, bystander.academyId, { to: "schema" });
    const dedicated = dedicatedSchemaName(bystander.academyId);
    const before = await rowsIn(db, dedicated, bystander.academyId);
    await expect(
      services.academies.move(
        db,
        operator,
        bystander.academyId,
        { to: "shared" },
        {
          onStep: (step) => {
            if (step.phase === "delete" && step.table === "users") throw new Error("stopped");
          },
        },
      ),
    ).rejects.toThrow("stopped");
    expect(await placementOf(db, bystander.academyId)).toBe("schema");
    expect(await rowsIn(db, dedicated, bystander.academyId)).toEqual(before);
    expect(rowCount(await rowsIn(db, "public", bystander.academyId))).toBe(0);
    await services.academies.move(db, operator, bystander.academyId, { to: "shared" });
  });
});

const postgres = ENGINES.includes("postgres");

describe.runIf(postgres)("moves under concurrency and connection loss (postgres)", () => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let academy: SeededAcademy;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase("postgres"));
    academy = await seedAcademy(db, services, "contended");
  });
  afterAll(() => dispose());

  /** The backend of the move: the one session of this database idle inside a transaction. */
  async function moveBackend(): Promise<number> {
    const result = await sql<{ pid: number }>`
      select pid from pg_stat_activity
      where datname = current_database() and state = 'idle in transaction'
        and pid <> pg_backend_pid()`.execute(raw(db));
    expect(result.rows).toHaveLength(1);
    return result.rows[0]?.pid ?? -1;
  }

  it("a move whose backend is terminated mid-copy leaves the academy whole in its old placement", async () => {
    const before = await rowsIn(db, "public", academy.academyId);
    let killed = 0;
    const kill = async (step: MoveStep) => {
      if (step.phase === "copy" && step.table === "quizzes") {
        killed = await moveBackend();
        await sql`select pg_terminate_backend(${killed})`.execute(raw(db));
      }
    };
    await expect(
      services.academies.move(db, operator, academy.academyId, { to: "schema" }, { onStep: kill }),
    ).rejects.toThrow();
    expect(killed).toBeGreaterThan(0);
    expect(await placementOf(db, academy.academyId)).toBe("shared");
    expect(await rowsIn(db, "public", academy.academyId)).toEqual(before);
    expect(await schemaExists(db, dedicatedSchemaName(academy.academyId))).toBe(false);
  });

  it("a write sent during a move waits for it and lands in the new placement", async () => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedCopy!: () => void;
    const atCopy = new Promise<void>((resolve) => {
      reachedCopy = resolve;
    });
    const move = services.academies.move(
      db,
      operator,
      academy.academyId,
      { to: "schema" },
      {
        onStep: async (step) => {
          if (step.phase === "copy" && step.table === "courses") {
            reachedCopy();
            await paused;
          }
        },
      },
    );
    await atCopy;
    let wrote = false;
    const write = withTenant(
      db,
      { tenantId: academy.academyId, userId: academy.users.admin, role: "admin" },
      (trx) =>
        services.courses.create(trx, academy.actor("admin"), {
          title: "Written during the move",
          instructorId: academy.users.i1,
        }),
    ).then((course) => {
      wrote = true;
      return course;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(wrote).toBe(false);
    release();
    await move;
    const course = await write;
    const inDedicated = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${dedicatedSchemaName(academy.academyId)}.courses`)}
      where id = ${course.id}`.execute(raw(db));
    expect(inDedicated.rows[0]?.n).toBe(1);
    expect(await courseTitles(db, academy)).toContain("Written during the move");
  });

  it("another process's next transaction follows a move at once: nothing is cached", async () => {
    // A second pool on the same database stands for another server process.
    const url = new URL(process.env.SKILLBRIDGE_TEST_DATABASE_URL ?? "");
    const name = (await sql<{ db: string }>`select current_database() as db`.execute(raw(db)))
      .rows[0]?.db;
    url.pathname = `/${name}`;
    const other = await openDatabase({ url: url.toString(), poolSize: 2 });
    try {
      const pathIn = (handle: SkillBridgeDatabase) =>
        withTenant(handle, { tenantId: academy.academyId, userId: null, role: "system" }, (trx) =>
          sql<{ path: string }>`select current_setting('search_path') as path`.execute(trx),
        ).then((r) => r.rows[0]?.path);
      const before = await pathIn(other);
      const to = before === "public" ? "schema" : "shared";
      await services.academies.move(db, operator, academy.academyId, { to });
      expect(await pathIn(other)).toBe(
        to === "schema" ? `${dedicatedSchemaName(academy.academyId)}, public` : "public",
      );
      expect(await courseTitles(other, academy)).toEqual(await courseTitles(db, academy));
    } finally {
      await other.close();
    }
  });

  it("a move waits for the academy's transaction in flight, and gives up after its lock timeout", async () => {
    let finish!: () => void;
    const open = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // In flight: it has run a query, so its setup (and the shared placement lock) has been
    // sent. A pipelined transaction that has sent nothing yet holds no lock, and needs none:
    // its setup reads the placement under the lock when it is sent.
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const holding = withTenant(
      db,
      { tenantId: academy.academyId, userId: null, role: "system" },
      async (trx) => {
        await trx.selectFrom("users").select("id").limit(1).execute();
        started();
        await open;
      },
    );
    await running;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = await placementOf(db, academy.academyId);
    await expect(
      services.academies.move(
        db,
        operator,
        academy.academyId,
        { to: before === "shared" ? "schema" : "shared" },
        { lockTimeoutMs: 200 },
      ),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/busy/) });
    finish();
    await holding;
    expect(await placementOf(db, academy.academyId)).toBe(before);
  });
});
