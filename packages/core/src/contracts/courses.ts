import { z } from "zod";
import {
  AT_LEAST_ONE_FIELD,
  hasAtLeastOneField,
  IsoDateTimeSchema,
  pageOf,
  TitleSchema,
  UuidSchema,
} from "./common.js";

const DescriptionSchema = z.string().max(5000);

/** The most students a course enrolls; absent or null means no limit. */
export const CourseCapacitySchema = z.number().int().min(1).max(100_000);

/** A course; `description` is null when none was given. */
export const CourseSchema = z
  .object({
    id: UuidSchema,
    title: z.string(),
    description: z.string().nullable(),
    instructorId: UuidSchema,
    /** Seats: the most students it enrolls; null (or absent from older servers) for no limit. */
    capacity: CourseCapacitySchema.nullable().optional(),
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
  })
  .meta({ id: "Course" });

/** `POST /courses`; an instructor may only name themself, which the server enforces. */
export const CreateCourseBodySchema = z
  .strictObject({
    title: TitleSchema,
    description: DescriptionSchema.optional(),
    instructorId: UuidSchema,
    capacity: CourseCapacitySchema.optional(),
  })
  .meta({ id: "CreateCourseBody" });

/**
 * `PATCH /courses/:id`; `description: null` clears it and `capacity: null` lifts the
 * limit, absence leaves them unchanged. A capacity below the current roster keeps
 * those enrolled and refuses new enrolments.
 */
export const UpdateCourseBodySchema = z
  .strictObject({
    title: TitleSchema.optional(),
    description: DescriptionSchema.nullable().optional(),
    instructorId: UuidSchema.optional(),
    capacity: CourseCapacitySchema.nullable().optional(),
  })
  .refine(hasAtLeastOneField, { message: AT_LEAST_ONE_FIELD })
  .meta({ id: "UpdateCourseBody" });

/** `GET /courses` response. */
export const CoursePageSchema = pageOf(CourseSchema).meta({ id: "CoursePage" });

export type Course = z.infer<typeof CourseSchema>;
export type CoursePage = z.infer<typeof CoursePageSchema>;
export type CreateCourseBody = z.infer<typeof CreateCourseBodySchema>;
export type UpdateCourseBody = z.infer<typeof UpdateCourseBodySchema>;
