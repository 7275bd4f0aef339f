// vitest globalSetup: one seed per run for the sampled matrices
// (packages/core/test/support/sampling.ts), inherited by every test process
// and printed, so a failure in a sample is replayed with the same draw.
export default function setup(): void {
  if (!process.env.SKILLBRIDGE_TEST_SEED) {
    process.env.SKILLBRIDGE_TEST_SEED = String(Math.floor(Math.random() * 2 ** 31));
  }
  const full = process.env.SKILLBRIDGE_FULL_MATRICES === "1";
  console.log(
    full
      ? "matrices: every cell in every world (SKILLBRIDGE_FULL_MATRICES=1)"
      : `matrices: sampled with seed ${process.env.SKILLBRIDGE_TEST_SEED} ` +
          `(SKILLBRIDGE_TEST_SEED=${process.env.SKILLBRIDGE_TEST_SEED} repeats it, SKILLBRIDGE_FULL_MATRICES=1 runs every cell)`,
  );
}
