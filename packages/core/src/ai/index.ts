/**
 * AI features (docs/ai.md): the gateway and its providers (Groq, offline), metered
 * usage, submission pre-grading, quiz generation from documents and the Socratic tutor's guards.
 */

export {
  AiGateway,
  type AiGatewayOptions,
  type AiLimits,
  type AiUsageSummary,
  DEFAULT_AI_LIMITS,
} from "./ai-gateway.js";
export {
  GRADE_SUBMISSION_JOB,
  gradingJobHandler,
} from "./grading/grading-job.js";
export { addressesTheGrader } from "./grading/injection.js";
export {
  type GradingInput,
  ModelGradingSchema,
  scoreSubmission,
  verifyGrading,
} from "./grading/score-submission.js";
export { DEFAULT_MODELS, GroqProvider, type GroqProviderOptions } from "./groq-provider.js";
export type {
  CallOptions,
  CallRecord,
  ChatMessage,
  ChatRequest,
  ChatResult,
  ChatStream,
  JsonOptions,
  JsonResult,
  LlmProvider,
  ModelTier,
  ProviderName,
  TokenUsage,
} from "./llm-provider.js";
export {
  labelOffline,
  OFFLINE_LABEL,
  OFFLINE_MODEL,
  OfflineProvider,
  type OfflineResponder,
} from "./offline-provider.js";
export { chunkText, normaliseSourceText, type TextChunk } from "./quiz/chunk-text.js";
export {
  extractSourceText,
  type SourceText,
  type UploadedFile,
} from "./quiz/extract-text.js";
export {
  GeneratedBatchSchema,
  type GeneratedQuestions,
  generateQuizQuestions,
} from "./quiz/generate-questions.js";
export { DEFAULT_SOURCE_LIMITS, formatBytes, type SourceLimits } from "./quiz/source-limits.js";
export { containsQuote, matchForm, quoteIndex } from "./quote-match.js";
export { type GuardVerdict, guardReply } from "./tutor/answer-guard.js";
export { type AnswerKey, answerKey } from "./tutor/answer-key.js";
export { findLeaks, type Leak } from "./tutor/answer-leaks.js";
export { studentProducedAnswer } from "./tutor/answer-stated.js";
export { detectPressure, type PressureKind } from "./tutor/pressure.js";
export {
  type GuardOutcome,
  type TutorTurnInput,
  type TutorTurnResult,
  tutorTurn,
} from "./tutor/socratic-tutor.js";
export { DatabaseUsageLedger, type UsageEntry, type UsageLedger } from "./usage-ledger.js";
