/**
 * A cap on the tenant transactions one academy runs at once (docs/server.md,
 * "Fairness"). The connection pool is shared by every academy; without a cap,
 * one academy with many requests in flight holds every connection and the
 * others queue behind it in the pool's single queue. With it, an academy's
 * requests beyond the cap wait in that academy's own queue (first come, first
 * served), and a connection always stays free for someone else.
 *
 * Lanes exist only while an academy has work running or waiting, so memory
 * follows the academies active right now.
 */

interface Lane {
  active: number;
  /** Waiting starts, oldest first; `head` is the next to run (no O(n) shift). */
  readonly waiting: (() => void)[];
  head: number;
}

export class AcademyGate {
  readonly #limit: number;
  readonly #lanes = new Map<string, Lane>();

  /** `limit`: most runs at once per academy (an integer of at least 1). */
  constructor(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1))
      throw new Error(`tenantConcurrency must be a whole number of at least 1; got ${limit}.`);
    this.#limit = limit;
  }

  get limit(): number {
    return this.#limit;
  }

  /**
   * Runs `fn` once fewer than `limit` runs of `academyId` are in progress,
   * else after the ones queued before it.
   *
   * @example
   * const gate = new AcademyGate(4);
   * await gate.run(academyId, () => withTenant(db, ctx, (trx) => work(trx)));
   */
  async run<T>(academyId: string, fn: () => Promise<T>): Promise<T> {
    let lane = this.#lanes.get(academyId);
    if (!lane) {
      lane = { active: 0, waiting: [], head: 0 };
      this.#lanes.set(academyId, lane);
    }
    if (lane.active >= this.#limit) {
      const queued = lane;
      await new Promise<void>((resolve) => queued.waiting.push(resolve));
    } else {
      lane.active += 1;
    }
    try {
      return await fn();
    } finally {
      this.#release(academyId, lane);
    }
  }

  /** Runs in progress and waiting for one academy (tests and diagnostics). */
  load(academyId: string): { active: number; waiting: number } {
    const lane = this.#lanes.get(academyId);
    return lane
      ? { active: lane.active, waiting: lane.waiting.length - lane.head }
      : { active: 0, waiting: 0 };
  }

  #release(academyId: string, lane: Lane): void {
    const next = lane.waiting[lane.head];
    if (next) {
      // The slot passes straight to the next in line: `active` stays the same.
      lane.waiting[lane.head] = undefined as unknown as () => void;
      lane.head += 1;
      if (lane.head > 64 && lane.head * 2 > lane.waiting.length) {
        lane.waiting.splice(0, lane.head);
        lane.head = 0;
      }
      next();
      return;
    }
    lane.active -= 1;
    if (lane.active === 0) this.#lanes.delete(academyId);
  }
}
