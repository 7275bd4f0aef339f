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
  Academy,
  AcademyPage,
  AcademyRole,
  AcademyStatus,
  AiReview,
  AiReviewStatus,
  Assignment,
  AssignmentListQueryInput,
  AuditCheck,
  AuditCheckStatus,
  AuditEvent,
  AuditFinding,
  AuditSeverity,
  Course,
  CourseWeakSpot,
  CourseWeakSpotList,
  CreateAcademyBody,
  CreateAcademyResponse,
  CreateAssignmentBodyInput,
  CreateCourseBody,
  CreateEnrollmentBody,
  CreateParentLinkBody,
  CreateQuizBody,
  CreateQuizSubmissionBody,
  CreateSubmissionBody,
  CreateTutorSessionBody,
  CreateUserBody,
  CriterionSuggestion,
  Enrollment,
  ExamQuestion,
  GenerateQuizFieldsInput,
  GradeSubmissionBody,
  GradeSuggestion,
  GradingQueueQueryInput,
  ImpersonationBody,
  ImpersonationResponse,
  IsolationAuditReport,
  LearnerExamQuestion,
  LearnerQuiz,
  LearnerQuizQuestion,
  LearnerSubmission,
  LoginBody,
  LoginResponse,
  MeResponse,
  MoveAcademyBody,
  MoveAcademyResponse,
  Page,
  PageQueryInput,
  ParentLink,
  Placement,
  PlatformRole,
  ProblemDocument,
  ProblemFieldError,
  QuestionBank,
  QuestionBatchRequest,
  QuestionImportReport,
  QuestionInput,
  QuestionListQueryInput,
  QuestionRejection,
  QuestionType,
  Quiz,
  QuizAnswer,
  QuizAnswerValue,
  QuizGeneration,
  QuizListQueryInput,
  QuizQuestion,
  QuizQuestionInput,
  QuizStatus,
  QuizSubmission,
  QuizSubmissionListQueryInput,
  QuizSubmissionResult,
  QuizSummary,
  Role,
  Rubric,
  RubricCriterion,
  SendTutorMessageBody,
  StudentAssignment,
  Submission,
  SubmissionListQueryInput,
  TutorGuardOutcome,
  TutorMessage,
  TutorMode,
  TutorReply,
  TutorSession,
  TutorSessionListQueryInput,
  TutorSessionSummary,
  UpdateAcademyBody,
  UpdateCourseBody,
  UpdateQuizBody,
  UpdateUserBody,
  User,
  UserListQueryInput,
  WeakSpot,
  WeakSpotList,
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
export { ParentLinks } from "./resources/parent-links.js";
export { Questions } from "./resources/questions.js";
export { QuizSubmissions } from "./resources/quiz-submissions.js";
export { type GenerateQuizParams, Quizzes } from "./resources/quizzes.js";
export type { RawRequest } from "./resources/raw.js";
export { Students } from "./resources/students.js";
export { Submissions } from "./resources/submissions.js";
export { TutorSessions } from "./resources/tutor-sessions.js";
export { Users } from "./resources/users.js";
