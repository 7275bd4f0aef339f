/**
 * Services: the domain operations, each taking a tenant- or platform-scoped
 * Kysely handle. `createServices` builds them all.
 */

export {
  type AcademyRow,
  type AcademyService,
  type PlatformActor,
  toAcademy,
} from "./academies.js";
export { aiLimitsFromEnv, createAiGateway, providerFromEnv } from "./ai-from-env.js";
export type { AssignmentService } from "./assignments.js";
export type { AuditEntry, AuditLogService } from "./audit-log.js";
export type { CourseService } from "./courses.js";
export { createServices, type Services, type ServicesOptions } from "./create-services.js";
export { createJobWorker, type WorkerOptions } from "./create-worker.js";
export type { EnrollmentService } from "./enrollments.js";
export type { GamificationService } from "./gamification.js";
export { INVITATION_TTL, type InvitationService } from "./invitations.js";
export { createOfflineProvider, OFFLINE_RESPONDERS } from "./offline-responders.js";
export type { ParentLinkService } from "./parent-links.js";
export { fieldProblems, parseInput } from "./parse-input.js";
export {
  type Authenticated,
  OPERATOR_EMAIL,
  type PlatformSession,
  type PlatformUserService,
} from "./platform-users.js";
export type { AnyExamQuestion, QuestionService } from "./questions.js";
export { answerProblem, type ScoredSubmission, scoreQuizAnswers } from "./quiz-answers.js";
export type { QuizSubmissionFilter, QuizSubmissionService } from "./quiz-submissions.js";
export type { QuizFilter, QuizOptions, QuizService } from "./quizzes.js";
export type { RevokedTokenService } from "./revoked-tokens.js";
export type { StudentSummaryService } from "./student-summaries.js";
export { assertStudentVisible } from "./students.js";
export type { LearningOptions, StudyPlanService } from "./study-plans.js";
export type {
  GradingQueueFilter,
  SubmissionFilter,
  SubmissionOptions,
  SubmissionService,
} from "./submissions.js";
export {
  MAX_SESSION_MESSAGES,
  type TenantRunner,
  type TutorOptions,
  type TutorSessionFilter,
  TutorSessionService,
} from "./tutor-sessions.js";
export type { UserService } from "./users.js";
export type { WeakSpotService } from "./weak-spots.js";
