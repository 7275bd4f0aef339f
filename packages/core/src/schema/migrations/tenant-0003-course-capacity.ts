import { type Kysely, sql } from "kysely";
import { quoteIdent } from "./tenant-policy.js";

/**
 * Courses may cap their roster: `capacity` is the most students a course
 * enrolls (null: no limit). Existing courses keep no limit. The enrollment
 * service enforces it under a lock on the course row; the check keeps a
 * nonsensical cap out of the table whoever writes it.
 */
export function tenantCourseCapacityDdl(schema: string): string {
  const courses = `${quoteIdent(schema)}.${quoteIdent("courses")}`;
  return `alter table ${courses} add column capacity integer
  constraint courses_capacity_positive check (capacity is null or capacity > 0);`;
}

export function tenantCourseCapacity(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantCourseCapacityDdl(schema)).execute(db);
    },
  };
}
