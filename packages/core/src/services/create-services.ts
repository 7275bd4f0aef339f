import type { AiGateway } from "../ai/ai-gateway.js";
import type { SourceLimits } from "../ai/quiz/source-limits.js";
import { PasswordHasher } from "../auth/password-hasher.js";
import { CursorCodec } from "../pagination/cursor-codec.js";
import { MockExamService } from "../practice/mock-exam-service.js";
import { PracticeSetService } from "../practice/practice-set-service.js";
import { AcademyService } from "./academies.js";
import { AssignmentService } from "./assignments.js";
import { AuditLogService } from "./audit-log.js";
import { CourseService } from "./courses.js";
import { EnrollmentService } from "./enrollments.js";
import { GamificationService } from "./gamification.js";
import { InvitationService } from "./invitations.js";
import { ParentLinkService } from "./parent-links.js";
import { PlatformUserService } from "./platform-users.js";
import { QuestionService } from "./questions.js";
import { QuizSubmissionService } from "./quiz-submissions.js";
import { QuizService } from "./quizzes.js";
import { RevokedTokenService } from "./revoked-tokens.js";
import { StudentSummaryService } from "./student-summaries.js";
import { StudyPlanService } from "./study-plans.js";
import { SubmissionService } from "./submissions.js";
import { TutorSessionService } from "./tutor-sessions.js";
import { UserService } from "./users.js";
import { WeakSpotService } from "./weak-spots.js";

export interface Services {
  /** The password hasher the services use (login spends it on unknown accounts too). */
  readonly passwords: PasswordHasher;
  readonly academies: AcademyService;
  /** First admins' one-time invitations (onboarding without a password). */
  readonly invitations: InvitationService;
  readonly auditLog: AuditLogService;
  readonly platformUsers: PlatformUserService;
  readonly users: UserService;
  /** Signed-out tokens (`POST /auth/logout`). */
  readonly revokedTokens: RevokedTokenService;
  readonly parentLinks: ParentLinkService;
  readonly courses: CourseService;
  readonly enrollments: EnrollmentService;
  readonly assignments: AssignmentService;
  readonly submissions: SubmissionService;
  readonly quizzes: QuizService;
  readonly tutorSessions: TutorSessionService;
  /** The metered model access the AI features share (undefined when none was given). */
  readonly ai: AiGateway | undefined;
  readonly questions: QuestionService;
  readonly studyPlans: StudyPlanService;
  readonly studentSummaries: StudentSummaryService;
  readonly gamification: GamificationService;
  /** Quiz submissions: scored answers, each an attempt for the learning model. */
  readonly quizSubmissions: QuizSubmissionService;
  /** Weak spots of a student and of a course (docs/learning.md). */
  readonly weakSpots: WeakSpotService;
  /** Practice sets on the shared bank (docs/learning.md, "Practice sets"). */
  readonly practiceSets: PracticeSetService;
  /** SAT and GRE mock exams (docs/learning.md, "Mock exams"). */
  readonly mockExams: MockExamService;
}

export interface ServicesOptions {
  /** Password hashing (default: scrypt at OWASP strength). */
  readonly passwords?: PasswordHasher;
  /** Signs list cursors; give every process of one deployment the same secret. */
  readonly cursorSecret?: string | Buffer;
  /**
   * The AI gateway (see `createAiGateway`): the tutor and other AI features
   * answer `ai_unavailable` without one.
   */
  readonly ai?: AiGateway | undefined;
  /** The tutor's model judge after the deterministic guard (default: on unless the provider is offline). */
  readonly tutorJudge?: boolean | undefined;
  /** Queue an AI pre-grading job with every submission (default true; docs/ai.md). */
  readonly preGrading?: boolean | undefined;
  /** Limits on documents uploaded for quiz generation (size, PDF pages, unpacked size). */
  readonly sourceLimits?: Partial<SourceLimits> | undefined;
  /**
   * The clock practice sets and mock exams read (mock exam time limits are
   * kept by it); tests pass a controllable one. Default: the system clock.
   */
  readonly clock?: (() => Date) | undefined;
}

/**
 * Wires core's services. Each method takes the scoped handle of `withTenant`
 * or `withPlatform`, so callers choose the scope and services cannot escape it.
 *
 * @example
 * const services = createServices({ cursorSecret: process.env.SKILLBRIDGE_CURSOR_SECRET });
 * const page = await withTenant(db, ctx, (trx) => services.courses.list(trx, actor, { limit: 20 }));
 */
export function createServices(options: ServicesOptions = {}): Services {
  const deps = {
    passwords: options.passwords ?? new PasswordHasher(),
    cursors: new CursorCodec(options.cursorSecret),
  };
  const auditLog = new AuditLogService(deps);
  const courses = new CourseService(deps);
  const assignments = new AssignmentService(deps, courses);
  const quizzes = new QuizService(deps, courses, {
    ai: options.ai,
    sourceLimits: options.sourceLimits,
  });
  const invitations = new InvitationService(deps, auditLog);
  return {
    passwords: deps.passwords,
    academies: new AcademyService(deps, auditLog, invitations),
    invitations,
    auditLog,
    platformUsers: new PlatformUserService(deps, auditLog),
    users: new UserService(deps),
    revokedTokens: new RevokedTokenService(),
    parentLinks: new ParentLinkService(deps),
    courses,
    enrollments: new EnrollmentService(deps, courses),
    assignments,
    submissions: new SubmissionService(deps, assignments, { preGrading: options.preGrading }),
    quizzes,
    tutorSessions: new TutorSessionService(deps, assignments, {
      ai: options.ai,
      judge: options.tutorJudge,
    }),
    ai: options.ai,
    questions: new QuestionService(deps, auditLog),
    studyPlans: new StudyPlanService({ ai: options.ai }),
    studentSummaries: new StudentSummaryService({ ai: options.ai }),
    gamification: new GamificationService(),
    quizSubmissions: new QuizSubmissionService(deps, quizzes),
    weakSpots: new WeakSpotService(courses),
    practiceSets: new PracticeSetService(deps, { now: options.clock }),
    mockExams: new MockExamService(deps, { now: options.clock }),
  };
}
