import { z } from "zod";
import { IsoDateTimeSchema, pageOf, UuidSchema } from "./common.js";

/** A student's enrollment in a course. */
export const EnrollmentSchema = z
  .object({
    id: UuidSchema,
    courseId: UuidSchema,
    studentId: UuidSchema,
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: "Enrollment" });

/** `POST /courses/:id/enrollments`; the course comes from the path, so it is not a body field. */
export const CreateEnrollmentBodySchema = z
  .strictObject({ studentId: UuidSchema })
  .meta({ id: "CreateEnrollmentBody" });

/** `GET /courses/:id/enrollments` response. */
export const EnrollmentPageSchema = pageOf(EnrollmentSchema).meta({ id: "EnrollmentPage" });

export type Enrollment = z.infer<typeof EnrollmentSchema>;
export type EnrollmentPage = z.infer<typeof EnrollmentPageSchema>;
export type CreateEnrollmentBody = z.infer<typeof CreateEnrollmentBodySchema>;
