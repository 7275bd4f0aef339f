import { randomUUID } from "node:crypto";
import type { SkillBridgeDatabase } from "@skillbridge/core";
import { sql } from "kysely";
import { HttpClient } from "./http.js";

/** One academy the load writes into: its admin's token and an instructor for new courses. */
export interface LoadAcademy {
  readonly academyId: string;
  readonly token: string;
  readonly instructorId: string;
}

/** A write the server acknowledged with a 2xx: it must be in the database afterwards. */
export interface Acknowledged {
  readonly table: "courses" | "users";
  readonly id: string;
  readonly academyId: string;
  /** The value written (course title, user email), compared with what is stored. */
  readonly value: string;
}

/** One answer, with when it came (ms since the load started). */
export interface Answer {
  readonly at: number;
  readonly status: number;
  readonly write: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Closed-loop load for the fault tests: `workers` loops, each writing courses
 * and users into the academies (and reading some back), as fast as answers
 * come. Every 2xx write goes into a client-side ledger; every answer and
 * every transport error is kept, with its time, for the checks.
 */
export class WriteLoad {
  readonly ledger: Acknowledged[] = [];
  readonly answers: Answer[] = [];
  readonly transportErrors: string[] = [];
  readonly #http: HttpClient;
  readonly #academies: readonly LoadAcademy[];
  readonly #workers: number;
  #running = false;
  #loops: Promise<void>[] = [];
  #started = 0;
  #sequence = 0;

  constructor(url: string, academies: readonly LoadAcademy[], workers = 8) {
    this.#http = new HttpClient(url, { connections: workers });
    this.#academies = academies;
    this.#workers = workers;
  }

  /** Milliseconds since `start()`. */
  now(): number {
    return performance.now() - this.#started;
  }

  start(): void {
    this.#running = true;
    this.#started = performance.now();
    this.#loops = Array.from({ length: this.#workers }, (_, w) => this.#loop(w));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    await this.#http.close();
  }

  async #loop(worker: number): Promise<void> {
    while (this.#running) {
      const n = this.#sequence++;
      const academy = this.#academies[(n + worker) % this.#academies.length] as LoadAcademy;
      const kind = n % 10;
      try {
        if (kind < 6) {
          const title = `Ledger course ${randomUUID()}`;
          const response = await this.#http.request("POST", "/api/v1/courses", {
            token: academy.token,
            body: { title, instructorId: academy.instructorId },
          });
          this.#answer(response.status, true);
          if (response.status === 201)
            this.ledger.push({
              table: "courses",
              id: response.body.id,
              academyId: academy.academyId,
              value: title,
            });
          else await this.#backOff(response.status);
        } else if (kind < 8) {
          const email = `ledger-${randomUUID()}@example.com`;
          const response = await this.#http.request("POST", "/api/v1/users", {
            token: academy.token,
            body: { email, name: "Ledger User", role: "student", password: "ledger-password-1" },
          });
          this.#answer(response.status, true);
          if (response.status === 201)
            this.ledger.push({
              table: "users",
              id: response.body.id,
              academyId: academy.academyId,
              value: email,
            });
          else await this.#backOff(response.status);
        } else {
          const response = await this.#http.request("GET", "/api/v1/courses?limit=5", {
            token: academy.token,
          });
          this.#answer(response.status, false);
          if (response.status !== 200) await this.#backOff(response.status);
        }
      } catch (error) {
        this.transportErrors.push(`${Math.round(this.now())} ms: ${(error as Error).message}`);
        await sleep(50);
      }
    }
  }

  #answer(status: number, write: boolean): void {
    this.answers.push({ at: this.now(), status, write });
  }

  /** While the database is away, do not spin: the server said when to retry. */
  async #backOff(status: number): Promise<void> {
    if (status === 503) await sleep(25);
  }

  /** How many answers of each status. */
  statusCounts(): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const { status } of this.answers) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }
}

/**
 * Compares the ledger with the database (read as a superuser): every
 * acknowledged write must be there, in its academy, with the value written.
 * Returns the ones that are not.
 */
export async function missingWrites(
  db: SkillBridgeDatabase,
  ledger: readonly Acknowledged[],
): Promise<Acknowledged[]> {
  const stored = new Map<string, string>();
  for (const table of ["courses", "users"] as const) {
    const ids = ledger.filter((w) => w.table === table).map((w) => w.id);
    if (ids.length === 0) continue;
    const column = table === "courses" ? "title" : "email";
    const rows = await sql<{ id: string; tenant_id: string; value: string }>`
      select id, tenant_id, ${sql.ref(column)} as value from ${sql.table(table)}
      where id = any(${ids}::uuid[])`.execute(db.kysely);
    for (const row of rows.rows) stored.set(`${table}:${row.id}`, `${row.tenant_id}:${row.value}`);
  }
  return ledger.filter((w) => stored.get(`${w.table}:${w.id}`) !== `${w.academyId}:${w.value}`);
}
