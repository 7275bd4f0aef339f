/**
 * How academies share the connection pool (docs/server.md, "Fairness").
 *
 * - **A cap per academy.** Without it, one academy with many requests in
 *   flight holds every connection and the others queue behind it. Beyond the
 *   cap, an academy's requests wait in that academy's own queue (first come,
 *   first served), so a connection always stays free for someone else.
 * - **Academies inside their budget go first.** The pool's own queue is first
 *   come, first served across academies, so under a flood a quiet academy's
 *   request waits behind every flooding academy's. The gate holds the shared
 *   slots itself (`tenantSlots`, by default as many as the pool has
 *   connections) and serves its waiting runs in two classes: runs of
 *   academies whose request budget is not running low (`"first"`), then runs
 *   of academies pressing against their limit (`"later"`), each class in
 *   arrival order. An academy at its limit is still served at its full rate
 *   while there are free slots; it waits only when they are the bottleneck,
 *   and then behind those still inside their budget, but never for ever:
 *   while both classes wait, every `LATER_EVERY`-th free slot goes to the
 *   oldest `"later"` run, so a sustained load of academies inside their
 *   budget slows the others down and does not stop them.
 * - **A few slots kept for academies inside their budget.** With every slot
 *   held by a flood's transactions, a quiet academy's run waits for one of
 *   them to end, and on a saturated server ending takes long (the commit's
 *   reply waits its turn on the event loop). So `"later"` runs hold at most
 *   all but one slot in `RESERVED_EVERY` (8 of 10; all of them below 5
 *   slots, PGlite's 1 included); the rest stay free for `"first"` runs,
 *   which may take any slot.
 * - **Optionally, fewer slots while runs queue for the CPU** (`adaptiveSlots`,
 *   see `adaptive-slots.ts`): the gate times each run, and the limit it
 *   applies shrinks while runs slow down and grows back when they do not.
 *
 * Lanes exist only while an academy has work running or waiting, so memory
 * follows the academies active right now.
 */
import type { AdaptiveSlots } from "./adaptive-slots.js";
import { WaitQueue } from "./wait-queue.js";

/** The order a run waits in for a shared slot. */
export type GatePriority = "first" | "later";

/** While both classes wait, one free slot in this many goes to a `"later"` run. */
export const LATER_EVERY = 5;

/** One slot in this many is kept for `"first"` runs: `"later"` runs never hold it. */
export const RESERVED_EVERY = 5;

/** The most slots `"later"` runs hold at once, of `allowed`. */
export function laterSlots(allowed: number): number {
  return allowed - Math.floor(allowed / RESERVED_EVERY);
}

interface Lane {
  active: number;
  readonly waiting: WaitQueue;
}

export class AcademyGate {
  readonly #limit: number;
  readonly #slots: number;
  readonly #adaptive: AdaptiveSlots | undefined;
  readonly #lanes = new Map<string, Lane>();
  #busy = 0;
  /** Of `#busy`, the slots `"later"` runs hold. */
  #busyLater = 0;
  /** Slots given to `"first"` runs in a row while `"later"` runs waited. */
  #firstInARow = 0;
  readonly #queues: Record<GatePriority, WaitQueue> = {
    first: new WaitQueue(),
    later: new WaitQueue(),
  };

  /**
   * `limit`: most runs of one academy at once; `slots`: most runs of all
   * academies at once (the pool's connections; unbounded when omitted). Both
   * whole numbers of at least 1. `adaptive`: a limit under `slots` that
   * follows how long runs take.
   */
  constructor(limit: number, slots = Number.POSITIVE_INFINITY, adaptive?: AdaptiveSlots) {
    // Slots first: the default per-academy cap is derived from them.
    if (!((Number.isInteger(slots) || slots === Number.POSITIVE_INFINITY) && slots >= 1))
      throw new Error(`tenantSlots must be a whole number of at least 1; got ${slots}.`);
    if (!(Number.isInteger(limit) && limit >= 1))
      throw new Error(`tenantConcurrency must be a whole number of at least 1; got ${limit}.`);
    this.#limit = limit;
    this.#slots = slots;
    this.#adaptive = adaptive;
  }

  get limit(): number {
    return this.#limit;
  }

  get slots(): number {
    return this.#slots;
  }

  /** The adaptive limit, when `adaptiveSlots` is on. */
  get adaptive(): AdaptiveSlots | undefined {
    return this.#adaptive;
  }

  /** The slots runs may hold now: `slots`, or fewer under an adaptive limit. */
  get allowed(): number {
    return Math.min(this.#slots, this.#adaptive?.limit ?? this.#slots);
  }

  /**
   * Runs `fn` once fewer than `limit` runs of `academyId` are in progress
   * (else after the academy's runs queued before it) and a shared slot is
   * free (else after every waiting run of a higher class, and the ones of its
   * own class queued before it). The run ends when `fn` settles and every
   * promise it passed to `hold` has: a read returns before its connection
   * is back in the pool, and the gate counts the connection until it is.
   *
   * @example
   * const gate = new AcademyGate(4, 10);
   * await gate.run(academyId, () => withTenant(db, ctx, (trx) => work(trx)), "first");
   */
  async run<T>(
    academyId: string,
    fn: (hold: (until: Promise<unknown>) => void) => Promise<T>,
    priority: GatePriority = "first",
  ): Promise<T> {
    let lane = this.#lanes.get(academyId);
    if (!lane) {
      lane = { active: 0, waiting: new WaitQueue() };
      this.#lanes.set(academyId, lane);
    }
    if (lane.active >= this.#limit) {
      const queued = lane;
      // The academy's slot is handed over by `#releaseLane`: `active` stays the same.
      await new Promise<void>((resolve) => queued.waiting.push(resolve));
    } else {
      lane.active += 1;
    }
    if (this.#mayStart(priority)) {
      this.#take(priority);
    } else {
      // `#wakeNext` takes the slot for it before waking it: nobody can take it in between.
      await new Promise<void>((resolve) => this.#queues[priority].push(resolve));
    }
    const entered = lane;
    const began = this.#adaptive?.now();
    // What `fn` still holds after it returns (a read's connection, until its COMMIT's reply).
    const held: Promise<unknown>[] = [];
    const release = () => {
      if (this.#adaptive && began !== undefined)
        this.#adaptive.record(this.#adaptive.now() - began);
      this.#releaseSlot(priority);
      this.#releaseLane(academyId, entered);
    };
    try {
      return await fn((until) => {
        held.push(until);
      });
    } finally {
      if (held.length === 0) release();
      else void Promise.allSettled(held).then(release);
    }
  }

  /** Runs in progress and waiting for one academy (tests and diagnostics). */
  load(academyId: string): { active: number; waiting: number } {
    const lane = this.#lanes.get(academyId);
    return lane ? { active: lane.active, waiting: lane.waiting.size } : { active: 0, waiting: 0 };
  }

  /** Shared slots in use, and runs waiting for one by class (tests and diagnostics). */
  shared(): { busy: number; first: number; later: number } {
    return { busy: this.#busy, first: this.#queues.first.size, later: this.#queues.later.size };
  }

  /** Of the shared slots in use, those `"later"` runs hold (tests and diagnostics). */
  get busyLater(): number {
    return this.#busyLater;
  }

  #mayStart(priority: GatePriority): boolean {
    const allowed = this.allowed;
    return this.#busy < allowed && (priority === "first" || this.#busyLater < laterSlots(allowed));
  }

  #take(priority: GatePriority): void {
    this.#busy += 1;
    if (priority === "later") this.#busyLater += 1;
  }

  #releaseSlot(priority: GatePriority): void {
    this.#busy -= 1;
    if (priority === "later") this.#busyLater -= 1;
    // More than one can start: a limit that grew hands its new slots out now, not at later releases.
    while (this.#wakeNext()) {}
  }

  /** Hands a slot to the next waiting run that may start, if any; false when none. */
  #wakeNext(): boolean {
    const { first, later } = this.#queues;
    const laterMay = later.size > 0 && this.#mayStart("later");
    const firstMay = first.size > 0 && this.#mayStart("first");
    let next: (() => void) | undefined;
    if (laterMay && (!firstMay || this.#firstInARow >= LATER_EVERY - 1)) {
      this.#firstInARow = 0;
      next = later.take();
      this.#take("later");
    } else if (firstMay) {
      next = first.take();
      this.#take("first");
      if (later.size > 0) this.#firstInARow += 1;
    }
    if (!next) return false;
    next();
    return true;
  }

  #releaseLane(academyId: string, lane: Lane): void {
    const next = lane.waiting.take();
    if (next) {
      next();
      return;
    }
    lane.active -= 1;
    if (lane.active === 0) this.#lanes.delete(academyId);
  }
}
