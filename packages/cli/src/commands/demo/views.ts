import type {
  Academy,
  Assignment,
  Course,
  MockExam,
  PracticeSet,
  QuizSubmission,
  QuizSummary,
  SkillBridge,
  StudentAssignment,
  Submission,
  TutorSessionSummary,
  User,
} from "@skillbridge/sdk";
import { academyUserByEmail, collect } from "../shared.js";
import { DEMO_ROLES, type DemoRole, PEOPLE, VIEWERS } from "./script.js";

/** What one role received from the API: exactly the lists, unfiltered by the CLI. */
export interface RoleView {
  readonly as: Pick<User, "id" | "email" | "name" | "role">;
  readonly courses: Course[];
  readonly users: User[];
  readonly assignments: (Assignment | StudentAssignment)[];
  readonly submissions: Submission[];
  readonly quizzes: QuizSummary[];
  readonly quizSubmissions: QuizSubmission[];
  readonly tutorSessions: TutorSessionSummary[];
  readonly practiceSets: PracticeSet[];
  readonly mockExams: MockExam[];
}

/**
 * Signs in as each role through an audit-logged impersonation and fetches
 * what that role sees through the SDK. Nothing is filtered here: the lists are
 * the server's answers, which is the point of the demo.
 */
export async function fetchViews(
  platform: SkillBridge,
  academy: Academy,
  roles: readonly DemoRole[] = DEMO_ROLES,
): Promise<Partial<Record<DemoRole, RoleView>>> {
  const views: Partial<Record<DemoRole, RoleView>> = {};
  for (const role of roles) {
    const person = PEOPLE[VIEWERS[role]];
    const user = await academyUserByEmail(platform, academy, person.email);
    const { accessToken } = await platform.impersonations.create({
      academyId: academy.id,
      userId: user.id,
      reason: `skillbridge demo: the ${role} view`,
      ttlSeconds: 300,
    });
    const client = platform.withToken(accessToken);
    const [
      courses,
      users,
      assignments,
      submissions,
      quizzes,
      quizSubmissions,
      tutorSessions,
      practiceSets,
      mockExams,
    ] = await Promise.all([
      collect(client.courses.list({ limit: 100 })),
      collect(client.users.list({ limit: 100 })),
      collect(client.assignments.list({ limit: 100 })),
      collect(client.submissions.list({ limit: 100 })),
      collect(client.quizzes.list({ limit: 100 })),
      collect(client.quizSubmissions.list({ limit: 100 })),
      collect(client.tutorSessions.list({ limit: 100 })),
      collect(client.practiceSets.list({ limit: 100 })),
      collect(client.mockExams.list({ limit: 100 })),
    ]);
    views[role] = {
      as: { id: user.id, email: user.email, name: user.name, role: user.role },
      courses,
      users,
      assignments,
      submissions,
      quizzes,
      quizSubmissions,
      tutorSessions,
      practiceSets,
      mockExams,
    };
  }
  return views;
}
