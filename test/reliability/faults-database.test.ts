import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildWorld, createChildWorld, waitUntilReady } from "./support/child-world.js";
import { reliabilityEnv } from "./support/env.js";
import { HttpClient } from "./support/http.js";
import { type ScratchPostgres, startScratchPostgres } from "./support/scratch-postgres.js";
import { createTally } from "./support/tally.js";
import { missingWrites, WriteLoad } from "./support/write-load.js";

// The database goes away under load: every connection of the server ended by
// pg_terminate_backend, then PostgreSQL itself stopped and started (a fast
// stop, then an immediate one: a crash, recovered from the WAL). The server
// (a separate process) must answer 503 while the database is away, never
// crash, recover by itself, and every write it acknowledged with a 2xx must
// be in the database afterwards: a client-side ledger is compared with it.

const env = reliabilityEnv();
const tally = createTally("faults-database");
afterAll(() => tally.save());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ALLOWED = new Set([200, 201, 503]);

/** Checks common to every database fault: alive, only 2xx and 503, no lost write, writes again. */
async function expectSurvived(world: ChildWorld, load: WriteLoad, label: string): Promise<void> {
  expect(world.server.alive(), `the server process died:\n${world.server.log()}`).toBe(true);
  expect(load.transportErrors, "requests the server never answered").toEqual([]);
  const unexpected = load.answers.filter((a) => !ALLOWED.has(a.status));
  expect(unexpected, `answers other than 2xx and 503:\n${world.server.log().slice(-4000)}`).toEqual(
    [],
  );
  const missing = await missingWrites(world.scratch.db, load.ledger);
  tally.lost += missing.length;
  tally.requests += load.answers.length;
  expect(missing, "acknowledged writes missing from the database").toEqual([]);
  const counts = load.statusCounts();
  tally.note(
    `${label}: ${load.answers.length} answers (${Object.entries(counts)
      .map(([status, n]) => `${status}×${n}`)
      .join(", ")}), ${load.ledger.length} acknowledged writes, all present`,
  );
}

/** A write succeeds now: the server came back without help. */
async function expectWritesAgain(world: ChildWorld): Promise<void> {
  const http = new HttpClient(world.server.url, { connections: 1 });
  try {
    const academy = world.academies[0];
    const response = await http.request("POST", "/api/v1/courses", {
      token: academy?.token,
      body: { title: "After the fault", instructorId: academy?.instructorId },
    });
    expect(response.status).toBe(201);
  } finally {
    await http.close();
  }
}

describe("pg_terminate_backend on every server connection, mid-load", () => {
  const APP = "sbrel-terminate";
  const ROUNDS = 5;
  let world: ChildWorld;

  beforeAll(async () => {
    world = await createChildWorld({ applicationName: APP, poolSize: 8 });
  });
  afterAll(() => world?.close());

  /** Ends every session the server process holds on its database; returns how many. */
  async function terminateAll(): Promise<number> {
    const admin = new pg.Client({ connectionString: env.databaseUrl });
    await admin.connect();
    try {
      const result = await admin.query(
        "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and application_name = $2",
        [world.scratch.name, APP],
      );
      return (result.rows[0] as { n: number }).n;
    } finally {
      await admin.end();
    }
  }

  it(`survives ${ROUNDS} rounds of every connection terminated: 503 at worst, recovers alone, loses no acknowledged write`, async () => {
    const load = new WriteLoad(world.server.url, world.academies, 8);
    load.start();
    await sleep(1_000);
    const terminated: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      terminated.push(await terminateAll());
      await sleep(1_200);
    }
    await sleep(800);
    await load.stop();
    tally.note(`sessions terminated per round: ${terminated.join(", ")}`);
    // Each round found server sessions to end: the fault really hit.
    for (const n of terminated) expect(n).toBeGreaterThan(0);
    await waitUntilReady(world.server.url);
    await expectWritesAgain(world);
    await expectSurvived(world, load, "pg_terminate_backend");
    expect(load.ledger.length).toBeGreaterThan(100);
    tally.faults += ROUNDS;
  });
});

describe("PostgreSQL stopped and started mid-load", () => {
  let postgres: ScratchPostgres;
  let world: ChildWorld;

  beforeAll(async () => {
    postgres = await startScratchPostgres();
    world = await createChildWorld({ serverUrl: postgres.url, applicationName: "sbrel-restart" });
  });
  afterAll(async () => {
    try {
      await world?.close();
    } finally {
      postgres?.destroy();
    }
  });

  it("answers 503 while the database is away (a restart, then a crash), recovers by itself, and loses no acknowledged write", async () => {
    const load = new WriteLoad(world.server.url, world.academies, 8);
    const probe = new HttpClient(world.server.url, { connections: 2 });
    // Per outage: when the stop began, when the database was surely down (the
    // stop had returned) until the start began, and when the start returned.
    const outages: {
      mode: string;
      stopping: number;
      down: number;
      starting: number;
      up: number;
      recoveredMs: number;
    }[] = [];
    load.start();
    try {
      await sleep(1_500);
      for (const mode of ["fast", "immediate"] as const) {
        const stopping = load.now();
        await postgres.stop(mode);
        const down = load.now();
        // While it is down: the process is alive, the database is not.
        await sleep(1_000);
        const health = await probe.request("GET", "/health");
        const ready = await probe.request("GET", "/ready");
        expect(health.status).toBe(200);
        expect(ready.status).toBe(503);
        expect(ready.body).toMatchObject({ status: 503 });
        await sleep(1_500);
        const starting = load.now();
        await postgres.start();
        const up = load.now();
        const recoveredMs = await waitUntilReady(world.server.url);
        outages.push({ mode, stopping, down, starting, up, recoveredMs });
        await sleep(2_000);
      }
    } finally {
      await load.stop();
      await probe.close();
    }
    for (const { mode, stopping, down, starting, up, recoveredMs } of outages) {
      const during = load.answers.filter((a) => a.at > down && a.at < starting);
      const after = load.answers.filter((a) => a.at > up && a.write && a.status === 201);
      tally.note(
        `${mode} stop: stop took ${Math.round(down - stopping)} ms, down ${Math.round(starting - down)} ms with ${during.filter((a) => a.status === 503).length} answers of 503 meanwhile, start took ${Math.round(up - starting)} ms, ready ${Math.round(recoveredMs)} ms after`,
      );
      expect(
        during.length,
        `${mode}: the load stalled while the database was down`,
      ).toBeGreaterThan(0);
      // Answers sent while nothing listens for the database are 503, every one.
      expect(during.filter((a) => a.status !== 503)).toEqual([]);
      expect(
        after.length,
        `${mode}: no write succeeded after the database came back`,
      ).toBeGreaterThan(0);
    }
    await expectWritesAgain(world);
    await expectSurvived(world, load, "PostgreSQL stop/start");
    tally.faults += outages.length;
  });
});
