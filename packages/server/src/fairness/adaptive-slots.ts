/**
 * How many shared slots the academy gate lets tenant transactions hold right
 * now, when `adaptiveSlots` is on (docs/server.md, "Fairness").
 *
 * The gate can order only the runs that wait for a slot. With as many slots
 * as the pool has connections, nothing waits on a busy machine: the queue
 * forms in PostgreSQL and on the CPU, in arrival order, and a quiet academy
 * waits behind every flooding one. This limit reads contention from what the
 * gate already sees, how long its runs take: per window of completed runs it
 * takes their median, and keeps the lowest median of the recent windows as
 * the uncontended time. A median past `fall` times that halves the limit
 * (not below `min`); one under `rise` times it adds a slot (not above `max`).
 * On a machine with room, runs do not slow down and the limit stays at `max`;
 * when they queue for the CPU they slow down, and the slots shrink until the
 * queue is in the gate, where academies inside their budget go first.
 *
 * Work stays small whatever the load: per run, a push; per window, a sort of
 * that window's samples and a scan of at most `memory` medians.
 */
export interface AdaptiveSlotsOptions {
  /** The ceiling: `tenantSlots`. */
  readonly max: number;
  /** The floor (default 2, or `max` when lower). */
  readonly min?: number;
  /** Length of a window, in ms (default 100). */
  readonly windowMs?: number;
  /** Fewest runs a window needs before it counts (default 5). */
  readonly minSamples?: number;
  /** Halve when a window's median exceeds this many times the uncontended time (default 2). */
  readonly fall?: number;
  /** Add a slot when a window's median is under this many times it (default 1.3). */
  readonly rise?: number;
  /** Windows the uncontended time is the lowest median of (default 100: about 10 s busy). */
  readonly memory?: number;
  /** The clock, in ms (tests). */
  readonly now?: () => number;
}

export class AdaptiveSlots {
  readonly #max: number;
  readonly #min: number;
  readonly #windowMs: number;
  readonly #minSamples: number;
  readonly #fall: number;
  readonly #rise: number;
  readonly #memory: number;
  readonly #now: () => number;
  #limit: number;
  #samples: number[] = [];
  #windowStart: number;
  readonly #medians: number[] = [];

  constructor(options: AdaptiveSlotsOptions) {
    this.#max = options.max;
    this.#min = Math.min(options.min ?? 2, options.max);
    this.#windowMs = options.windowMs ?? 100;
    this.#minSamples = options.minSamples ?? 5;
    this.#fall = options.fall ?? 2;
    this.#rise = options.rise ?? 1.3;
    this.#memory = options.memory ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#limit = this.#max;
    this.#windowStart = this.#now();
  }

  /** The slots runs may hold now. */
  get limit(): number {
    return this.#limit;
  }

  /** The clock the gate times its runs with. */
  now(): number {
    return this.#now();
  }

  /** The lowest median of the recent windows (ms), or undefined before the first window. */
  get uncontendedMs(): number | undefined {
    return this.#medians.length === 0 ? undefined : Math.min(...this.#medians);
  }

  /** Records how long one run held its slot (ms); returns the limit to apply from now on. */
  record(durationMs: number): number {
    this.#samples.push(durationMs);
    const now = this.#now();
    if (now - this.#windowStart < this.#windowMs || this.#samples.length < this.#minSamples)
      return this.#limit;
    const samples = this.#samples.sort((a, b) => a - b);
    const median = samples[samples.length >> 1] as number;
    this.#samples = [];
    this.#windowStart = now;
    this.#medians.push(median);
    if (this.#medians.length > this.#memory) this.#medians.shift();
    // A floor, so a clock that reads the same twice cannot make every window look slow.
    const uncontended = Math.max(Math.min(...this.#medians), 0.001);
    if (median > this.#fall * uncontended)
      this.#limit = Math.max(this.#min, Math.ceil(this.#limit / 2));
    else if (median < this.#rise * uncontended) this.#limit = Math.min(this.#max, this.#limit + 1);
    return this.#limit;
  }
}
