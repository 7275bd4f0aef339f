import { AiBusyError } from "../errors.js";

interface Lane {
  running: number;
  readonly waiting: (() => void)[];
}

/**
 * Per-academy concurrency for model calls in this process: at most
 * `maxConcurrent` run at once, up to `maxQueued` more wait their turn in
 * order, and anything beyond is refused at once with `AiBusyError` (429).
 * Academies never wait for each other.
 */
export class AcademyLimiter {
  readonly #maxConcurrent: number;
  readonly #maxQueued: number;
  readonly #lanes = new Map<string, Lane>();

  constructor(maxConcurrent: number, maxQueued: number) {
    if (!(Number.isInteger(maxConcurrent) && maxConcurrent >= 1))
      throw new RangeError("maxConcurrent must be a positive integer");
    if (!(Number.isInteger(maxQueued) && maxQueued >= 0))
      throw new RangeError("maxQueued must be a non-negative integer");
    this.#maxConcurrent = maxConcurrent;
    this.#maxQueued = maxQueued;
  }

  /** Resolves with the release function once a slot is free. */
  async acquire(academyId: string, signal?: AbortSignal): Promise<() => void> {
    const lane = this.#lanes.get(academyId) ?? { running: 0, waiting: [] };
    this.#lanes.set(academyId, lane);
    if (lane.running < this.#maxConcurrent) {
      lane.running++;
      return this.#releaser(academyId, lane);
    }
    if (lane.waiting.length >= this.#maxQueued) throw new AiBusyError();
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const at = lane.waiting.indexOf(turn);
        if (at >= 0) lane.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      lane.waiting.push(turn);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    // The slot was handed over by the releaser: `running` already counts it.
    return this.#releaser(academyId, lane);
  }

  /** Calls running now for an academy (for tests and metrics). */
  running(academyId: string): number {
    return this.#lanes.get(academyId)?.running ?? 0;
  }

  #releaser(academyId: string, lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.waiting.shift();
      if (next) {
        next();
        return;
      }
      lane.running--;
      if (lane.running === 0) this.#lanes.delete(academyId);
    };
  }
}
