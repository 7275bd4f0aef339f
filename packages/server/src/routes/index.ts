import type { RouteDefinition } from "../route.js";
import { academyRoutes } from "./academies.js";
import { academyPurgeRoutes } from "./academy-purge.js";
import { assignmentRoutes } from "./assignments.js";
import { auditLogRoutes } from "./audit-log.js";
import { authRoutes } from "./auth.js";
import { courseRoutes } from "./courses.js";
import { enrollmentRoutes } from "./enrollments.js";
import { gamificationRoutes } from "./gamification.js";
import { healthRoutes } from "./health.js";
import { impersonationRoutes } from "./impersonations.js";
import { isolationAuditRoutes } from "./isolation-audit.js";
import { mockExamRoutes } from "./mock-exams.js";
import { parentLinkRoutes } from "./parent-links.js";
import { platformUserRoutes } from "./platform-users.js";
import { practiceSetRoutes } from "./practice-sets.js";
import { questionRoutes } from "./questions.js";
import { quizSubmissionRoutes } from "./quiz-submissions.js";
import { quizRoutes } from "./quizzes.js";
import { studentSummaryRoutes } from "./student-summaries.js";
import { studentRoutes } from "./students.js";
import { studyPlanRoutes } from "./study-plans.js";
import { submissionRoutes } from "./submissions.js";
import { tutorSessionRoutes } from "./tutor-sessions.js";
import { userRoutes } from "./users.js";

/** Every route of the API, in one table: the router, the OpenAPI document and the tests read it. */
export const ROUTES: readonly RouteDefinition[] = [
  ...healthRoutes,
  ...authRoutes,
  ...academyRoutes,
  ...academyPurgeRoutes,
  ...impersonationRoutes,
  ...platformUserRoutes,
  ...auditLogRoutes,
  ...isolationAuditRoutes,
  ...userRoutes,
  ...parentLinkRoutes,
  ...courseRoutes,
  ...enrollmentRoutes,
  ...assignmentRoutes,
  ...submissionRoutes,
  ...quizRoutes,
  ...tutorSessionRoutes,
  ...questionRoutes,
  ...studyPlanRoutes,
  ...studentSummaryRoutes,
  ...gamificationRoutes,
  ...quizSubmissionRoutes,
  ...studentRoutes,
  ...practiceSetRoutes,
  ...mockExamRoutes,
];
