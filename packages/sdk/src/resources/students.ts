import {
  StudentSummarySchema,
  StudyPlanSchema,
  WeakSpotListSchema,
} from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { StudentSummary, StudyPlan, WeakSpotList } from "../types/models.js";

/**
 * `/students/:id/...`: a student's learning record, for the student, their
 * instructors, academy admins and linked parents (anyone else: `NotFoundError`).
 */
export class Students extends APIResource {
  /**
   * The student's weak spots: topics with mastery below 0.6 after at least
   * three attempts, weakest first.
   *
   * @example
   * const { data } = await client.students.weakSpots(studentId);
   * console.log(data.map((spot) => spot.topic));
   */
  weakSpots(studentId: string, options?: RequestOptions): APIPromise<WeakSpotList> {
    return this.request(
      {
        method: "GET",
        path: `/students/${segment(studentId)}/weak-spots`,
        schema: WeakSpotListSchema,
      },
      options,
    );
  }

  /**
   * The student's study plan: bank practice aimed at their weak spots, with
   * a rationale (no answers). Rebuilt only when their mastery changed.
   *
   * @example
   * const plan = await client.students.studyPlan(studentId);
   * for (const item of plan.items) console.log(item.topic, item.questions.length);
   */
  studyPlan(studentId: string, options?: RequestOptions): APIPromise<StudyPlan> {
    return this.request(
      {
        method: "GET",
        path: `/students/${segment(studentId)}/study-plan`,
        schema: StudyPlanSchema,
      },
      options,
    );
  }

  /**
   * The week's summary for parents, with the facts it was written from.
   *
   * @example
   * const { text, facts } = await asParent.students.summary(childId);
   */
  summary(studentId: string, options?: RequestOptions): APIPromise<StudentSummary> {
    return this.request(
      {
        method: "GET",
        path: `/students/${segment(studentId)}/summary`,
        schema: StudentSummarySchema,
      },
      options,
    );
  }
}
