/**
 * What a caller sends, as named types: request bodies (`Create…Body`,
 * `Update…Body`) and list filters (`…ListQuery`), each the shape the API
 * accepts (fields with a server default may be left out).
 */

import type * as Contract from "@skillbridge/core/contracts";

export interface LoginBody extends Contract.LoginBody {}
export interface CreateAcademyBody extends Contract.CreateAcademyBody {}
/** The first admin of `academies.create`: without `password`, they are invited. */
export interface CreateAcademyAdmin extends Contract.CreateAcademyAdmin {}
export interface AcceptInvitationBody extends Contract.AcceptInvitationBody {}
export interface UpdateAcademyBody extends Contract.UpdateAcademyBody {}
export interface MoveAcademyBody extends Contract.MoveAcademyBody {}
export interface AcademyListQuery extends Contract.AcademyListQueryInput {}
export interface AcademyUserQuery extends Contract.AcademyUserQueryInput {}
export interface ImpersonationBody extends Contract.ImpersonationBody {}
export interface CreateUserBody extends Contract.CreateUserBody {}
export interface UpdateUserBody extends Contract.UpdateUserBody {}
export interface UserListQuery extends Contract.UserListQueryInput {}
export interface CreateParentLinkBody extends Contract.CreateParentLinkBody {}
export interface CreateCourseBody extends Contract.CreateCourseBody {}
export interface UpdateCourseBody extends Contract.UpdateCourseBody {}
export interface CreateEnrollmentBody extends Contract.CreateEnrollmentBody {}
export interface CreateAssignmentBody extends Contract.CreateAssignmentBodyInput {}
export interface AssignmentListQuery extends Contract.AssignmentListQueryInput {}
export interface CreateSubmissionBody extends Contract.CreateSubmissionBody {}
export interface GradeSubmissionBody extends Contract.GradeSubmissionBody {}
export interface SubmissionListQuery extends Contract.SubmissionListQueryInput {}
export interface GradingQueueQuery extends Contract.GradingQueueQueryInput {}
export interface CreateQuizBody extends Contract.CreateQuizBody {}
export interface UpdateQuizBody extends Contract.UpdateQuizBody {}
export interface CreateQuizFromBankBody extends Contract.CreateQuizFromBankBody {}
export interface GenerateQuizFields extends Contract.GenerateQuizFieldsInput {}
export interface QuizListQuery extends Contract.QuizListQueryInput {}
export interface CreateQuizSubmissionBody extends Contract.CreateQuizSubmissionBody {}
export interface QuizSubmissionListQuery extends Contract.QuizSubmissionListQueryInput {}
export interface CreatePracticeSetBody extends Contract.CreatePracticeSetBody {}
export interface PracticeAnswerBody extends Contract.PracticeAnswerBody {}
export interface PracticeSetListQuery extends Contract.PracticeSetListQueryInput {}
export interface CreateMockExamBody extends Contract.CreateMockExamBody {}
export interface SubmitMockModuleBody extends Contract.SubmitMockModuleBody {}
export interface MockExamListQuery extends Contract.MockExamListQueryInput {}
export interface CreateTutorSessionBody extends Contract.CreateTutorSessionBody {}
export interface SendTutorMessageBody extends Contract.SendTutorMessageBody {}
export interface TutorSessionListQuery extends Contract.TutorSessionListQueryInput {}
export interface QuestionListQuery extends Contract.QuestionListQueryInput {}
export interface QuestionBatchRequest extends Contract.QuestionBatchRequest {}
export interface CreatePlatformUserBody extends Contract.CreatePlatformUserBodyInput {}
export interface PageQuery extends Contract.PageQueryInput {}

// ─── earlier names, kept as aliases ──────────────────────────────────────────

/** @deprecated Use {@link CreateAssignmentBody}. */
export type CreateAssignmentBodyInput = CreateAssignmentBody;
/** @deprecated Use {@link AssignmentListQuery}. */
export type AssignmentListQueryInput = AssignmentListQuery;
/** @deprecated Use {@link GenerateQuizFields}. */
export type GenerateQuizFieldsInput = GenerateQuizFields;
/** @deprecated Use {@link GradingQueueQuery}. */
export type GradingQueueQueryInput = GradingQueueQuery;
/** @deprecated Use {@link PageQuery}. */
export type PageQueryInput = PageQuery;
/** @deprecated Use {@link QuestionListQuery}. */
export type QuestionListQueryInput = QuestionListQuery;
/** @deprecated Use {@link QuizListQuery}. */
export type QuizListQueryInput = QuizListQuery;
/** @deprecated Use {@link QuizSubmissionListQuery}. */
export type QuizSubmissionListQueryInput = QuizSubmissionListQuery;
/** @deprecated Use {@link SubmissionListQuery}. */
export type SubmissionListQueryInput = SubmissionListQuery;
/** @deprecated Use {@link TutorSessionListQuery}. */
export type TutorSessionListQueryInput = TutorSessionListQuery;
/** @deprecated Use {@link UserListQuery}. */
export type UserListQueryInput = UserListQuery;
