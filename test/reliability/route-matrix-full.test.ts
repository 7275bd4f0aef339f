import { afterAll, expect, it } from "vitest";
import { createTally } from "./support/tally.js";

// The whole route × role × ownership matrix (packages/server/test/route-matrix.test.ts)
// in every world: both engines × the three placement pairs. `npm test` deals
// each engine's cells across the placement pairs from a seed; this runs
// every cell in every pair.
process.env.SKILLBRIDGE_FULL_MATRICES = "1";
const matrix = await import("../../packages/server/test/route-matrix.test.js");

const tally = createTally("route-matrix-full");
afterAll(() => {
  tally.attacks += matrix.cellCount();
  tally.save();
});

it("runs every cell in every world", () => {
  expect(matrix.cellCount()).toBeGreaterThan(0);
});
