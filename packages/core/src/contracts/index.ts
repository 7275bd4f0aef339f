/**
 * `@skillbridge/core/contracts`: zod schemas of the HTTP API v1 (API.md) and their inferred
 * types. Zod only, no database code, so the SDK can depend on it without pulling in core.
 *
 * Request bodies and queries are strict (unknown fields fail); response schemas strip unknown
 * keys, so a response built through them cannot carry secrets such as `passwordHash`.
 * Types are the parsed side; `*Input` types are what a client may send where defaults differ.
 */

export type {
  Academy,
  AcademyListQuery,
  AcademyListQueryInput,
  AcademyPage,
  AcademySlug,
  AcademyStatus,
  AcademyUserQuery,
  AcademyUserQueryInput,
  AuditEvent,
  AuditEventPage,
  CreateAcademyAdmin,
  CreateAcademyBody,
  CreateAcademyResponse,
  ImpersonationBody,
  ImpersonationResponse,
  Invitation,
  MoveAcademyBody,
  MoveAcademyResponse,
  Placement,
  UpdateAcademyBody,
} from "./academies.js";
export {
  AcademyListQuerySchema,
  AcademyPageSchema,
  AcademySchema,
  AcademySlugSchema,
  AcademyStatusSchema,
  AcademyUserQuerySchema,
  AuditEventPageSchema,
  AuditEventSchema,
  CreateAcademyAdminSchema,
  CreateAcademyBodySchema,
  CreateAcademyResponseSchema,
  ImpersonationBodySchema,
  ImpersonationResponseSchema,
  InvitationSchema,
  MoveAcademyBodySchema,
  MoveAcademyResponseSchema,
  PlacementSchema,
  UpdateAcademyBodySchema,
} from "./academies.js";
export type {
  Assignment,
  AssignmentListQuery,
  AssignmentListQueryInput,
  AssignmentPage,
  CreateAssignmentBody,
  CreateAssignmentBodyInput,
  Rubric,
  RubricCriterion,
  RubricInput,
  StudentAssignment,
  StudentAssignmentPage,
  TutorMode,
} from "./assignments.js";
export {
  AssignmentListQuerySchema,
  AssignmentPageSchema,
  AssignmentSchema,
  CreateAssignmentBodySchema,
  RubricCriterionSchema,
  RubricInputSchema,
  RubricSchema,
  StudentAssignmentPageSchema,
  StudentAssignmentSchema,
  TutorModeSchema,
} from "./assignments.js";
export type {
  AcceptInvitationBody,
  LoginBody,
  LoginResponse,
  MeResponse,
} from "./auth.js";
export {
  AcceptInvitationBodySchema,
  InvitationParamsSchema,
  InvitationTokenSchema,
  LoginBodySchema,
  LoginResponseSchema,
  MeResponseSchema,
} from "./auth.js";
export type {
  CreateQuizFromBankBody,
  ParsedQuizFromBankBody,
} from "./bank-quizzes.js";
export { CreateQuizFromBankBodySchema } from "./bank-quizzes.js";
export type {
  AcademyRole,
  Health,
  IdParams,
  Page,
  PageQuery,
  PageQueryInput,
  PlatformRole,
  ProblemDocument,
  ProblemFieldError,
  Role,
} from "./common.js";
export {
  AcademyRoleSchema,
  EmailSchema,
  HealthSchema,
  IdParamsSchema,
  IsoDateTimeSchema,
  NameSchema,
  PageQuerySchema,
  PasswordSchema,
  PlatformRoleSchema,
  ProblemDocumentSchema,
  ProblemFieldErrorSchema,
  pageOf,
  RoleSchema,
  TitleSchema,
  UuidSchema,
} from "./common.js";
export type {
  Course,
  CoursePage,
  CreateCourseBody,
  UpdateCourseBody,
} from "./courses.js";
export {
  CourseCapacitySchema,
  CoursePageSchema,
  CourseSchema,
  CreateCourseBodySchema,
  UpdateCourseBodySchema,
} from "./courses.js";
export type {
  CreateEnrollmentBody,
  Enrollment,
  EnrollmentPage,
} from "./enrollments.js";
export {
  CreateEnrollmentBodySchema,
  EnrollmentPageSchema,
  EnrollmentSchema,
} from "./enrollments.js";
export type { Badge, Gamification } from "./gamification.js";
export { BadgeSchema, GamificationSchema } from "./gamification.js";
export type {
  AuditCheck,
  AuditCheckStatus,
  AuditFinding,
  AuditSeverity,
  IsolationAuditReport,
} from "./isolation-audit.js";
export {
  AuditCheckSchema,
  AuditCheckStatusSchema,
  AuditFindingSchema,
  AuditSeveritySchema,
  IsolationAuditReportSchema,
} from "./isolation-audit.js";
export { issueMessage } from "./issue-messages.js";
export type {
  CreateMockExamBody,
  EstimatedScore,
  MockExam,
  MockExamCurrent,
  MockExamKind,
  MockExamLength,
  MockExamListQuery,
  MockExamListQueryInput,
  MockExamModule,
  MockExamPage,
  MockExamReport,
  MockExamRoute,
  MockExamStatus,
  SubmitMockModuleBody,
} from "./mock-exams.js";
export {
  CreateMockExamBodySchema,
  EstimatedScoreSchema,
  MockExamCurrentSchema,
  MockExamKindSchema,
  MockExamLengthSchema,
  MockExamListQuerySchema,
  MockExamModuleSchema,
  MockExamPageSchema,
  MockExamReportSchema,
  MockExamRouteSchema,
  MockExamSchema,
  MockExamStatusSchema,
  SubmitMockModuleBodySchema,
} from "./mock-exams.js";
export type {
  CreateParentLinkBody,
  ParentLink,
  ParentLinkPage,
} from "./parent-links.js";
export {
  CreateParentLinkBodySchema,
  ParentLinkPageSchema,
  ParentLinkSchema,
} from "./parent-links.js";
export type {
  CreatePlatformUserBody,
  CreatePlatformUserBodyInput,
} from "./platform-users.js";
export { CreatePlatformUserBodySchema } from "./platform-users.js";
export type {
  BankAnswer,
  CreatePracticeSetBody,
  ParsedPracticeSetBody,
  PracticeAnswerBody,
  PracticeAnswerResult,
  PracticeSet,
  PracticeSetFilters,
  PracticeSetItem,
  PracticeSetListQuery,
  PracticeSetListQueryInput,
  PracticeSetPage,
  PracticeSetStatus,
} from "./practice-sets.js";
export {
  BankAnswerSchema,
  CreatePracticeSetBodySchema,
  PRACTICE_SET_DEFAULT_COUNT,
  PRACTICE_SET_MAX,
  PracticeAnswerBodySchema,
  PracticeAnswerResultSchema,
  PracticeSetFiltersSchema,
  PracticeSetItemSchema,
  PracticeSetListQuerySchema,
  PracticeSetPageSchema,
  PracticeSetSchema,
  PracticeSetStatusSchema,
} from "./practice-sets.js";
export type {
  QuestionBatchBody,
  QuestionBatchBodyInput,
  QuestionBatchRequest,
  QuestionImportReport,
  QuestionRejection,
  QuestionUpdate,
} from "./question-batches.js";
export {
  QUESTION_BATCH_MAX,
  QUESTION_BATCH_MAX_BYTES,
  QuestionBatchBodySchema,
  QuestionImportReportSchema,
  QuestionRejectionSchema,
  QuestionUpdateSchema,
} from "./question-batches.js";
export type {
  ExamQuestion,
  ExamQuestionPage,
  LearnerExamQuestion,
  LearnerExamQuestionPage,
  Question,
  QuestionBank,
  QuestionInput,
  QuestionListQuery,
  QuestionListQueryInput,
  QuestionSection,
  QuestionTextFormat,
  QuestionType,
} from "./questions.js";
export {
  BANK_QUESTION_TYPES,
  BANK_SECTIONS,
  ExamQuestionPageSchema,
  ExamQuestionSchema,
  ExternalIdSchema,
  LearnerExamQuestionPageSchema,
  LearnerExamQuestionSchema,
  OptionIdSchema,
  QUANTITATIVE_COMPARISON_CHOICES,
  QUESTION_SEARCH_MAX,
  QUESTION_SECTIONS,
  QUESTION_TEXT_FORMATS,
  QUESTION_TYPES,
  QuestionBankSchema,
  QuestionInputSchema,
  QuestionListQuerySchema,
  QuestionSectionSchema,
  QuestionTextFormatSchema,
  QuestionTypeSchema,
  TYPE_SECTIONS,
} from "./questions.js";
export type { QuizResultsPolicy, ResultsShown } from "./quiz-policy.js";
export {
  AllowedAttemptsSchema,
  QuizResultsPolicySchema,
  ResultsShownSchema,
} from "./quiz-policy.js";
export type {
  BankQuestionItem,
  LearnerQuizQuestion,
  ParsedQuizItem,
  ParsedQuizQuestion,
  QuizItemInput,
  QuizQuestion,
  QuizQuestionInput,
  QuizQuestionType,
} from "./quiz-questions.js";
export {
  BankQuestionItemSchema,
  LearnerQuizQuestionSchema,
  QUIZ_QUESTION_TYPES,
  QuizItemInputSchema,
  QuizOptionIdSchema,
  QuizQuestionInputSchema,
  QuizQuestionSchema,
  QuizQuestionTypeSchema,
} from "./quiz-questions.js";
export type {
  CreateQuizSubmissionBody,
  QuizAnswer,
  QuizAnswerValue,
  QuizSubmission,
  QuizSubmissionListQuery,
  QuizSubmissionListQueryInput,
  QuizSubmissionPage,
  QuizSubmissionResult,
} from "./quiz-submissions.js";
export {
  CreateQuizSubmissionBodySchema,
  QuizAnswerSchema,
  QuizAnswerValueSchema,
  QuizSubmissionListQuerySchema,
  QuizSubmissionPageSchema,
  QuizSubmissionResultSchema,
  QuizSubmissionSchema,
} from "./quiz-submissions.js";
export type {
  CreateQuizBody,
  DroppedQuestions,
  GenerateQuizFields,
  GenerateQuizFieldsInput,
  LearnerQuiz,
  Quiz,
  QuizGeneration,
  QuizListQuery,
  QuizListQueryInput,
  QuizPage,
  QuizStatus,
  QuizSummary,
  SourceKind,
  UpdateQuizBody,
} from "./quizzes.js";
export {
  CreateQuizBodySchema,
  DroppedQuestionsSchema,
  GenerateQuizFieldsSchema,
  LearnerQuizSchema,
  MAX_GENERATED_QUESTIONS,
  MAX_QUIZ_QUESTIONS,
  QuizGenerationSchema,
  QuizListQuerySchema,
  QuizPageSchema,
  QuizSchema,
  QuizStatusSchema,
  QuizSummarySchema,
  SourceKindSchema,
  UpdateQuizBodySchema,
} from "./quizzes.js";
export type {
  StudentSummary,
  SummaryFact,
  SummaryFactKind,
} from "./student-summaries.js";
export {
  StudentSummarySchema,
  SummaryFactKindSchema,
  SummaryFactSchema,
} from "./student-summaries.js";
export type {
  PlanQuestion,
  PlanRationale,
  PlanWeakSpot,
  StudyPlan,
  StudyPlanItem,
} from "./study-plans.js";
export {
  PlanQuestionSchema,
  PlanRationaleSchema,
  PlanWeakSpotSchema,
  StudyPlanItemSchema,
  StudyPlanSchema,
} from "./study-plans.js";
export type {
  AiReview,
  AiReviewStatus,
  CreateSubmissionBody,
  CriterionSuggestion,
  GradeSubmissionBody,
  GradeSuggestion,
  GradingQueueQuery,
  GradingQueueQueryInput,
  LearnerSubmission,
  LearnerSubmissionPage,
  Submission,
  SubmissionListQuery,
  SubmissionListQueryInput,
  SubmissionPage,
} from "./submissions.js";
export {
  AiReviewSchema,
  AiReviewStatusSchema,
  CreateSubmissionBodySchema,
  CriterionSuggestionSchema,
  GradeSubmissionBodySchema,
  GradeSuggestionSchema,
  GradingQueueQuerySchema,
  LearnerSubmissionPageSchema,
  LearnerSubmissionSchema,
  SubmissionListQuerySchema,
  SubmissionPageSchema,
  SubmissionSchema,
} from "./submissions.js";
export type {
  CreateTutorSessionBody,
  SendTutorMessageBody,
  TutorGuardOutcome,
  TutorMessage,
  TutorReply,
  TutorSession,
  TutorSessionListQuery,
  TutorSessionListQueryInput,
  TutorSessionPage,
  TutorSessionSummary,
} from "./tutor-sessions.js";
export {
  CreateTutorSessionBodySchema,
  SendTutorMessageBodySchema,
  TutorGuardOutcomeSchema,
  TutorMessageSchema,
  TutorReplySchema,
  TutorSessionListQuerySchema,
  TutorSessionPageSchema,
  TutorSessionSchema,
  TutorSessionSummarySchema,
} from "./tutor-sessions.js";
export type {
  CreateUserBody,
  UpdateUserBody,
  User,
  UserListQuery,
  UserListQueryInput,
  UserPage,
} from "./users.js";
export {
  CreateUserBodySchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
} from "./users.js";
export type {
  CourseWeakSpot,
  CourseWeakSpotList,
  WeakSpot,
  WeakSpotList,
} from "./weak-spots.js";
export {
  CourseWeakSpotListSchema,
  CourseWeakSpotSchema,
  WeakSpotListSchema,
  WeakSpotSchema,
} from "./weak-spots.js";
