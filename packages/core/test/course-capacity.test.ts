import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  CourseFullError,
  type SkillBridgeDatabase,
  type TenantDb,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// Courses may cap their roster (`capacity`). Enrolments lock the course row,
// so however many arrive at once, a course never holds more than its seats.

describe.each(ENGINES)("course capacity (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let a: SeededAcademy;
  const services = fastServices();
  let admin: Actor;

  const asAdmin = <T>(fn: (trx: TenantDb) => Promise<T>) =>
    withTenant(db, { tenantId: a.academyId, userId: a.users.admin, role: "admin" }, fn);

  const newStudents = (count: number, prefix: string) =>
    asAdmin(async (trx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const user = await services.users.create(trx, admin, {
          email: `${prefix}-${i}@example.com`,
          name: `Student ${prefix} ${i}`,
          role: "student",
          password: "student-password-1",
        });
        ids.push(user.id);
      }
      return ids;
    });

  const newCourse = (capacity?: number) =>
    asAdmin((trx) =>
      services.courses.create(trx, admin, {
        title: "Capped course",
        instructorId: a.users.i1,
        ...(capacity === undefined ? {} : { capacity }),
      }),
    );

  const enrol = (courseId: string, studentId: string) =>
    asAdmin((trx) => services.enrollments.create(trx, admin, courseId, { studentId }));

  const rosterSize = async (courseId: string) =>
    asAdmin(async (trx) => {
      const row = await trx
        .selectFrom("enrollments")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("course_id", "=", courseId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine, { poolSize: 10 }));
    a = await seedAcademy(db, services, "capacity");
    admin = a.actor("admin");
  });
  afterAll(() => dispose());

  it("a course without capacity has none, and enrolls without limit", async () => {
    const course = await newCourse();
    expect(course.capacity).toBeNull();
    const students = await newStudents(4, "open");
    for (const id of students) await enrol(course.id, id);
    expect(await rosterSize(course.id)).toBe(4);
  });

  it("a course enrolls exactly its capacity; the next student gets course_full and nothing is written", async () => {
    const course = await newCourse(2);
    expect(course.capacity).toBe(2);
    const [s1, s2, s3] = await newStudents(3, "capped");
    await enrol(course.id, s1 ?? "");
    await enrol(course.id, s2 ?? "");
    const refusal = enrol(course.id, s3 ?? "");
    await expect(refusal).rejects.toBeInstanceOf(CourseFullError);
    await expect(refusal).rejects.toMatchObject({ code: "course_full", status: 409 });
    expect(await rosterSize(course.id)).toBe(2);
  });

  it("a student already enrolled in a full course is told so, not that it is full", async () => {
    const course = await newCourse(1);
    const [only] = await newStudents(1, "again");
    await enrol(course.id, only ?? "");
    await expect(enrol(course.id, only ?? "")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("already enrolled"),
    });
  });

  it("concurrent enrolments into a capped course fill it exactly, never over", async () => {
    const capacity = 5;
    const course = await newCourse(capacity);
    const students = await newStudents(16, "race");
    const results = await Promise.allSettled(students.map((id) => enrol(course.id, id)));
    const enrolled = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(enrolled).toHaveLength(capacity);
    expect(refused).toHaveLength(students.length - capacity);
    for (const r of refused) expect(r.reason).toBeInstanceOf(CourseFullError);
    expect(await rosterSize(course.id)).toBe(capacity);
  });

  it("raising the capacity opens seats; null lifts the limit", async () => {
    const course = await newCourse(1);
    const [s1, s2, s3] = await newStudents(3, "raise");
    await enrol(course.id, s1 ?? "");
    await expect(enrol(course.id, s2 ?? "")).rejects.toBeInstanceOf(CourseFullError);
    const raised = await asAdmin((trx) =>
      services.courses.update(trx, admin, course.id, { capacity: 2 }),
    );
    expect(raised.capacity).toBe(2);
    await enrol(course.id, s2 ?? "");
    await expect(enrol(course.id, s3 ?? "")).rejects.toBeInstanceOf(CourseFullError);
    const open = await asAdmin((trx) =>
      services.courses.update(trx, admin, course.id, { capacity: null }),
    );
    expect(open.capacity).toBeNull();
    await enrol(course.id, s3 ?? "");
    expect(await rosterSize(course.id)).toBe(3);
  });

  it("lowering the capacity below the roster keeps those enrolled and refuses newcomers", async () => {
    const course = await newCourse();
    const [s1, s2, s3] = await newStudents(3, "lower");
    await enrol(course.id, s1 ?? "");
    await enrol(course.id, s2 ?? "");
    await asAdmin((trx) => services.courses.update(trx, admin, course.id, { capacity: 1 }));
    await expect(enrol(course.id, s3 ?? "")).rejects.toBeInstanceOf(CourseFullError);
    expect(await rosterSize(course.id)).toBe(2);
  });

  it.each([
    ["zero", 0],
    ["negative", -3],
    ["fractional", 2.5],
    ["over the maximum", 100_001],
  ])("a %s capacity is a validation error and no course is written", async (_name, capacity) => {
    const before = await asAdmin((trx) =>
      trx
        .selectFrom("courses")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow(),
    );
    await expect(newCourse(capacity)).rejects.toMatchObject({ code: "validation_failed" });
    const after = await asAdmin((trx) =>
      trx
        .selectFrom("courses")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow(),
    );
    expect(after.n).toBe(before.n);
  });

  it("the table itself refuses a capacity below one, whoever writes it", async () => {
    const course = await newCourse(3);
    await expect(
      asAdmin((trx) => sql`update courses set capacity = 0 where id = ${course.id}`.execute(trx)),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
