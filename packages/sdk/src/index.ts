/**
 * `@skillbridge/sdk`: a typed client for the SkillBridge HTTP API v1.
 * Types are the API's contracts (`@skillbridge/core/contracts`, bundled in).
 *
 * @example
 * import { SkillBridge, NotFoundError } from "@skillbridge/sdk";
 * const client = new SkillBridge({ baseUrl: "http://localhost:3000" });
 * await client.auth.login({ email, password });
 */

export type {
  AcademyPage,
  AcademyRole,
  AcademyStatus,
  AiReviewStatus,
  AuditCheckStatus,
  AuditSeverity,
  BankQuestionItem,
  MockExamKind,
  MockExamLength,
  MockExamRoute,
  MockExamStatus,
  Page,
  Placement,
  PlatformRole,
  PracticeSetStatus,
  QuestionBank,
  QuestionInput,
  QuestionSection,
  QuestionTextFormat,
  QuestionType,
  QuizAnswerValue,
  QuizItemInput,
  QuizQuestionInput,
  QuizResultsPolicy,
  QuizStatus,
  ResultsShown,
  Role,
  Rubric,
  TutorGuardOutcome,
  TutorMode,
} from "@skillbridge/core/contracts";
export { SkillBridge, type SkillBridgeOptions, VERSION } from "./client.js";
export { APIPromise, type ResponseInfo, type WithResponse } from "./core/api-promise.js";
export {
  FetchHttpClient,
  type FetchLike,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  UndiciHttpClient,
} from "./core/http-client.js";
export type { UploadFile } from "./core/multipart.js";
export { PagePromise } from "./core/pagination.js";
export type { Query, RawResponse, RequestOptions } from "./core/resource.js";
export {
  AbortError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  IdempotencyError,
  InternalServerError,
  isSkillBridgeError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  type ResponseIssue,
  ResponseValidationError,
  SkillBridgeError,
  type SkillBridgeErrorCode,
  TimeoutError,
  ValidationError,
} from "./errors/errors.js";
export { Academies } from "./resources/academies.js";
export { Assignments } from "./resources/assignments.js";
export { AuditLog } from "./resources/audit-log.js";
export { Auth } from "./resources/auth.js";
export { Courses } from "./resources/courses.js";
export { Enrollments } from "./resources/enrollments.js";
export { GamificationResource } from "./resources/gamification.js";
export { Impersonations } from "./resources/impersonations.js";
export { IsolationAudit } from "./resources/isolation-audit.js";
export { MockExams } from "./resources/mock-exams.js";
export { ParentLinks } from "./resources/parent-links.js";
export { PlatformUsers } from "./resources/platform-users.js";
export { PracticeSets } from "./resources/practice-sets.js";
export { Questions } from "./resources/questions.js";
export { QuizSubmissions } from "./resources/quiz-submissions.js";
export { type GenerateQuizParams, Quizzes } from "./resources/quizzes.js";
export type { RawRequest } from "./resources/raw.js";
export { Students } from "./resources/students.js";
export { Submissions } from "./resources/submissions.js";
export { TutorSessions } from "./resources/tutor-sessions.js";
export { Users } from "./resources/users.js";
export type {
  Academy,
  AiReview,
  Assignment,
  AuditCheck,
  AuditEvent,
  AuditFinding,
  Badge,
  BankAnswer,
  Course,
  CourseWeakSpot,
  CourseWeakSpotList,
  CreateAcademyResponse,
  CriterionSuggestion,
  Enrollment,
  EstimatedScore,
  ExamQuestion,
  Gamification,
  GradeSuggestion,
  ImpersonationResponse,
  Invitation,
  IsolationAuditReport,
  LearnerExamQuestion,
  LearnerQuiz,
  LearnerQuizQuestion,
  LearnerSubmission,
  LoginResponse,
  MeResponse,
  MockExam,
  MockExamCurrent,
  MockExamModule,
  MockExamReport,
  MoveAcademyResponse,
  ParentLink,
  PracticeAnswerResult,
  PracticeSet,
  PracticeSetFilters,
  PracticeSetItem,
  ProblemDocument,
  ProblemFieldError,
  QuestionImportReport,
  QuestionRejection,
  Quiz,
  QuizAnswer,
  QuizGeneration,
  QuizQuestion,
  QuizSubmission,
  QuizSubmissionResult,
  QuizSummary,
  RubricCriterion,
  StudentAssignment,
  StudentSummary,
  StudyPlan,
  StudyPlanItem,
  Submission,
  SummaryFact,
  TutorMessage,
  TutorReply,
  TutorSession,
  TutorSessionSummary,
  User,
  WeakSpot,
  WeakSpotList,
} from "./types/models.js";
export type {
  AcademyListQuery,
  AcademyUserQuery,
  AcceptInvitationBody,
  AssignmentListQuery,
  AssignmentListQueryInput,
  CreateAcademyAdmin,
  CreateAcademyBody,
  CreateAssignmentBody,
  CreateAssignmentBodyInput,
  CreateCourseBody,
  CreateEnrollmentBody,
  CreateMockExamBody,
  CreateParentLinkBody,
  CreatePlatformUserBody,
  CreatePracticeSetBody,
  CreateQuizBody,
  CreateQuizFromBankBody,
  CreateQuizSubmissionBody,
  CreateSubmissionBody,
  CreateTutorSessionBody,
  CreateUserBody,
  GenerateQuizFields,
  GenerateQuizFieldsInput,
  GradeSubmissionBody,
  GradingQueueQuery,
  GradingQueueQueryInput,
  ImpersonationBody,
  LoginBody,
  MockExamListQuery,
  MoveAcademyBody,
  PageQuery,
  PageQueryInput,
  PracticeAnswerBody,
  PracticeSetListQuery,
  QuestionBatchRequest,
  QuestionListQuery,
  QuestionListQueryInput,
  QuizListQuery,
  QuizListQueryInput,
  QuizSubmissionListQuery,
  QuizSubmissionListQueryInput,
  SendTutorMessageBody,
  SubmissionListQuery,
  SubmissionListQueryInput,
  SubmitMockModuleBody,
  TutorSessionListQuery,
  TutorSessionListQueryInput,
  UpdateAcademyBody,
  UpdateCourseBody,
  UpdateQuizBody,
  UpdateUserBody,
  UserListQuery,
  UserListQueryInput,
} from "./types/requests.js";
