/**
 * `@skillbridge/core`: the domain, data layer, tenancy and role scoping of
 * SkillBridge. The HTTP contracts are a separate entry,
 * `@skillbridge/core/contracts`, free of database code.
 */

export { aiLimitsFromEnv, createAiGateway, providerFromEnv } from "./ai/ai-from-env.js";
export {
  AiGateway,
  type AiGatewayOptions,
  type AiLimits,
  type AiUsageSummary,
  DEFAULT_AI_LIMITS,
} from "./ai/ai-gateway.js";
export {
  GRADE_SUBMISSION_JOB,
  gradingJobHandler,
} from "./ai/grading/grading-job.js";
export { addressesTheGrader } from "./ai/grading/injection.js";
export {
  type GradingInput,
  ModelGradingSchema,
  scoreSubmission,
  verifyGrading,
} from "./ai/grading/score-submission.js";
export { DEFAULT_MODELS, GroqProvider, type GroqProviderOptions } from "./ai/groq-provider.js";
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
} from "./ai/llm-provider.js";
export {
  labelOffline,
  OFFLINE_LABEL,
  OFFLINE_MODEL,
  OfflineProvider,
  type OfflineResponder,
} from "./ai/offline-provider.js";
export { createOfflineProvider, OFFLINE_RESPONDERS } from "./ai/offline-responders.js";
export { chunkText, normaliseSourceText, type TextChunk } from "./ai/quiz/chunk-text.js";
export {
  extractSourceText,
  type SourceText,
  type UploadedFile,
} from "./ai/quiz/extract-text.js";
export {
  GeneratedBatchSchema,
  type GeneratedQuestions,
  generateQuizQuestions,
} from "./ai/quiz/generate-questions.js";
export { DEFAULT_SOURCE_LIMITS, formatBytes, type SourceLimits } from "./ai/quiz/source-limits.js";
export { containsQuote, matchForm, quoteIndex } from "./ai/quote-match.js";
export { type GuardVerdict, guardReply } from "./ai/tutor/answer-guard.js";
export { type AnswerKey, answerKey } from "./ai/tutor/answer-key.js";
export { findLeaks, type Leak, studentProducedAnswer } from "./ai/tutor/answer-leaks.js";
export { detectPressure, type PressureKind } from "./ai/tutor/pressure.js";
export {
  type GuardOutcome,
  type TutorTurnInput,
  type TutorTurnResult,
  tutorTurn,
} from "./ai/tutor/socratic-tutor.js";
export { DatabaseUsageLedger, type UsageEntry, type UsageLedger } from "./ai/usage-ledger.js";
export {
  type IsolationAuditOptions,
  runIsolationAudit,
  runIsolationAuditInTransaction,
} from "./audit/run-isolation-audit.js";
export { OWASP_SCRYPT, PasswordHasher, type ScryptParams } from "./auth/password-hasher.js";
export { isDatabaseUnavailable } from "./db/connection-errors.js";
export {
  type DatabaseEngine,
  type DatabaseOptions,
  databaseOptionsFromEnv,
  openDatabase,
  type SkillBridgeDatabase,
} from "./db/open-database.js";
export type { Database } from "./db/tables.js";
export {
  AcademySuspendedError,
  AiBudgetExhaustedError,
  AiBusyError,
  AiError,
  AiOutputInvalidError,
  AiRateLimitedError,
  AiUnavailableError,
  ConflictError,
  CourseFullError,
  DatabaseInUseError,
  type FieldProblem,
  ForbiddenError,
  InvalidCursorError,
  isSkillBridgeError,
  MigrationFailedError,
  MoveVerificationError,
  NotFoundError,
  PayloadTooLargeError,
  QuestionFileError,
  RateLimitedError,
  SkillBridgeError,
  type SkillBridgeErrorCode,
  TenantScopeViolationError,
  UnauthenticatedError,
  UnreadableFileError,
  UnsafeDatabaseError,
  UnsupportedFileError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "./errors.js";
export { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from "./jobs/backoff.js";
export { createJobWorker, type WorkerOptions } from "./jobs/create-worker.js";
export { type ClaimedJob, enqueueInTenant, JobQueue } from "./jobs/job-queue.js";
export {
  type DrainSummary,
  type JobEvent,
  type JobHandler,
  JobWorker,
  type JobWorkerOptions,
  PermanentJobError,
} from "./jobs/job-worker.js";
export {
  type AttemptInput,
  type MasteryChange,
  recordAttempts,
} from "./learning/attempts.js";
export {
  BKT_BOUNDS,
  type BktParams,
  bktPredictCorrect,
  bktUpdate,
  checkBktParams,
  DEFAULT_BKT_PARAMS,
} from "./learning/bkt.js";
export {
  difficultyForSuccess,
  difficultyPrior,
  ELO_START,
  type EloUpdate,
  eloExpected,
  eloK,
  eloUpdate,
} from "./learning/elo.js";
export {
  type ActivityEvent,
  awardActivity,
  BADGE_RULES,
  type BadgeId,
  type BadgeRule,
  type EarnedBadge,
  type GamificationState,
  gamificationOf,
  levelOf,
  nextStreak,
  XP_RULES,
} from "./learning/gamification.js";
export { choosePractice, masteryBasis, PLAN_RULES } from "./learning/study-plan.js";
export {
  PLAN_RATIONALE_TASK,
  templateRationale,
} from "./learning/study-plan-rationale.js";
export { SUMMARY_PERIOD_DAYS, summaryInput } from "./learning/summary-facts.js";
export { namesAnotherUser, SUMMARY_TASK, templateSummary } from "./learning/summary-text.js";
export {
  WEAK_SPOT_MASTERY,
  WEAK_SPOT_MIN_ATTEMPTS,
  type WeakSpotRow,
  weakSpotsOf,
} from "./learning/weak-spots.js";
export { CursorCodec, type CursorPosition } from "./pagination/cursor-codec.js";
export type { Page, PageRequest } from "./pagination/paginate.js";
export {
  type AcademyMove,
  type MovedTable,
  type MoveOptions,
  type MoveStep,
  moveAcademyRows,
} from "./placement/move-academy.js";
export {
  type AcademyPlacement,
  academyIdOfSchema,
  DEDICATED_SCHEMA_PREFIX,
  dedicatedSchemaName,
  SHARED_SCHEMA,
  schemaOf,
} from "./placement/schema-name.js";
export {
  migrateTenantSchemaIn,
  type RunTenantMigrationsOptions,
  runTenantMigrations,
  type TenantMigrationEvent,
  type TenantMigrationRun,
} from "./placement/tenant-schema-runner.js";
export {
  readTenantSchemaStates,
  type TenantSchemaState,
  tenantMigrationNames,
} from "./placement/tenant-schema-state.js";
export { type Actor, isStaff } from "./policies/actor.js";
export { type AssignmentView, assignmentRules, assignmentView } from "./policies/assignments.js";
export { type CourseScope, courseReadScope, courseRules } from "./policies/courses.js";
export { enrollmentRules } from "./policies/enrollments.js";
export {
  type ParentLinkScope,
  parentLinkReadScope,
  parentLinkRules,
} from "./policies/parent-links.js";
export { type QuestionView, questionView } from "./policies/questions.js";
// ─── quiz submissions and weak spots (docs/learning.md) ──────────────────────
export {
  type QuizSubmissionScope,
  quizSubmissionReadScope,
  quizSubmissionRules,
} from "./policies/quiz-submissions.js";
export {
  type QuizOwnership,
  type QuizScope,
  quizReadScope,
  quizRules,
} from "./policies/quizzes.js";
export { studentReadScope } from "./policies/students.js";
export {
  type SubmissionScope,
  submissionReadScope,
  submissionRules,
} from "./policies/submissions.js";
export {
  type TutorSessionScope,
  tutorSessionReadScope,
  tutorSessionRules,
} from "./policies/tutor-sessions.js";
export { type UserScope, userReadScope, userRules } from "./policies/users.js";
export {
  type ImportProgress,
  type ImportQuestionsOptions,
  importQuestions,
} from "./questions/importer.js";
export {
  CSV_COLUMNS,
  DEFAULT_CLIENT_BATCH,
  DuplicateIds,
  type FormatDefaults,
  GRID_IN_WIDTH,
  type GridInReading,
  gridInAccepts,
  inferQuestionFormat,
  mergeImportReports,
  parseNumber,
  parseQuestionRows,
  QUESTION_FORMATS,
  type QuestionBatch,
  type QuestionFormat,
  QuestionImportTally,
  type QuestionResponses,
  type QuestionRow,
  type QuestionSource,
  type QuestionValidation,
  questionBatches,
  type Rational,
  type ReadQuestionFileOptions,
  type RejectedQuestionRow,
  type RowPosition,
  readGridIn,
  readQuestionFile,
  type ScorableQuestion,
  type ScoreResult,
  type SourceLine,
  type SourceRow,
  score,
  type ValidQuestionRow,
  validateQuestion,
  validateQuestionRows,
  type WrittenNumber,
} from "./questions/index.js";
export { type MigrationReport, migrate, migratePlatform } from "./schema/migrate.js";
export {
  isTenantTable,
  PLATFORM_TABLES,
  type PlatformTable,
  TENANT_ROLE,
  TENANT_TABLES,
  type TenantTable,
} from "./schema/tenant-tables.js";
export {
  type AcademyRow,
  type AcademyService,
  type PlatformActor,
  toAcademy,
} from "./services/academies.js";
export type { AssignmentService } from "./services/assignments.js";
export type { AuditEntry, AuditLogService } from "./services/audit-log.js";
export type { CourseService } from "./services/courses.js";
export { createServices, type Services, type ServicesOptions } from "./services/create-services.js";
export type { EnrollmentService } from "./services/enrollments.js";
export type { GamificationService } from "./services/gamification.js";
export type { ParentLinkService } from "./services/parent-links.js";
export { fieldProblems, parseInput } from "./services/parse-input.js";
export { OPERATOR_EMAIL, type PlatformUserService } from "./services/platform-users.js";
export type { AnyExamQuestion, QuestionService } from "./services/questions.js";
export { answerProblem, type ScoredSubmission, scoreQuizAnswers } from "./services/quiz-answers.js";
export type { QuizSubmissionFilter, QuizSubmissionService } from "./services/quiz-submissions.js";
export type { QuizFilter, QuizOptions, QuizService } from "./services/quizzes.js";
export type { StudentSummaryService } from "./services/student-summaries.js";
export { assertStudentVisible } from "./services/students.js";
export type { LearningOptions, StudyPlanService } from "./services/study-plans.js";
export type {
  GradingQueueFilter,
  SubmissionFilter,
  SubmissionOptions,
  SubmissionService,
} from "./services/submissions.js";
export {
  MAX_SESSION_MESSAGES,
  type TenantRunner,
  type TutorOptions,
  type TutorSessionFilter,
  TutorSessionService,
} from "./services/tutor-sessions.js";
export type { UserService } from "./services/users.js";
export type { WeakSpotService } from "./services/weak-spots.js";
export { assertTenantSafety, findTenantSafetyProblems } from "./tenancy/assert-tenant-safety.js";
export type {
  AcademyRole,
  PlatformDatabase,
  PlatformDb,
  TenantContext,
  TenantDatabase,
  TenantDb,
} from "./tenancy/context.js";
export { TenantScopePlugin } from "./tenancy/tenant-scope-plugin.js";
export { withPlatform } from "./tenancy/with-platform.js";
export { withTenant } from "./tenancy/with-tenant.js";
