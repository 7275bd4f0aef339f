import { z } from "zod";
import { IsoDateTimeSchema, UuidSchema } from "./common.js";
import { QuestionBankSchema, QuestionTypeSchema } from "./questions.js";

/** Who wrote a text: the model (`groq`) or the offline template (`offline`, also labelled in the text). */
export const PlanRationaleSchema = z
  .object({
    text: z.string(),
    provider: z.enum(["groq", "offline"]),
    offline: z.boolean(),
  })
  .meta({ id: "PlanRationale" });

/** A topic the student keeps missing: mastery (BKT) below 0.6 after at least 3 attempts. */
export const PlanWeakSpotSchema = z
  .object({
    topic: z.string(),
    mastery: z.number().min(0).max(1),
    attempts: z.number().int().min(0),
  })
  .meta({ id: "PlanWeakSpot" });

/**
 * A practice question of the shared bank, as a plan lists it: never its
 * answer or explanation (students and parents read plans); the question
 * itself is `GET /questions/:id`.
 */
export const PlanQuestionSchema = z
  .object({
    id: UuidSchema,
    bank: QuestionBankSchema,
    type: QuestionTypeSchema,
    topic: z.string(),
    /** The bank's 1-5 level. */
    difficulty: z.number().int().min(1).max(5),
    /** The chance the student answers it right: Elo, their ability on the topic vs its difficulty here. */
    predictedSuccess: z.number().min(0).max(1),
  })
  .meta({ id: "PlanQuestion" });

export const StudyPlanItemSchema = z
  .object({
    topic: z.string(),
    mastery: z.number().min(0).max(1),
    /** The Elo success rate the questions were chosen for (0.75). */
    targetSuccess: z.number().min(0).max(1),
    questions: z.array(PlanQuestionSchema),
  })
  .meta({ id: "StudyPlanItem" });

/**
 * `GET /students/:id/study-plan`: practice aimed at the student's weak spots.
 * Stored, and served as stored until the student's mastery changes.
 */
export const StudyPlanSchema = z
  .object({
    studentId: UuidSchema,
    generatedAt: IsoDateTimeSchema,
    weakSpots: z.array(PlanWeakSpotSchema),
    items: z.array(StudyPlanItemSchema),
    rationale: PlanRationaleSchema,
  })
  .meta({ id: "StudyPlan" });

export type PlanRationale = z.infer<typeof PlanRationaleSchema>;
export type PlanQuestion = z.infer<typeof PlanQuestionSchema>;
export type PlanWeakSpot = z.infer<typeof PlanWeakSpotSchema>;
export type StudyPlanItem = z.infer<typeof StudyPlanItemSchema>;
export type StudyPlan = z.infer<typeof StudyPlanSchema>;
