import { EnrollmentPageSchema, EnrollmentSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { Enrollment } from "../types/models.js";
import type { CreateEnrollmentBody, PageQuery } from "../types/requests.js";

/**
 * `/courses/:id/enrollments`: a course's roster. A top-level resource taking
 * the course id first, like `assignments.create(courseId, …)`.
 */
export class Enrollments extends APIResource {
  /**
   * Enrolls a student (admins, the course's instructor); twice is a `ConflictError`.
   *
   * @example
   * await client.enrollments.create(course.id, { studentId: student.id });
   */
  create(
    courseId: string,
    body: CreateEnrollmentBody,
    options?: RequestOptions,
  ): APIPromise<Enrollment> {
    return this.request(
      {
        method: "POST",
        path: `/courses/${segment(courseId)}/enrollments`,
        body,
        schema: EnrollmentSchema,
      },
      options,
    );
  }

  /**
   * The course's enrollments.
   *
   * @example
   * const roster = await client.enrollments.list(course.id).toArray({ limit: 500 });
   */
  list(courseId: string, query: PageQuery = {}, options?: RequestOptions): PagePromise<Enrollment> {
    return this.paginate(
      `/courses/${segment(courseId)}/enrollments`,
      query,
      EnrollmentPageSchema,
      options,
    );
  }
}
