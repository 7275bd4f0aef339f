import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildWorld, createChildWorld, waitUntilReady } from "./support/child-world.js";
import { reliabilityEnv } from "./support/env.js";
import { HttpClient } from "./support/http.js";
import { PLATFORM_ADMIN } from "./support/live-server.js";
import { createTally } from "./support/tally.js";

// The server process itself fails: SIGKILL in the middle of writes (onboarding
// an academy is several rows in one transaction: the academy, its first admin,
// the audit event) must leave no half-written entity and lose no acknowledged
// one; SIGTERM with requests in flight must finish them within the drain
// bound, refuse new connections, and exit cleanly.

reliabilityEnv();
const tally = createTally("faults-process");
afterAll(() => tally.save());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SIGKILL mid-write", () => {
  const KILLS = 3;
  let world: ChildWorld;

  beforeAll(async () => {
    world = await createChildWorld({ academies: 1, applicationName: "sbrel-sigkill" });
  });
  afterAll(() => world?.close());

  /** Academies and what each has of the rows onboarding writes together. */
  async function onboardingState() {
    const rows = await sql<{ slug: string; admins: number; events: number }>`
      select a.slug,
        (select count(*)::int from users u where u.tenant_id = a.id and u.role = 'admin') as admins,
        (select count(*)::int from audit_log l where l.academy_id = a.id and l.action = 'academy.create') as events
      from academies a`.execute(world.scratch.db.kysely);
    return new Map(rows.rows.map((r) => [r.slug, r]));
  }

  it(`killed ${KILLS} times while onboarding academies: every acknowledged one is whole, every other one absent or whole`, async () => {
    const acknowledged = new Set<string>();
    const unknown = new Set<string>();
    for (let kill = 0; kill < KILLS; kill++) {
      if (kill > 0) await world.respawn();
      const token = await world.login(PLATFORM_ADMIN);
      const http = new HttpClient(world.server.url, { connections: 8 });
      let inFlight = 0;
      let running = true;
      const worker = async () => {
        while (running) {
          const slug = `k${kill}-${randomUUID().slice(0, 12)}`;
          inFlight += 1;
          let status: number;
          try {
            const response = await http.request("POST", "/api/v1/admin/academies", {
              token,
              body: {
                slug,
                name: `Killed ${slug}`,
                admin: {
                  email: "first@example.com",
                  name: "First Admin",
                  password: "first-admin-pw-1",
                },
              },
            });
            status = response.status;
          } catch (error) {
            // The process died under this request: its outcome is unknown to the client.
            if (running) throw error;
            unknown.add(slug);
            continue;
          } finally {
            inFlight -= 1;
          }
          tally.requests += 1;
          expect(status).toBe(201);
          acknowledged.add(slug);
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      // Let writes flow, then kill while several are in flight.
      await sleep(800 + kill * 300);
      while (inFlight < 4) await sleep(1);
      running = false;
      world.server.kill("SIGKILL");
      const { signal } = await world.server.exited;
      expect(signal).toBe("SIGKILL");
      await Promise.all(workers);
      await http.close();
      tally.faults += 1;
    }
    // PostgreSQL rolled back whatever the dead process left open.
    const state = await onboardingState();
    const lost = [...acknowledged].filter((slug) => {
      const row = state.get(slug);
      return row?.admins !== 1 || row.events !== 1;
    });
    tally.lost += lost.length;
    const halfWritten = [...state.values()].filter((row) => row.admins !== 1 || row.events !== 1);
    tally.note(
      `${KILLS} kills: ${acknowledged.size} onboardings acknowledged, ${unknown.size} cut off in flight (${[...unknown].filter((s) => state.has(s)).length} of those committed whole, the rest absent), none half-written`,
    );
    expect(unknown.size).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(halfWritten).toEqual([]);
    // A new process on the same database serves at once.
    await world.respawn();
    await waitUntilReady(world.server.url);
    const token = await world.login(PLATFORM_ADMIN);
    const http = new HttpClient(world.server.url, { connections: 1 });
    try {
      const page = await http.request("GET", "/api/v1/admin/academies?limit=1", { token });
      expect(page.status).toBe(200);
    } finally {
      await http.close();
    }
  });
});

/** A raw client: the test decides when each byte of a request is sent. */
class RawRequest {
  readonly socket: Socket;
  #data = "";
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.#data += chunk;
    });
    socket.on("error", () => undefined);
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  /** Sends the head and half the body of a POST: the request is in flight at the server. */
  static async start(url: string, path: string, token: string, body: unknown) {
    const { hostname, port } = new URL(url);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(Number(port), hostname, () => resolve(s));
      s.once("error", reject);
    });
    const raw = new RawRequest(socket);
    const text = JSON.stringify(body);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text.slice(0, 10)}`,
    );
    return { raw, finish: () => socket.write(text.slice(10)) };
  }

  /** Status, headers and body of the response, once the server has closed the connection. */
  async response(): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    await this.closed;
    const end = this.#data.indexOf("\r\n\r\n");
    const [statusLine = "", ...lines] = this.#data.slice(0, Math.max(end, 0)).split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return {
      status: Number(statusLine.split(" ")[1] ?? 0),
      headers,
      body: this.#data.slice(end + 4),
    };
  }
}

function connectError(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

describe("SIGTERM with requests in flight", () => {
  const DRAIN_MS = 4_000;
  const IN_FLIGHT = 12;
  let world: ChildWorld;

  beforeAll(async () => {
    world = await createChildWorld({
      academies: 1,
      drainTimeoutMs: DRAIN_MS,
      applicationName: "sbrel-sigterm",
    });
  });
  afterAll(() => world?.close());

  it(`finishes ${IN_FLIGHT} in-flight writes after SIGTERM, refuses new connections, and exits 0 within the drain bound`, async () => {
    const academy = world.academies[0];
    if (!academy) throw new Error("no academy");
    const titles = Array.from({ length: IN_FLIGHT }, () => `Drained ${randomUUID()}`);
    const requests = await Promise.all(
      titles.map((title) =>
        RawRequest.start(world.server.url, "/api/v1/courses", academy.token, {
          title,
          instructorId: academy.instructorId,
        }),
      ),
    );
    // The server has read every head and waits for the rest of each body.
    await sleep(300);
    const signalled = performance.now();
    world.server.kill("SIGTERM");
    await sleep(300);
    expect(await connectError(world.server.url)).toBe("ECONNREFUSED");
    for (const request of requests) request.finish();
    const responses = await Promise.all(requests.map((r) => r.raw.response()));
    tally.requests += responses.length;
    for (const response of responses) {
      expect(response.status, response.body).toBe(201);
      expect(response.headers.connection).toBe("close");
    }
    const { code } = await world.server.exited;
    const exitedAfter = performance.now() - signalled;
    expect(code).toBe(0);
    expect(exitedAfter).toBeLessThan(DRAIN_MS + 3_000);
    const stored = await sql<{ title: string }>`
      select title from courses where title = any(${titles})`.execute(world.scratch.db.kysely);
    const missing = titles.filter((t) => !stored.rows.some((r) => r.title === t));
    tally.lost += missing.length;
    expect(missing).toEqual([]);
    tally.note(
      `SIGTERM: ${IN_FLIGHT} in-flight writes answered 201 and stored; exited 0 after ${Math.round(exitedAfter)} ms`,
    );
    tally.faults += 1;
  });

  it("a request that never completes is cut at the drain bound, and the process still exits 0", async () => {
    await world.respawn();
    const academy = world.academies[0];
    if (!academy) throw new Error("no academy");
    const stalled = await RawRequest.start(world.server.url, "/api/v1/courses", academy.token, {
      title: "Never finished",
      instructorId: academy.instructorId,
    });
    const finished = await RawRequest.start(world.server.url, "/api/v1/courses", academy.token, {
      title: `Finished ${randomUUID()}`,
      instructorId: academy.instructorId,
    });
    await sleep(300);
    const signalled = performance.now();
    world.server.kill("SIGTERM");
    await sleep(200);
    finished.finish();
    expect((await finished.raw.response()).status).toBe(201);
    const { code } = await world.server.exited;
    const exitedAfter = performance.now() - signalled;
    expect(code).toBe(0);
    expect(exitedAfter).toBeGreaterThanOrEqual(DRAIN_MS - 500);
    expect(exitedAfter).toBeLessThan(DRAIN_MS + 3_000);
    await stalled.raw.closed;
    const never = await sql<{ n: number }>`
      select count(*)::int as n from courses where title = 'Never finished'`.execute(
      world.scratch.db.kysely,
    );
    expect(never.rows[0]?.n).toBe(0);
    tally.note(
      `SIGTERM with a stalled request: cut and exited 0 after ${Math.round(exitedAfter)} ms (bound ${DRAIN_MS} ms)`,
    );
    tally.faults += 1;
  });
});
