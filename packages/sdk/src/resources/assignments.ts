import { AssignmentSchema, pageOf, StudentAssignmentSchema } from "@skillbridge/core/contracts";
import { z } from "zod";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { Assignment, StudentAssignment } from "../types/models.js";
import type { AssignmentListQuery, CreateAssignmentBody } from "../types/requests.js";

// Staff get the full assignment; students and parents never get `referenceAnswer`.
const AnyAssignmentSchema = z.union([AssignmentSchema, StudentAssignmentSchema]);
const AnyAssignmentPageSchema = pageOf(AnyAssignmentSchema);

/** `/assignments` and `/courses/:id/assignments`. */
export class Assignments extends APIResource {
  /**
   * Adds an assignment to a course (admins, its instructor); the tutor is
   * `socratic` unless `tutorMode: "off"`.
   *
   * @example
   * const essay = await client.assignments.create(course.id, {
   *   title: "Essay 1", instructions: "Argue for or against.", maxPoints: 10,
   * });
   */
  create(
    courseId: string,
    body: CreateAssignmentBody,
    options?: RequestOptions,
  ): APIPromise<Assignment> {
    return this.request(
      {
        method: "POST",
        path: `/courses/${segment(courseId)}/assignments`,
        body,
        schema: AssignmentSchema,
      },
      options,
    );
  }

  /**
   * Assignments the caller may see, optionally of one course. Students and
   * parents get `StudentAssignment`s (no `referenceAnswer`): narrow with
   * `"referenceAnswer" in assignment`.
   *
   * @example
   * for await (const a of client.assignments.list({ courseId })) console.log(a.title);
   */
  list(
    query: AssignmentListQuery = {},
    options?: RequestOptions,
  ): PagePromise<Assignment | StudentAssignment> {
    return this.paginate("/assignments", query, AnyAssignmentPageSchema, options);
  }

  /** @example const assignment = await client.assignments.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<Assignment | StudentAssignment> {
    return this.request(
      { method: "GET", path: `/assignments/${segment(id)}`, schema: AnyAssignmentSchema },
      options,
    );
  }
}
