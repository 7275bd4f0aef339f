// Sampled matrices (docs/development.md, "Why the suite is fast"). A matrix
// whose every cell can find its own bug (route × role × object) runs every
// cell; the worlds it is repeated in (engine × placement) mostly repeat it.
// `npm test` runs each cell in one of those worlds, chosen from a seed, so
// every cell is still checked in every run and, run after run, in every
// world; `npm run test:reliability` (and `SKILLBRIDGE_FULL_MATRICES=1 npm
// test`) runs every cell in every world.
//
// The seed comes from `SKILLBRIDGE_TEST_SEED`; the global setup picks one per
// run when it is unset and prints it, so a failure is replayed with
// `SKILLBRIDGE_TEST_SEED=<seed> npx vitest run <file>`.

import { it } from "vitest";

/** Every cell in every world: the reliability suite, or on request. */
export const FULL_MATRICES = process.env.SKILLBRIDGE_FULL_MATRICES === "1";

function seedFromEnv(): number {
  const raw = process.env.SKILLBRIDGE_TEST_SEED;
  const parsed = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isSafeInteger(parsed) ? parsed : Math.floor(Math.random() * 2 ** 31);
}

/** This run's seed (the same in every test process of a run). */
export const TEST_SEED = seedFromEnv();

/** mulberry32: a small, well-mixed 32-bit generator, enough to pick samples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A stable hash of a label, so a matrix's draw does not depend on the others. */
function hashLabel(label: string): number {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Deals `cells` across `worlds` worlds: each cell lands in exactly one, chosen
 * from the seed and `label` (balanced: a shuffled round-robin). Returns, for
 * world `w`, the cells it runs; with `FULL_MATRICES`, every cell for every
 * world.
 */
export function dealCells<T>(
  cells: readonly T[],
  worlds: number,
  world: number,
  label: string,
): readonly T[] {
  if (FULL_MATRICES || worlds <= 1) return cells;
  const random = seededRandom(TEST_SEED ^ hashLabel(label));
  const order = cells.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const mine = new Set<number>();
  order.forEach((cell, position) => {
    if (position % worlds === world) mine.add(cell);
  });
  return cells.filter((_, i) => mine.has(i));
}

/**
 * A seeded sample of `count` items (all of them with `FULL_MATRICES`), for
 * lists whose items only repeat one another's check.
 */
export function sampleOf<T>(items: readonly T[], count: number, label: string): readonly T[] {
  if (FULL_MATRICES || count >= items.length) return items;
  const random = seededRandom(TEST_SEED ^ hashLabel(label));
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}

/** How a sampled file names its draw, for its output. */
export function sampleNote(label: string): string {
  return FULL_MATRICES
    ? `${label}: every cell in every world (SKILLBRIDGE_FULL_MATRICES=1)`
    : `${label}: seed ${TEST_SEED} (SKILLBRIDGE_TEST_SEED=${TEST_SEED} repeats this draw; SKILLBRIDGE_FULL_MATRICES=1 runs all)`;
}

type TestBody = () => unknown;

/** `it`, for the tests of a block repeated per world; see {@link dealtTests}. */
export interface DealtIt {
  (name: string, body: TestBody, timeout?: number): void;
  (name: string, options: { readonly timeout?: number }, body: TestBody): void;
}

/**
 * `it` for a block repeated in each world (`describe.each(ENGINES)`) whose
 * tests check the same behaviour whatever the world: each test is declared in
 * one world of the run. The block's tests alternate worlds from a start chosen
 * by the seed and `label`, so the worlds share them evenly and, run after run,
 * every test meets every world; with `FULL_MATRICES` every test runs in every
 * world. A test whose expectations differ by world keeps the plain `it`.
 * The block needs at least as many tests as there are worlds: vitest fails a
 * describe block left without a test (one test: `sampleOf(worlds, 1, label)`).
 *
 * @example
 * describe.each(ENGINES)("commands on %s", (engine) => {
 *   const it = dealtTests(ENGINES, engine, "cli commands");
 *   it("tenants create onboards an academy", async () => { … });
 * });
 */
export function dealtTests<W>(worlds: readonly W[], world: W, label: string): DealtIt {
  const index = worlds.indexOf(world);
  if (index < 0) throw new Error(`dealtTests: ${String(world)} is not one of the worlds`);
  const start = Math.floor(seededRandom(TEST_SEED ^ hashLabel(label))() * worlds.length);
  let declared = 0;
  return ((name: string, ...rest: unknown[]) => {
    const mine = FULL_MATRICES || (start + declared) % worlds.length === index;
    declared++;
    if (mine) (it as unknown as (name: string, ...rest: unknown[]) => void)(name, ...rest);
  }) as DealtIt;
}
