import { type WeakSpotList, WeakSpotListSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";

/**
 * `/students/:id/*`: a student's learning record, for admins, the student's
 * instructors, the student and linked parents (a `NotFoundError` for anyone else).
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
}
