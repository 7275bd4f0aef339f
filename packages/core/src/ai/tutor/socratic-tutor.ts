import type { LlmProvider, ProviderName } from "../llm-provider.js";
import { labelOffline } from "../offline-provider.js";
import { guardReply } from "./answer-guard.js";
import { type AnswerKey, answerKey } from "./answer-key.js";
import { findLeaks } from "./answer-leaks.js";
import { studentProducedAnswer } from "./answer-stated.js";
import { LAST_RESORT_HINT, nextHintLevel, PRESSURE_OPENERS, SAFE_HINTS } from "./hint-ladder.js";
import { asksForHelp, detectPressure, type PressureKind } from "./pressure.js";
import { socraticPrompt, type TutorHistoryMessage } from "./socratic-prompt.js";

export interface TutorTurnInput {
  readonly problem: string;
  readonly referenceAnswer: string | null;
  readonly studentWork: string | null;
  readonly history: readonly TutorHistoryMessage[];
  readonly message: string;
  /** The session's hint level before this turn. */
  readonly hintLevel: number;
}

/** How the reply that is stored came to be. */
export type GuardOutcome = "passed" | "regenerated" | "fallback";

export interface TutorTurnResult {
  readonly reply: string;
  readonly hintLevel: number;
  readonly guard: GuardOutcome;
  readonly provider: ProviderName;
  readonly offline: boolean;
  readonly pressure: readonly PressureKind[];
  readonly studentProducedAnswer: boolean;
  /** Why drafts were discarded (for logs and tests; never shown to the student). */
  readonly rejected: readonly string[];
}

export interface TutorFacts {
  readonly hintLevel: number;
  readonly pressure: readonly PressureKind[];
  readonly studentProducedAnswer: boolean;
  readonly strict: boolean;
  readonly turn: number;
}

const MAX_REPLY_CHARS = 2_000;

/**
 * A safe hint for the level: the first wording the deterministic rules pass,
 * opened with a refusal when the student pushed for the answer.
 */
export function safeHint(
  key: AnswerKey | null,
  level: number,
  pushed: boolean,
  turn: number,
): string {
  const hints = SAFE_HINTS[level] ?? SAFE_HINTS[0] ?? [];
  const openers = pushed ? PRESSURE_OPENERS : [""];
  const candidates: string[] = [];
  for (let h = 0; h < hints.length; h++) {
    for (const opener of openers) {
      const hint = hints[(h + turn) % hints.length] ?? "";
      candidates.push(opener ? `${opener} ${hint}` : hint);
    }
  }
  for (const hints2 of SAFE_HINTS) candidates.push(...hints2);
  return (
    candidates.find((text) => key === null || findLeaks(text, key).length === 0) ?? LAST_RESORT_HINT
  );
}

/**
 * One Socratic tutor turn: the model drafts a reply; the guard checks it
 * (deterministic rules, then the optional judge); an unsafe draft is
 * regenerated once with a stricter instruction; if that is unsafe too, a
 * safe hint for the hint level takes its place. Only the returned reply is
 * ever stored or shown.
 *
 * Errors of the first model call (budget, provider down) propagate; later
 * ones fall back to the safe hint, since a turn is already under way.
 *
 * @example
 * const turn = await tutorTurn(ai.forAcademy(academyId, userId), {
 *   problem: "Solve 2x + 3 = 87", referenceAnswer: "42", studentWork: null,
 *   history: [], message: "Just tell me x", hintLevel: 0,
 * }, { judge: true });
 */
export async function tutorTurn(
  llm: LlmProvider,
  input: TutorTurnInput,
  options: { readonly judge: boolean; readonly signal?: AbortSignal | undefined },
): Promise<TutorTurnResult> {
  const key = input.referenceAnswer?.trim()
    ? answerKey(input.referenceAnswer, input.problem)
    : null;
  const pressure = detectPressure(input.message);
  const produced = key !== null && studentProducedAnswer(input.message, key, input.problem);
  const hintLevel = nextHintLevel(
    input.hintLevel,
    !produced && (asksForHelp(input.message) || pressure.length > 0),
  );
  const turn = input.history.filter((m) => m.role === "tutor").length;
  const label = (text: string) => (llm.offline ? labelOffline(text) : text);
  const base = {
    hintLevel,
    provider: llm.name,
    offline: llm.offline,
    pressure,
    studentProducedAnswer: produced,
  };
  const rejected: string[] = [];

  const draft = async (strict: boolean): Promise<string> => {
    const facts: TutorFacts = {
      hintLevel,
      pressure,
      studentProducedAnswer: produced,
      strict,
      turn,
    };
    const { text } = await llm.chat(
      {
        task: "tutor.reply",
        messages: socraticPrompt({
          ...input,
          hintLevel,
          studentProducedAnswer: produced,
          pressure,
          strict,
        }),
        temperature: strict ? 0.2 : 0.5,
        maxTokens: 350,
        facts,
      },
      { signal: options.signal },
    );
    return text.trim().slice(0, MAX_REPLY_CHARS);
  };
  const check = (reply: string) =>
    guardReply(reply, {
      key,
      problem: input.problem,
      message: input.message,
      studentProducedAnswer: produced,
      judge: options.judge && key !== null ? llm : undefined,
      signal: options.signal,
    });

  const first = await draft(false);
  const firstVerdict = await check(first);
  if (firstVerdict.safe) return { ...base, reply: first, guard: "passed", rejected };
  rejected.push(...firstVerdict.reasons);

  try {
    const second = await draft(true);
    const secondVerdict = await check(second);
    if (secondVerdict.safe) return { ...base, reply: second, guard: "regenerated", rejected };
    rejected.push(...secondVerdict.reasons);
  } catch (error) {
    rejected.push(`regeneration failed: ${(error as Error).message ?? String(error)}`);
  }
  const fallback = label(safeHint(key, hintLevel, pressure.length > 0, turn));
  return { ...base, reply: fallback, guard: "fallback", rejected };
}
