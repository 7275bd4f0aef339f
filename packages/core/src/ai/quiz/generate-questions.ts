import { z } from "zod";
import type { DroppedQuestions, ParsedQuizQuestion } from "../../contracts/index.js";
import { AiOutputInvalidError, UnreadableFileError } from "../../errors.js";
import type { LlmProvider, ProviderName } from "../llm-provider.js";
import { containsQuote, matchForm, quoteIndex } from "../quote-match.js";
import { type ChunkOptions, chunkText, type TextChunk } from "./chunk-text.js";
import { type QuestionDefaults, toQuizQuestion } from "./generated-question.js";
import { quizPrompt } from "./quiz-prompt.js";

/**
 * What the model must return for one excerpt. Items are checked one by one
 * afterwards (`toQuizQuestion`), so one malformed question is dropped rather
 * than failing the batch.
 */
export const GeneratedBatchSchema = z.object({ questions: z.array(z.unknown()).max(60) });

/** What the offline rules read instead of the prompt. */
export interface QuizChunkFacts {
  readonly excerpt: string;
  readonly count: number;
}

export interface GenerateQuestionsInput {
  readonly title: string;
  /** The whole document's text (normalised; see `extractSourceText`). */
  readonly text: string;
  readonly count: number;
}

export interface GeneratedQuestions {
  readonly questions: ParsedQuizQuestion[];
  readonly chunks: number;
  readonly dropped: DroppedQuestions;
  readonly provider: ProviderName;
  readonly model: string;
  readonly offline: boolean;
}

/** Most questions asked of one excerpt. */
const MAX_PER_CHUNK = 20;

function perChunk(count: number, chunks: number): number {
  // A margin over the share of each excerpt, since some questions get dropped.
  return Math.min(MAX_PER_CHUNK, Math.max(1, Math.ceil((count * 1.3) / chunks)));
}

/**
 * Takes from each excerpt's kept questions in turn, so a short quiz from a
 * long document covers all of it rather than its first excerpt only.
 */
function roundRobin<T>(lists: readonly T[][], count: number): { kept: T[]; surplus: number } {
  const kept: T[] = [];
  const total = lists.reduce((n, list) => n + list.length, 0);
  for (let i = 0; kept.length < count && kept.length < total; i++) {
    for (const list of lists) {
      const item = list[i];
      if (item !== undefined && kept.length < count) kept.push(item);
    }
  }
  return { kept, surplus: total - kept.length };
}

/**
 * Questions for a quiz, written from a document: the text is chunked
 * (long documents sampled evenly), each excerpt goes to the model through
 * the provider's JSON output, and every question it returns is checked:
 * valid against the quiz question schema — the bank's question model — (else `invalid`), its `source`
 * found word for word in the excerpt (else `unsupported`: not grounded in
 * the material), its prompt not a repeat (else `duplicate`). The first
 * `count` kept, taken across excerpts in turn, are the result.
 *
 * An excerpt whose answer cannot be read as JSON (after the provider's
 * repair attempt) counts as no questions; other model errors (budget,
 * rate limit, provider down, abort) end the generation.
 *
 * @example
 * const result = await generateQuizQuestions(ai.forAcademy(academyId, userId), {
 *   title: "Cell biology", text: source.text, count: 10,
 * });
 */
export async function generateQuizQuestions(
  llm: LlmProvider,
  input: GenerateQuestionsInput,
  options: ChunkOptions & { readonly signal?: AbortSignal | undefined } = {},
): Promise<GeneratedQuestions> {
  const { chunks } = chunkText(input.text, options);
  const ask = perChunk(input.count, chunks.length);
  const dropped = { invalid: 0, unsupported: 0, duplicate: 0, surplus: 0 };
  const seen = new Set<string>();
  const perExcerpt: ParsedQuizQuestion[][] = [];
  let unreadable = 0;
  let model = llm.modelFor("main");

  for (const [i, chunk] of chunks.entries()) {
    let items: unknown[];
    try {
      const result = await llm.json(
        GeneratedBatchSchema,
        {
          task: "quiz.generate",
          messages: quizPrompt({
            title: input.title,
            excerpt: chunk.text,
            count: ask,
            part: i + 1,
            parts: chunks.length,
          }),
          temperature: 0.4,
          maxTokens: Math.min(8_000, 350 * ask + 200),
          facts: { excerpt: chunk.text, count: ask } satisfies QuizChunkFacts,
        },
        { signal: options.signal },
      );
      items = result.data.questions;
      model = result.model;
    } catch (error) {
      if (!(error instanceof AiOutputInvalidError)) throw error;
      unreadable++;
      continue;
    }
    perExcerpt.push(checkQuestions(items, chunk, seen, dropped, { topic: input.title }));
  }

  if (unreadable === chunks.length) {
    throw new AiOutputInvalidError(
      "The model's answers could not be read as questions; try again.",
    );
  }
  const { kept, surplus } = roundRobin(perExcerpt, input.count);
  dropped.surplus = surplus;
  if (kept.length === 0) {
    if (llm.offline) {
      throw new UnreadableFileError(
        "No questions could be written from this file's text (the offline rules need full sentences with terms or numbers to ask about).",
      );
    }
    throw new AiOutputInvalidError(
      "The model wrote no usable questions from this file (none was valid and grounded in the text); try again.",
    );
  }
  return {
    questions: kept,
    chunks: chunks.length,
    dropped,
    provider: llm.name,
    model,
    offline: llm.offline,
  };
}

function checkQuestions(
  items: readonly unknown[],
  chunk: TextChunk,
  seen: Set<string>,
  dropped: { invalid: number; unsupported: number; duplicate: number },
  defaults: QuestionDefaults,
): ParsedQuizQuestion[] {
  const index = quoteIndex(chunk.text);
  const kept: ParsedQuizQuestion[] = [];
  for (const item of items) {
    const question = toQuizQuestion(item, defaults);
    if (!question) {
      dropped.invalid++;
      continue;
    }
    // Short "sources" (a word or two) would match almost anything.
    if (!question.source || !containsQuote(index, question.source, 12)) {
      dropped.unsupported++;
      continue;
    }
    const key = matchForm(question.prompt);
    if (seen.has(key)) {
      dropped.duplicate++;
      continue;
    }
    seen.add(key);
    kept.push(question);
  }
  return kept;
}
