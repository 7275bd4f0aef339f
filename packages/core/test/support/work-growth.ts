/**
 * How much more work an input twice as long costs, measured inside one test
 * (no absolute times: a ratio is what tells linear from quadratic). Linear
 * work gives about 2, quadratic about 4 at every size.
 *
 * Measured as this process's CPU time (`process.cpuUsage`), not wall time,
 * so a shared machine's other processes do not count. The size doubles from
 * `start` until one run costs `minMs` (above timer noise and per-call
 * overhead); then the sizes n and 2n alternate `repeats` times (two when
 * the ratio is already under the limit) and the cheapest run of each is
 * kept. A garbage-collector phase change can still make one doubling look
 * dear, so if the ratio is not under the limit the
 * next doubling (2n and 4n) is measured, up to `pairs` of them, and the best
 * is reported: a quadratic path stays near 4 in every pair. If even the best
 * is not under the limit, the whole measure is taken again from the start,
 * up to `attempts` times: another process sharing the CPU caches and memory
 * bus made linear paths read 3.0-3.5 now and then, while a quadratic path
 * reads about 4 in every attempt. Next to the CLI tests' spawned binaries the
 * drift lasted attempt after attempt, so these tests run after the rest of
 * the suite, one file per core (the vitest project "growth"). A path still
 * under `minMs` at `maxSize` counts as linear (ratio 1): it is too cheap to
 * measure, and too cheap to stall anything.
 *
 * @example
 * const g = await workGrowth((n) => "4-".repeat(n), (text) => expressionValues(text), { start: 64 });
 * expect(g.ratio, g.describe).toBeLessThan(MAX_GROWTH);
 */
export interface Growth {
  readonly size: number;
  readonly small: number;
  readonly large: number;
  readonly ratio: number;
  /** For the assertion's message: the sizes and times behind the ratio. */
  readonly describe: string;
}

export interface GrowthOptions {
  /** The first size tried (the unit `make` understands: characters, lines, questions…). */
  readonly start: number;
  /** Largest size calibration may reach. */
  readonly maxSize?: number;
  /** One run at the measured size should cost at least this much CPU time. */
  readonly minMs?: number;
  readonly repeats?: number;
  /** Consecutive doublings tried before giving up. */
  readonly pairs?: number;
  /**
   * Whole measures taken while the growth is not under the limit (default 5).
   * A linear path needs one clean reading, and read 2.9-3.0 in a few of the
   * 400 measures of a full run; a quadratic path reads about 4 in every one.
   */
  readonly attempts?: number;
}

/** The growth limit every text path is held to: time(2n) / time(n) under 3. */
export const MAX_GROWTH = 3;

async function cpuMs<T>(run: (input: T) => unknown, input: T): Promise<number> {
  const began = process.cpuUsage();
  await run(input);
  const used = process.cpuUsage(began);
  return (used.user + used.system) / 1000;
}

async function cheapest<T>(run: (input: T) => unknown, input: T, times: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) best = Math.min(best, await cpuMs(run, input));
  return best;
}

export async function workGrowth<T>(
  make: (size: number) => T,
  run: (input: T) => unknown,
  options: GrowthOptions,
): Promise<Growth> {
  let best: Growth | undefined;
  for (let attempt = 0; attempt < (options.attempts ?? 5); attempt++) {
    const growth = await measureGrowth(make, run, options);
    if (!best || growth.ratio < best.ratio) best = growth;
    if (best.ratio < MAX_GROWTH) break;
  }
  return best as Growth;
}

async function measureGrowth<T>(
  make: (size: number) => T,
  run: (input: T) => unknown,
  options: GrowthOptions,
): Promise<Growth> {
  const minMs = options.minMs ?? 5;
  const maxSize = options.maxSize ?? 1 << 24;
  const repeats = options.repeats ?? 3;
  const pairs = options.pairs ?? 3;
  let size = options.start;
  let input = make(size);
  await run(input); // warm up: compile the regexes and functions once
  while (size * 4 <= maxSize && (await cheapest(run, input, 2)) < minMs) {
    size *= 2;
    input = make(size);
  }
  let best: Growth | undefined;
  for (let pair = 0; pair < pairs; pair++) {
    const doubled = make(size * 2);
    await run(doubled);
    let small = Number.POSITIVE_INFINITY;
    let large = Number.POSITIVE_INFINITY;
    for (let i = 0; i < repeats; i++) {
      small = Math.min(small, await cpuMs(run, input));
      large = Math.min(large, await cpuMs(run, doubled));
      // Under the limit on two readings of each size: a third would only refine a passing
      // figure, while a quadratic path reads about 4 on every reading (#22: these repeats
      // were most of the growth project's time).
      if (i >= 1 && large / Math.max(small, 0.01) < MAX_GROWTH) break;
    }
    // Still under the noise floor at twice the largest size allowed: whatever its shape, the
    // work is too small to stall anything, and a ratio of two tiny timings would be noise.
    const ratio = large < minMs && size * 4 > maxSize ? 1 : large / Math.max(small, 0.01);
    const growth: Growth = {
      size,
      small,
      large,
      ratio,
      describe: `size ${size}: ${small.toFixed(2)} ms CPU, size ${size * 2}: ${large.toFixed(2)} ms CPU, ratio ${ratio.toFixed(2)}`,
    };
    if (!best || growth.ratio < best.ratio) best = growth;
    // Past a quarter second of CPU a run is big enough to tell: more doublings would only burn time.
    if (ratio < MAX_GROWTH || size * 4 > maxSize || large > 250) break;
    size *= 2;
    input = doubled;
  }
  return best as Growth;
}
