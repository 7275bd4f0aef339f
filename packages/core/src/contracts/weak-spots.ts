import { z } from "zod";
import { IsoDateTimeSchema } from "./common.js";

/**
 * A topic a student keeps missing: mastery (the knowledge-tracing
 * probability) below 0.6 after at least three attempts (docs/learning.md).
 */
export const WeakSpotSchema = z
  .object({
    topic: z.string(),
    /** P(mastered), 0..1. */
    mastery: z.number().min(0).max(1),
    attempts: z.number().int().min(0),
    lastSeenAt: IsoDateTimeSchema,
  })
  .meta({ id: "WeakSpot" });

/** `GET /students/:id/weak-spots`: weakest first. */
export const WeakSpotListSchema = z
  .object({ data: z.array(WeakSpotSchema) })
  .meta({ id: "WeakSpotList" });

/** A topic that is a weak spot of some of a course's students. */
export const CourseWeakSpotSchema = z
  .object({
    topic: z.string(),
    /** How many of the course's students have it as a weak spot. */
    students: z.number().int().min(1),
    /** Their mean mastery of it. */
    averageMastery: z.number().min(0).max(1),
    /** Their attempts at it, added up. */
    attempts: z.number().int().min(0),
  })
  .meta({ id: "CourseWeakSpot" });

/** `GET /courses/:id/weak-spots`: the most widespread first, then the weakest. */
export const CourseWeakSpotListSchema = z
  .object({ data: z.array(CourseWeakSpotSchema) })
  .meta({ id: "CourseWeakSpotList" });

export type WeakSpot = z.infer<typeof WeakSpotSchema>;
export type WeakSpotList = z.infer<typeof WeakSpotListSchema>;
export type CourseWeakSpot = z.infer<typeof CourseWeakSpotSchema>;
export type CourseWeakSpotList = z.infer<typeof CourseWeakSpotListSchema>;
