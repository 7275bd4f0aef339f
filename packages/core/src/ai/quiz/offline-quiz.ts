import type { ChatRequest } from "../llm-provider.js";
import type { OfflineResponder } from "../offline-provider.js";
import { splitSentences } from "./chunk-text.js";
import type { QuizChunkFacts } from "./generate-questions.js";

/**
 * Quiz questions without a network: fill-in-the-blank multiple choice from
 * the excerpt's own sentences. The blank is a number in the sentence, else a
 * capitalised name, else its longest uncommon word; the distractors are the
 * same kind of term from other sentences (or, for numbers, nearby values).
 * Deterministic, grounded by construction (the source is the sentence), and
 * labelled offline in the prompt and explanation.
 */

const STOP = new Set(
  "about above after again against because before being below between both could during each further having other should their there these those through under until which while would where whose".split(
    " ",
  ),
);

interface Term {
  readonly text: string;
  readonly kind: "number" | "name" | "word";
}

function keyTerm(sentence: string): Term | undefined {
  const number = /(?<![\w.])-?\d+(?:[.,]\d+)*(?:\/\d+)?%?(?![\w.]\d)/.exec(sentence);
  if (number) return { text: number[0], kind: "number" };
  const name = /(?<=\s)[A-Z][a-z]{3,}(?:\s[A-Z][a-z]+)*/.exec(sentence);
  if (name) return { text: name[0], kind: "name" };
  const words = (sentence.match(/\b[a-z]{7,}\b/g) ?? []).filter((w) => !STOP.has(w));
  const longest = words.sort((a, b) => b.length - a.length || a.localeCompare(b))[0];
  return longest ? { text: longest, kind: "word" } : undefined;
}

function nearbyNumbers(term: string): string[] {
  const percent = term.endsWith("%");
  const value = Number(term.replace(/[,%]/g, ""));
  if (!Number.isFinite(value) || term.includes("/")) return [];
  const decimals = /\.(\d+)/.exec(term.replace(/,/g, ""))?.[1]?.length ?? 0;
  const step = decimals > 0 ? 10 ** -decimals : 1;
  const format = (n: number) => `${n.toFixed(decimals)}${percent ? "%" : ""}`;
  return [
    value + step,
    value * 2 === value ? value + 10 * step : value * 2,
    value - step,
    value + 10 * step,
  ]
    .map(format)
    .filter((n) => n !== term);
}

function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from(
    { length: count },
    (_, i) => items[Math.floor((i * items.length) / count)] as T,
  );
}

const LETTERS = "ABCD";

const quizGenerate: OfflineResponder = (request: ChatRequest) => {
  const facts = request.facts as QuizChunkFacts | undefined;
  if (!facts) return { questions: [] };
  const candidates = splitSentences(facts.excerpt)
    .filter((s) => s.length >= 40 && s.length <= 400)
    .flatMap((sentence) => {
      const term = keyTerm(sentence);
      return term ? [{ sentence, term }] : [];
    });
  const pool = (kind: Term["kind"]) => [
    ...new Map(
      candidates
        .filter((c) => c.term.kind === kind)
        .map((c) => [c.term.text.toLowerCase(), c.term.text] as const),
    ).values(),
  ];
  const questions = [];
  for (const { sentence, term } of spread(candidates, facts.count)) {
    const others = pool(term.kind).filter((t) => t.toLowerCase() !== term.text.toLowerCase());
    const distractors = [...others, ...(term.kind === "number" ? nearbyNumbers(term.text) : [])]
      .filter((t, i, all) => all.indexOf(t) === i)
      .slice(0, 3);
    if (distractors.length === 0) continue;
    const texts = [term.text, ...distractors].sort((a, b) => a.localeCompare(b));
    const options = texts.map((text, i) => ({ id: LETTERS[i] ?? String(i), text }));
    questions.push({
      type: "multiple_choice",
      prompt: `[offline] Fill in the blank: ${sentence.replace(term.text, "_____")}`,
      options,
      answer: options.find((o) => o.text === term.text)?.id,
      explanation: `[offline] The material says: "${sentence}"`,
      source: sentence,
    });
  }
  return { questions };
};

export const QUIZ_OFFLINE_RESPONDERS: Readonly<Record<string, OfflineResponder>> = {
  "quiz.generate": quizGenerate,
};
