import type { EstimatedScore, MockExamKind, MockExamRoute } from "../contracts/index.js";

/**
 * Estimated section scores (docs/learning.md, "Score estimates"). An
 * estimate from a practice form, labelled as such: the College Board and
 * ETS convert raw results with item-response models on calibrated items,
 * which a practice bank does not have. The method, in full:
 *
 * 1. `s` = the share right over both modules of the section.
 * 2. A place on the scale, 0..1, by route, because the second module's
 *    route caps or lifts the real score: `harder`: 0.35 + 0.65·s;
 *    `easier`: 0.75·s (an easier second module cannot reach the top).
 * 3. A band of one standard error of the share,
 *    `sqrt(max(s·(1−s), 0.1) / n)` (n questions), scaled as in step 2: few
 *    questions (a short form) give a wide band.
 * 4. Mapped onto the section's scale (SAT 200-800 in steps of 10, GRE
 *    130-170 in steps of 1), low rounded down and high up, within the scale.
 */
export const SCORE_SCALES: Readonly<
  Record<MockExamKind, { readonly min: number; readonly max: number; readonly step: number }>
> = {
  sat: { min: 200, max: 800, step: 10 },
  gre: { min: 130, max: 170, step: 1 },
};

const ROUTE_LINE: Readonly<
  Record<MockExamRoute, { readonly base: number; readonly slope: number }>
> = {
  harder: { base: 0.35, slope: 0.65 },
  easier: { base: 0, slope: 0.75 },
};

export const ESTIMATE_NOTE =
  'Estimated scores: a band from the share of right answers and the second module\'s route, not an official College Board or ETS conversion (docs/learning.md, "Score estimates").';

export function estimateScore(
  exam: MockExamKind,
  result: { readonly correct: number; readonly total: number; readonly route: MockExamRoute },
): EstimatedScore {
  const scale = SCORE_SCALES[exam];
  const n = Math.max(result.total, 1);
  const s = Math.min(Math.max(result.correct / n, 0), 1);
  const line = ROUTE_LINE[result.route];
  const place = line.base + line.slope * s;
  const spread = Math.sqrt(Math.max(s * (1 - s), 0.1) / n) * line.slope;
  const toScale = (v: number) => scale.min + (scale.max - scale.min) * Math.min(Math.max(v, 0), 1);
  const down = (v: number) => Math.floor(v / scale.step) * scale.step;
  const up = (v: number) => Math.ceil(v / scale.step) * scale.step;
  return {
    low: Math.max(scale.min, down(toScale(place - spread))),
    high: Math.min(scale.max, up(toScale(place + spread))),
    min: scale.min,
    max: scale.max,
    estimate: true,
  };
}
