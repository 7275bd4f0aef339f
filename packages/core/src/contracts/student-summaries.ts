import { z } from "zod";
import { IsoDateTimeSchema, UuidSchema } from "./common.js";

export const SummaryFactKindSchema = z
  .enum(["grade", "quiz", "weakSpot", "streak", "xp", "tutor"])
  .meta({ id: "SummaryFactKind" });

/** One fact the summary was written from: all of them are this student's. */
export const SummaryFactSchema = z
  .object({
    kind: SummaryFactKindSchema,
    /** What the fact is about: an assignment, a quiz, a topic, or the week. */
    label: z.string(),
    /** The fact in words, e.g. "8 / 10". */
    value: z.string(),
    at: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "SummaryFact" });

/**
 * `GET /students/:id/summary`: the week's summary for parents, written from
 * the facts beside it. `check` says whether the model's text passed the
 * check that it names no other user of the academy (`passed`) or was
 * replaced by the template (`fallback`); offline it is always the template.
 */
export const StudentSummarySchema = z
  .object({
    studentId: UuidSchema,
    period: z.object({ from: IsoDateTimeSchema, to: IsoDateTimeSchema }),
    text: z.string(),
    facts: z.array(SummaryFactSchema),
    provider: z.enum(["groq", "offline"]),
    offline: z.boolean(),
    check: z.enum(["passed", "fallback", "template"]),
    generatedAt: IsoDateTimeSchema,
  })
  .meta({ id: "StudentSummary" });

export type SummaryFactKind = z.infer<typeof SummaryFactKindSchema>;
export type SummaryFact = z.infer<typeof SummaryFactSchema>;
export type StudentSummary = z.infer<typeof StudentSummarySchema>;
