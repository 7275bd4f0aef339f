import {
  CoursePageSchema,
  CourseSchema,
  CourseWeakSpotListSchema,
} from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { Course, CourseWeakSpotList } from "../types/models.js";
import type { CreateCourseBody, PageQuery, UpdateCourseBody } from "../types/requests.js";

/** `/courses`. Enrollments and assignments of a course: `client.enrollments`, `client.assignments`. */
export class Courses extends APIResource {
  /**
   * Creates a course (admins for anyone, instructors for themselves).
   *
   * @example
   * const course = await client.courses.create({ title: "SAT Math", instructorId: me.user.id });
   */
  create(body: CreateCourseBody, options?: RequestOptions): APIPromise<Course> {
    return this.request({ method: "POST", path: "/courses", body, schema: CourseSchema }, options);
  }

  /**
   * Courses the caller may see.
   *
   * @example
   * for await (const course of client.courses.list()) console.log(course.title);
   */
  list(query: PageQuery = {}, options?: RequestOptions): PagePromise<Course> {
    return this.paginate("/courses", query, CoursePageSchema, options);
  }

  /** @example const course = await client.courses.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<Course> {
    return this.request(
      { method: "GET", path: `/courses/${segment(id)}`, schema: CourseSchema },
      options,
    );
  }

  /**
   * Updates a course; `description: null` clears it, reassigning is for admins.
   *
   * @example
   * await client.courses.update(id, { title: "SAT Math II" });
   */
  update(id: string, body: UpdateCourseBody, options?: RequestOptions): APIPromise<Course> {
    return this.request(
      { method: "PATCH", path: `/courses/${segment(id)}`, body, schema: CourseSchema },
      options,
    );
  }

  /**
   * Soft-deletes a course (admins only); `restore` brings it back.
   *
   * @example
   * await client.courses.delete(id);
   */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.request({ method: "DELETE", path: `/courses/${segment(id)}` }, options);
  }

  /** @example const course = await client.courses.restore(id); */
  restore(id: string, options?: RequestOptions): APIPromise<Course> {
    return this.request(
      { method: "POST", path: `/courses/${segment(id)}/restore`, schema: CourseSchema },
      options,
    );
  }

  /**
   * The course's weak spots (admins, its instructor): per topic, how many
   * enrolled students have it as a weak spot, their mean mastery and attempts.
   *
   * @example
   * const { data } = await client.courses.weakSpots(courseId);
   * for (const spot of data) console.log(spot.topic, spot.students);
   */
  weakSpots(courseId: string, options?: RequestOptions): APIPromise<CourseWeakSpotList> {
    return this.request(
      {
        method: "GET",
        path: `/courses/${segment(courseId)}/weak-spots`,
        schema: CourseWeakSpotListSchema,
      },
      options,
    );
  }
}
