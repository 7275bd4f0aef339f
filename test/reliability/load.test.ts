import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildWorld, createChildWorld } from "./support/child-world.js";
import { reliabilityEnv } from "./support/env.js";
import { HttpClient } from "./support/http.js";
import { createTally } from "./support/tally.js";

// A sustained flood at a fixed rate (open loop: requests leave on schedule
// whatever the latency) across many academies, one of them far over its
// budget, against the server in its own process. Every answer must be a 2xx,
// or a 429 for the noisy academy only; the server's heap, sampled after a
// forced GC, must not grow by 10% or more after warm-up.

reliabilityEnv();
const tally = createTally("load");

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 120);
const ACADEMIES = 20;
/** Requests per second: each quiet academy stays well inside its budget; the noisy one is far over it. */
const QUIET_RATE = 4;
const NOISY_RATE = 30;
/** The per-academy budget: 100 requests per 10 s plus 10 of burst, 11/s on average. */
const RATE_LIMIT = { points: 100, durationSeconds: 10, burstPoints: 10, burstDurationSeconds: 10 };
const SAMPLE_EVERY_MS = 5_000;
const WARM_UP_MS = Math.min(30_000, (SECONDS * 1000) / 4);
const MAX_OUTSTANDING = 1_000;

let world: ChildWorld;
let students: string[];

beforeAll(async () => {
  world = await createChildWorld({
    academies: ACADEMIES,
    poolSize: 10,
    applicationName: "sbrel-load",
    config: {
      rateLimit: RATE_LIMIT,
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 60 },
    },
  });
  students = [];
  for (let i = 0; i < ACADEMIES; i++)
    students.push(
      await world.login({
        academy: `academy-${i}`,
        email: "s1@example.com",
        password: "password-s1-1",
      }),
    );
}, 300_000);

afterAll(async () => {
  tally.save();
  await world?.close();
});

interface Planned {
  readonly method: string;
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  readonly write: boolean;
}

/** The n-th request of academy k: mostly reads, a third writes, as a school's day looks. */
function requestFor(
  k: number,
  n: number,
  courseIds: readonly string[],
  assignmentId: string,
): Planned {
  const academy = world.academies[k];
  if (!academy) throw new Error(`no academy ${k}`);
  const admin = academy.token;
  const student = students[k] as string;
  const course = courseIds[n % courseIds.length] as string;
  switch (n % 12) {
    case 0:
      return { method: "GET", path: "/api/v1/courses?limit=20", token: admin, write: false };
    case 1:
      return { method: "GET", path: "/api/v1/users?limit=20", token: admin, write: false };
    case 2:
      return { method: "GET", path: `/api/v1/courses/${course}`, token: student, write: false };
    case 3:
      return { method: "GET", path: "/api/v1/assignments?limit=20", token: student, write: false };
    case 4:
      return { method: "GET", path: "/api/v1/submissions?limit=20", token: student, write: false };
    case 5:
      return { method: "GET", path: "/api/v1/me", token: student, write: false };
    case 6:
      return { method: "GET", path: "/api/v1/submissions?limit=20", token: admin, write: false };
    case 7:
      return {
        method: "GET",
        path: `/api/v1/courses/${course}/enrollments?limit=20`,
        token: admin,
        write: false,
      };
    case 8:
      return {
        method: "POST",
        path: "/api/v1/courses",
        token: admin,
        body: { title: `Load ${randomUUID()}`, instructorId: academy.instructorId },
        write: true,
      };
    case 9:
      return {
        method: "PATCH",
        path: `/api/v1/courses/${course}`,
        token: admin,
        body: { title: `Renamed ${n}` },
        write: true,
      };
    case 10:
      return {
        method: "POST",
        path: `/api/v1/assignments/${assignmentId}/submissions`,
        token: student,
        body: { content: `Answer ${n}` },
        write: true,
      };
    default:
      return {
        method: "POST",
        path: "/api/v1/users",
        token: admin,
        body: {
          email: `load-${randomUUID()}@example.com`,
          name: "Load User",
          role: "student",
          password: "load-password-1",
        },
        write: true,
      };
  }
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe("sustained load", () => {
  it(`${SECONDS} s at ${QUIET_RATE * (ACADEMIES - 1) + NOISY_RATE} req/s over ${ACADEMIES} academies: only the noisy academy is limited, nothing fails, the heap holds`, async () => {
    // What each academy's requests point at: its seeded courses and s1's assignment.
    const targets = await Promise.all(
      world.academies.map(async (academy, k) => {
        const http = new HttpClient(world.server.url, { connections: 1 });
        try {
          const courses = await http.request("GET", "/api/v1/courses?limit=2", {
            token: academy.token,
          });
          const assignments = await http.request("GET", "/api/v1/assignments?limit=50", {
            token: students[k] as string,
          });
          return {
            courseIds: (courses.body.data as { id: string }[]).map((c) => c.id),
            assignmentId: (assignments.body.data as { id: string }[])[0]?.id as string,
          };
        } finally {
          await http.close();
        }
      }),
    );

    const client = new HttpClient(world.server.url, { connections: 128 });
    const noisy = 0;
    const rateOf = (k: number) => (k === noisy ? NOISY_RATE : QUIET_RATE);
    const statuses = new Map<string, number>();
    const unexpected: string[] = [];
    const latencies: number[] = [];
    const heap: { at: number; bytes: number }[] = [];
    let outstanding = 0;
    let dropped = 0;
    let sent = 0;
    const sentBy = new Array<number>(ACADEMIES).fill(0);
    const pending = new Set<Promise<void>>();

    const send = (k: number) => {
      const planned = requestFor(
        k,
        sentBy[k] as number,
        targets[k]?.courseIds ?? [],
        targets[k]?.assignmentId ?? "",
      );
      sentBy[k] = (sentBy[k] as number) + 1;
      if (outstanding >= MAX_OUTSTANDING) {
        dropped += 1;
        return;
      }
      outstanding += 1;
      sent += 1;
      const started = performance.now();
      const done = client
        .request(planned.method, planned.path, {
          token: planned.token,
          ...(planned.body === undefined ? {} : { body: planned.body }),
        })
        .then(
          (response) => {
            latencies.push(performance.now() - started);
            const key = `${k === noisy ? "noisy" : "quiet"} ${response.status}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            const fine =
              (response.status >= 200 && response.status < 300) ||
              (k === noisy && response.status === 429);
            if (!fine && unexpected.length < 20)
              unexpected.push(
                `${planned.method} ${planned.path} (academy ${k}): ${response.status} ${response.text.slice(0, 200)}`,
              );
          },
          (error: unknown) => {
            if (unexpected.length < 20)
              unexpected.push(`${planned.method} ${planned.path}: ${String(error)}`);
          },
        )
        .finally(() => {
          outstanding -= 1;
          pending.delete(done);
        });
      pending.add(done);
    };

    // Open loop: every academy's next request leaves on schedule; a 10 ms tick
    // sends whatever is due, so a slow answer never slows the senders.
    const started = performance.now();
    const next = world.academies.map((_, k) => (k / ACADEMIES) * (1000 / rateOf(k)));
    let nextSample = WARM_UP_MS;
    const sampleAt: number[] = [];
    while (performance.now() - started < SECONDS * 1000) {
      const now = performance.now() - started;
      for (let k = 0; k < ACADEMIES; k++) {
        while ((next[k] as number) <= now) {
          send(k);
          next[k] = (next[k] as number) + 1000 / rateOf(k);
        }
      }
      if (now >= nextSample) {
        nextSample += SAMPLE_EVERY_MS;
        sampleAt.push(now);
        void world.server.heapUsed().then((bytes) => heap.push({ at: now, bytes }));
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all([...pending]);
    heap.push({ at: performance.now() - started, bytes: await world.server.heapUsed() });
    await client.close();

    latencies.sort((a, b) => a - b);
    heap.sort((a, b) => a.at - b.at);
    const baseline = median(heap.slice(0, 3).map((h) => h.bytes));
    const final = median(heap.slice(-3).map((h) => h.bytes));
    const growth = final / baseline - 1;
    tally.requests += sent;
    tally.note(
      `${sent} requests in ${elapsed.toFixed(0)} s (${(sent / elapsed).toFixed(0)}/s) over ${ACADEMIES} academies; answers: ${[
        ...statuses.entries(),
      ]
        .sort()
        .map(([k, v]) => `${k}×${v}`)
        .join(", ")}`,
    );
    tally.note(
      `latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
    tally.note(
      `heap after GC: ${heap.map((h) => mb(h.bytes)).join(", ")}; baseline ${mb(baseline)} (after ${WARM_UP_MS / 1000} s warm-up), final ${mb(final)}, growth ${(growth * 100).toFixed(1)}%`,
    );

    expect(world.server.alive(), world.server.log()).toBe(true);
    expect(unexpected).toEqual([]);
    expect(dropped, "requests not sent: the server fell behind by a thousand").toBe(0);
    // The limiter really worked: the noisy academy was refused, the quiet ones never.
    expect(statuses.get("noisy 429") ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((k) => k.startsWith("quiet") && !/ 2\d\d$/.test(k))).toEqual(
      [],
    );
    expect(heap.length).toBeGreaterThanOrEqual(4);
    expect(growth).toBeLessThan(0.1);
  });
});
