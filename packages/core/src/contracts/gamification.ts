import { z } from "zod";
import { IsoDateTimeSchema, UuidSchema } from "./common.js";

/** A badge a student holds (the rules: docs/learning-plans.md). */
export const BadgeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    awardedAt: IsoDateTimeSchema,
  })
  .meta({ id: "Badge" });

/**
 * `GET /gamification/me` (the signed-in student) and
 * `GET /students/:id/gamification` (whoever may see the student).
 * `streakDays` is the live streak: 0 once a whole UTC day passed without activity.
 */
export const GamificationSchema = z
  .object({
    studentId: UuidSchema,
    xp: z.number().int().min(0),
    level: z.number().int().min(1),
    streakDays: z.number().int().min(0),
    lastActiveOn: z.iso.date().nullable(),
    badges: z.array(BadgeSchema),
  })
  .meta({ id: "Gamification" });

export type Badge = z.infer<typeof BadgeSchema>;
export type Gamification = z.infer<typeof GamificationSchema>;
