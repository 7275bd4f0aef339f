import type { ChatRequest } from "../llm-provider.js";
import type { OfflineResponder } from "../offline-provider.js";
import { splitSentences } from "../quiz/chunk-text.js";
import { matchForm } from "../quote-match.js";
import type { GradingFacts, ModelGrading } from "./score-submission.js";

/**
 * Pre-grading without a network: for each criterion, the key words of its
 * description and of the reference answer are looked for in the submission;
 * points follow the share found (in half points), the evidence is the
 * submission's sentence with the most of them, and confidence stays low
 * (0.3): rules are a first sort of the queue, not a judgement.
 */

const STOP = new Set(
  "about after also and answer are because been before being both but can does each from have into its more most must not only other over same shows some such than that the their them then there these they this those through uses very what when where which while with work would your".split(
    " ",
  ),
);

function keywords(text: string): string[] {
  return [...new Set(matchForm(text).split(" "))].filter(
    (w) => (w.length >= 4 || /\d/.test(w)) && !STOP.has(w),
  );
}

const OFFLINE_CONFIDENCE = 0.3;

const gradingScore: OfflineResponder = (request: ChatRequest): ModelGrading => {
  const facts = request.facts as GradingFacts | undefined;
  if (!facts) return { criteria: [], feedback: "" };
  const sentences = splitSentences(facts.content);
  const reference = keywords(facts.referenceAnswer ?? "");
  const criteria = facts.rubric.map((criterion) => {
    const wanted = [...new Set([...keywords(criterion.description), ...reference])];
    const scored = sentences.map((sentence) => {
      const words = new Set(matchForm(sentence).split(" "));
      return { sentence, hits: wanted.filter((w) => words.has(w)) };
    });
    const found = new Set(scored.flatMap((s) => s.hits));
    const best = [...scored].sort((a, b) => b.hits.length - a.hits.length)[0];
    const share = wanted.length === 0 ? 0 : found.size / wanted.length;
    return {
      id: criterion.id,
      points: Math.round(share * criterion.points * 2) / 2,
      evidence: best && best.hits.length > 0 ? [best.sentence] : [],
      rationale: `[offline] Found ${found.size} of ${wanted.length} key terms of the criterion${
        found.size > 0 ? ` (${[...found].slice(0, 5).join(", ")})` : ""
      }.`,
      confidence: OFFLINE_CONFIDENCE,
    };
  });
  return {
    criteria,
    feedback:
      "Rule-based pre-grade (no AI model is configured); your instructor reviews every grade before you see it.",
  };
};

export const GRADING_OFFLINE_RESPONDERS: Readonly<Record<string, OfflineResponder>> = {
  "grading.score": gradingScore,
};
