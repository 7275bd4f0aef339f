/**
 * Role scoping inside an academy: one policy module per resource (who sees and
 * changes what), as data plus small pure functions.
 */

export { type Actor, isStaff } from "./actor.js";
export { type AssignmentView, assignmentRules, assignmentView } from "./assignments.js";
export { type CourseScope, courseReadScope, courseRules } from "./courses.js";
export { enrollmentRules } from "./enrollments.js";
export {
  type ParentLinkScope,
  parentLinkReadScope,
  parentLinkRules,
} from "./parent-links.js";
export { practiceReadScope, practiceRules } from "./practice.js";
export { type QuestionView, questionView } from "./questions.js";
export {
  type QuizSubmissionScope,
  quizSubmissionReadScope,
  quizSubmissionRules,
} from "./quiz-submissions.js";
export {
  type QuizOwnership,
  type QuizScope,
  quizReadScope,
  quizRules,
} from "./quizzes.js";
export { studentReadScope } from "./students.js";
export {
  type SubmissionScope,
  submissionReadScope,
  submissionRules,
} from "./submissions.js";
export {
  type TutorSessionScope,
  tutorSessionReadScope,
  tutorSessionRules,
} from "./tutor-sessions.js";
export { type UserScope, userReadScope, userRules } from "./users.js";
