/**
 * What the API answers, as named types: an editor's hover and a compiler
 * error read `Course`, not the expanded object. Each is exactly the API's
 * contract (`@skillbridge/core/contracts`, bundled in); interfaces so the
 * name survives. Add one here with each new resource.
 */

import type * as Contract from "@skillbridge/core/contracts";

// ─── academies ────────────────────────────────────────────────────────────────
export interface Academy extends Contract.Academy {}
export interface CreateAcademyResponse extends Contract.CreateAcademyResponse {}
/** A first admin's one-time invitation (onboarding without a password). */
export interface Invitation extends Contract.Invitation {}
export interface MoveAcademyResponse extends Contract.MoveAcademyResponse {}
export interface ImpersonationResponse extends Contract.ImpersonationResponse {}
export interface AuditEvent extends Contract.AuditEvent {}

// ─── auth ─────────────────────────────────────────────────────────────────────
export interface LoginResponse extends Contract.LoginResponse {}
export interface MeResponse extends Contract.MeResponse {}

// ─── people ───────────────────────────────────────────────────────────────────
export interface User extends Contract.User {}
export interface ParentLink extends Contract.ParentLink {}

// ─── courses ──────────────────────────────────────────────────────────────────
export interface Course extends Contract.Course {}
export interface Enrollment extends Contract.Enrollment {}
export interface CourseWeakSpot extends Contract.CourseWeakSpot {}
export interface CourseWeakSpotList extends Contract.CourseWeakSpotList {}

// ─── assignments ──────────────────────────────────────────────────────────────
export interface Assignment extends Contract.Assignment {}
export interface StudentAssignment extends Contract.StudentAssignment {}
export interface RubricCriterion extends Contract.RubricCriterion {}
export interface Submission extends Contract.Submission {}
export interface LearnerSubmission extends Contract.LearnerSubmission {}
export interface AiReview extends Contract.AiReview {}
export interface GradeSuggestion extends Contract.GradeSuggestion {}
export interface CriterionSuggestion extends Contract.CriterionSuggestion {}

// ─── quizzes ──────────────────────────────────────────────────────────────────
export interface Quiz extends Contract.Quiz {}
export interface LearnerQuiz extends Contract.LearnerQuiz {}
export interface QuizSummary extends Contract.QuizSummary {}
/** One of several shapes (by `type`): a union keeps its name as it is. */
export type QuizQuestion = Contract.QuizQuestion;
/** One of several shapes (by `type`): a union keeps its name as it is. */
export type LearnerQuizQuestion = Contract.LearnerQuizQuestion;
export interface QuizGeneration extends Contract.QuizGeneration {}
export interface QuizSubmission extends Contract.QuizSubmission {}
export interface QuizSubmissionResult extends Contract.QuizSubmissionResult {}
export interface QuizAnswer extends Contract.QuizAnswer {}

// ─── tutor ────────────────────────────────────────────────────────────────────
export interface TutorSession extends Contract.TutorSession {}
export interface TutorSessionSummary extends Contract.TutorSessionSummary {}
export interface TutorMessage extends Contract.TutorMessage {}
export interface TutorReply extends Contract.TutorReply {}

// ─── questions ────────────────────────────────────────────────────────────────
/** One of several shapes (by `type`): a union keeps its name as it is. */
export type ExamQuestion = Contract.ExamQuestion;
/** One of several shapes (by `type`): a union keeps its name as it is. */
export type LearnerExamQuestion = Contract.LearnerExamQuestion;
export interface QuestionImportReport extends Contract.QuestionImportReport {}
export interface QuestionRejection extends Contract.QuestionRejection {}

// ─── learning ─────────────────────────────────────────────────────────────────
export interface WeakSpot extends Contract.WeakSpot {}
export interface WeakSpotList extends Contract.WeakSpotList {}
export interface StudyPlan extends Contract.StudyPlan {}
export interface StudyPlanItem extends Contract.StudyPlanItem {}
export interface StudentSummary extends Contract.StudentSummary {}
export interface SummaryFact extends Contract.SummaryFact {}
export interface Gamification extends Contract.Gamification {}
export interface Badge extends Contract.Badge {}

// ─── practice and mock exams ──────────────────────────────────────────────────
/** A bank answer: an option id, a list of them, a number's text or a sentence index. */
export type BankAnswer = Contract.BankAnswer;
export interface PracticeSet extends Contract.PracticeSet {}
export interface PracticeSetItem extends Contract.PracticeSetItem {}
export interface PracticeSetFilters extends Contract.PracticeSetFilters {}
export interface PracticeAnswerResult extends Contract.PracticeAnswerResult {}
export interface MockExam extends Contract.MockExam {}
export interface MockExamCurrent extends Contract.MockExamCurrent {}
export interface MockExamModule extends Contract.MockExamModule {}
export interface MockExamReport extends Contract.MockExamReport {}
export interface EstimatedScore extends Contract.EstimatedScore {}

// ─── audit ────────────────────────────────────────────────────────────────────
export interface IsolationAuditReport extends Contract.IsolationAuditReport {}
export interface AuditCheck extends Contract.AuditCheck {}
export interface AuditFinding extends Contract.AuditFinding {}

// ─── errors ───────────────────────────────────────────────────────────────────
export interface ProblemDocument extends Contract.ProblemDocument {}
export interface ProblemFieldError extends Contract.ProblemFieldError {}
