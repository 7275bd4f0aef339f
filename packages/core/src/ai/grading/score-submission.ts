import { z } from "zod";
import type {
  CriterionSuggestion,
  GradeSuggestion,
  RubricCriterion,
} from "../../contracts/index.js";
import type { LlmProvider } from "../llm-provider.js";
import { labelOffline } from "../offline-provider.js";
import { containsQuote, quoteIndex } from "../quote-match.js";
import { gradingPrompt } from "./grading-prompt.js";
import { addressesTheGrader } from "./injection.js";

/** What the model must return; checked against the rubric and the submission afterwards. */
export const ModelGradingSchema = z.object({
  criteria: z
    .array(
      z.object({
        id: z.string(),
        points: z.number(),
        evidence: z.array(z.string()).max(10).default([]),
        rationale: z.string().default(""),
        confidence: z.number().min(0).max(1),
      }),
    )
    .max(50),
  feedback: z.string().default(""),
});

export type ModelGrading = z.infer<typeof ModelGradingSchema>;

export interface GradingInput {
  readonly instructions: string;
  readonly referenceAnswer: string | null;
  /** The assignment's rubric; without one, a single criterion worth `maxPoints`. */
  readonly rubric: readonly RubricCriterion[] | null;
  readonly maxPoints: number;
  readonly content: string;
}

/** What the offline rules read instead of the prompt. */
export interface GradingFacts {
  readonly rubric: readonly RubricCriterion[];
  readonly content: string;
  readonly referenceAnswer: string | null;
}

/** Confidence factors: invented quotes cost more than missing ones. */
const UNVERIFIED_FACTOR = 0.6;
const OUT_OF_RANGE_FACTOR = 0.5;
const NO_EVIDENCE_CAP = 0.2;
const STEERING_CAP = 0.1;

const round2 = (n: number) => Math.round(n * 100) / 100;

export function effectiveRubric(
  rubric: readonly RubricCriterion[] | null,
  maxPoints: number,
): RubricCriterion[] {
  return rubric && rubric.length > 0
    ? [...rubric]
    : [
        {
          id: "overall",
          description: "Overall correctness and quality of the work",
          points: maxPoints,
        },
      ];
}

/**
 * Checks the model's scores against the rubric and the submission: one
 * entry per criterion (missing ones score 0 with confidence 0), points
 * clamped to the criterion's range, and every evidence quote looked up in
 * the submission — quotes that are not in it are dropped and lower the
 * confidence; points without any verified evidence cap it low. The overall
 * confidence is the weakest criterion's: the instructor's queue shows the
 * least certain suggestions first.
 */
export function verifyGrading(
  model: ModelGrading,
  input: GradingInput,
  meta: { provider: GradeSuggestion["provider"]; model: string; offline: boolean },
): GradeSuggestion {
  const rubric = effectiveRubric(input.rubric, input.maxPoints);
  const index = quoteIndex(input.content);
  let droppedEvidence = 0;
  const criteria: CriterionSuggestion[] = rubric.map((criterion) => {
    const given = model.criteria.find(
      (c) => c.id.trim().toLowerCase() === criterion.id.toLowerCase(),
    );
    if (!given) {
      return {
        criterionId: criterion.id,
        points: 0,
        maxPoints: criterion.points,
        evidence: [],
        rationale: "No score was suggested for this criterion.",
        confidence: 0,
        flags: ["missing"],
      };
    }
    const flags: string[] = [];
    let confidence = given.confidence;
    let points = given.points;
    if (!(points >= 0 && points <= criterion.points)) {
      points = Math.min(criterion.points, Math.max(0, Number.isFinite(points) ? points : 0));
      flags.push("points_out_of_range");
      confidence *= OUT_OF_RANGE_FACTOR;
    }
    const quotes = [...new Set(given.evidence.map((q) => q.trim()).filter(Boolean))];
    const verified = quotes.filter((q) => containsQuote(index, q));
    droppedEvidence += quotes.length - verified.length;
    if (verified.length < quotes.length) {
      flags.push("unverified_evidence");
      confidence *= UNVERIFIED_FACTOR;
    }
    if (points > 0 && verified.length === 0) {
      flags.push("no_evidence");
      confidence = Math.min(confidence, NO_EVIDENCE_CAP);
    }
    return {
      criterionId: criterion.id,
      points: round2(points),
      maxPoints: criterion.points,
      evidence: verified.map((q) => q.slice(0, 500)),
      rationale: given.rationale.trim().slice(0, 2_000),
      confidence: round2(confidence),
      flags,
    };
  });
  const total = criteria.reduce((n, c) => n + c.points, 0);
  const rubricTotal = rubric.reduce((n, c) => n + c.points, 0);
  const flags: string[] = [];
  let confidence = Math.min(1, ...criteria.map((c) => c.confidence));
  if (addressesTheGrader(input.content)) {
    flags.push("possible_prompt_injection");
    confidence = Math.min(confidence, STEERING_CAP);
  }
  if (meta.offline) flags.push("offline");
  const feedback = model.feedback.trim().slice(0, 5_000);
  return {
    grade: round2(
      rubricTotal === input.maxPoints ? total : (total / rubricTotal) * input.maxPoints,
    ),
    maxPoints: input.maxPoints,
    confidence: round2(confidence),
    feedback: meta.offline ? labelOffline(feedback) : feedback,
    criteria,
    flags,
    droppedEvidence,
    provider: meta.provider,
    model: meta.model,
    offline: meta.offline,
  };
}

/**
 * A suggested grade for one submission: the model scores each rubric
 * criterion with quoted evidence and a confidence (JSON output, one repair
 * attempt), then `verifyGrading` holds it to the rubric and the text.
 *
 * @example
 * const suggestion = await scoreSubmission(ai.forAcademy(academyId), {
 *   instructions, referenceAnswer, rubric, maxPoints: 10, content,
 * });
 */
export async function scoreSubmission(
  llm: LlmProvider,
  input: GradingInput,
  options: { readonly signal?: AbortSignal | undefined } = {},
): Promise<GradeSuggestion> {
  const rubric = effectiveRubric(input.rubric, input.maxPoints);
  const result = await llm.json(
    ModelGradingSchema,
    {
      task: "grading.score",
      messages: gradingPrompt({ ...input, rubric }),
      temperature: 0.1,
      maxTokens: 300 + 250 * rubric.length,
      facts: {
        rubric,
        content: input.content,
        referenceAnswer: input.referenceAnswer,
      } satisfies GradingFacts,
    },
    { signal: options.signal },
  );
  return verifyGrading(result.data, input, {
    provider: result.provider,
    model: result.model,
    offline: result.offline,
  });
}
