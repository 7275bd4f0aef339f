import { z } from "zod";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, TitleSchema, UuidSchema } from "./common.js";

/** How the AI tutor behaves on an assignment: `socratic` guides without giving the answer. */
export const TutorModeSchema = z.enum(["off", "socratic"]).meta({ id: "TutorMode" });

const rubricCriterionShape = {
  id: z.string().min(1).max(64),
  description: z.string().min(1).max(1000),
  points: z.number().int().positive(),
};

/** One grading criterion as stored and returned. */
export const RubricCriterionSchema = z.object(rubricCriterionShape).meta({ id: "RubricCriterion" });

/** A rubric as returned. */
export const RubricSchema = z.array(RubricCriterionSchema).min(1).max(20).meta({ id: "Rubric" });

/**
 * A rubric in a request: criteria are strict like every body, and criterion ids must be
 * unique because grades and AI feedback refer to criteria by id.
 */
export const RubricInputSchema = z
  .array(z.strictObject(rubricCriterionShape))
  .min(1)
  .max(20)
  .refine((criteria) => new Set(criteria.map((c) => c.id)).size === criteria.length, {
    message: "Rubric criterion ids must be unique",
  })
  .meta({ id: "RubricInput" });

/** The staff view of an assignment (admins and the course's instructor). */
export const AssignmentSchema = z
  .object({
    id: UuidSchema,
    courseId: UuidSchema,
    title: z.string(),
    instructions: z.string(),
    maxPoints: z.number().int().positive(),
    dueAt: IsoDateTimeSchema.nullable(),
    tutorMode: TutorModeSchema,
    rubric: RubricSchema.nullable(),
    referenceAnswer: z.string().nullable(),
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
  })
  .meta({ id: "Assignment" });

/**
 * The view for students and parents. `referenceAnswer` is omitted from the schema, and an
 * output object strips unknown keys, so parsing a staff row through it drops the answer.
 */
export const StudentAssignmentSchema = AssignmentSchema.omit({ referenceAnswer: true }).meta({
  id: "StudentAssignment",
});

/** `POST /courses/:id/assignments`; the tutor is on (`socratic`) unless turned off. */
export const CreateAssignmentBodySchema = z
  .strictObject({
    title: TitleSchema,
    instructions: z.string().min(1).max(20_000),
    maxPoints: z.number().int().min(1).max(10_000),
    dueAt: IsoDateTimeSchema.optional(),
    tutorMode: TutorModeSchema.default("socratic"),
    rubric: RubricInputSchema.optional(),
    referenceAnswer: z.string().max(20_000).optional(),
  })
  .meta({ id: "CreateAssignmentBody" });

/** `GET /assignments`: a page, optionally narrowed to one course. */
export const AssignmentListQuerySchema = PageQuerySchema.extend({
  courseId: UuidSchema.optional(),
}).meta({ id: "AssignmentListQuery" });

/** `GET /assignments` response for admins and instructors. */
export const AssignmentPageSchema = pageOf(AssignmentSchema).meta({ id: "AssignmentPage" });

/** `GET /assignments` response for students and parents. */
export const StudentAssignmentPageSchema = pageOf(StudentAssignmentSchema).meta({
  id: "StudentAssignmentPage",
});

export type TutorMode = z.infer<typeof TutorModeSchema>;
export type RubricCriterion = z.infer<typeof RubricCriterionSchema>;
export type Rubric = z.infer<typeof RubricSchema>;
export type RubricInput = z.infer<typeof RubricInputSchema>;
export type Assignment = z.infer<typeof AssignmentSchema>;
export type StudentAssignment = z.infer<typeof StudentAssignmentSchema>;
export type AssignmentPage = z.infer<typeof AssignmentPageSchema>;
export type StudentAssignmentPage = z.infer<typeof StudentAssignmentPageSchema>;
/** Parsed body: `tutorMode` is always set. */
export type CreateAssignmentBody = z.infer<typeof CreateAssignmentBodySchema>;
/** What a client may send: `tutorMode` may be left out. */
export type CreateAssignmentBodyInput = z.input<typeof CreateAssignmentBodySchema>;
export type AssignmentListQuery = z.infer<typeof AssignmentListQuerySchema>;
export type AssignmentListQueryInput = z.input<typeof AssignmentListQuerySchema>;
