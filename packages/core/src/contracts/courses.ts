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

/** A course; `description` is null when none was given. */
export const CourseSchema = z
  .object({
    id: UuidSchema,
    title: z.string(),
    description: z.string().nullable(),
    instructorId: UuidSchema,
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
  })
  .meta({ id: "CreateCourseBody" });

/** `PATCH /courses/:id`; `description: null` clears it, absence leaves it unchanged. */
export const UpdateCourseBodySchema = z
  .strictObject({
    title: TitleSchema.optional(),
    description: DescriptionSchema.nullable().optional(),
    instructorId: UuidSchema.optional(),
  })
  .refine(hasAtLeastOneField, { message: AT_LEAST_ONE_FIELD })
  .meta({ id: "UpdateCourseBody" });

/** `GET /courses` response. */
export const CoursePageSchema = pageOf(CourseSchema).meta({ id: "CoursePage" });

export type Course = z.infer<typeof CourseSchema>;
export type CoursePage = z.infer<typeof CoursePageSchema>;
export type CreateCourseBody = z.infer<typeof CreateCourseBodySchema>;
export type UpdateCourseBody = z.infer<typeof UpdateCourseBodySchema>;
