import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  ConflictError,
  ForbiddenError,
  InvalidCursorError,
  NotFoundError,
  type Page,
  type TenantDb,
  ValidationError,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// What each role sees through the services, on every engine. Two look-alike
// academies are seeded (see support/seed.ts); "north" is the one under test and
// "south" is the other academy whose rows must never appear.

type Who = keyof SeededAcademy["users"];
type Resource = "users" | "courses" | "assignments" | "submissions";

const WHO: readonly Who[] = ["admin", "i1", "i2", "s1", "s2", "s3", "p"];

/** The seeded rows each actor may see, by seed key; everything else is a 404. */
const VISIBLE: Record<Resource, Record<Who, readonly string[]>> = {
  users: {
    admin: ["admin", "i1", "i2", "s1", "s2", "s3", "p"],
    i1: ["i1", "s1", "s3"],
    i2: ["i2", "s2", "s3"],
    s1: ["s1"],
    s2: ["s2"],
    s3: ["s3"],
    p: ["p", "s1"],
  },
  courses: {
    admin: ["c1", "c2"],
    i1: ["c1"],
    i2: ["c2"],
    s1: ["c1"],
    s2: ["c2"],
    s3: ["c1", "c2"],
    p: ["c1"],
  },
  assignments: {
    admin: ["a1", "a2"],
    i1: ["a1"],
    i2: ["a2"],
    s1: ["a1"],
    s2: ["a2"],
    s3: ["a1", "a2"],
    p: ["a1"],
  },
  submissions: {
    admin: ["sub1", "sub2", "sub3"],
    i1: ["sub1", "sub3"],
    i2: ["sub2"],
    s1: ["sub1"],
    s2: ["sub2"],
    s3: ["sub3"],
    p: ["sub1"],
  },
};

/** Test names: the behaviour each row of VISIBLE proves. */
const BEHAVIOUR: Record<Resource, Record<Who, string>> = {
  users: {
    admin: "the admin sees every user of their academy and none of the other academy's",
    i1: "instructor i1 sees self and the students of c1 (s1, s3), nobody else",
    i2: "instructor i2 sees self and the students of c2 (s2, s3), nobody else",
    s1: "student s1 sees only self among users",
    s2: "student s2 sees only self among users",
    s3: "student s3 sees only self among users",
    p: "parent p sees self and the linked child s1, never s2 or s3",
  },
  courses: {
    admin: "the admin sees every course of their academy and none of the other academy's",
    i1: "instructor i1 sees only the course they teach (c1)",
    i2: "instructor i2 sees only the course they teach (c2)",
    s1: "student s1 sees only the course they are enrolled in (c1)",
    s2: "student s2 sees only the course they are enrolled in (c2)",
    s3: "student s3 sees both courses they are enrolled in",
    p: "parent p sees only the linked child's course (c1)",
  },
  assignments: {
    admin: "the admin sees every assignment of their academy and none of the other academy's",
    i1: "instructor i1 sees only the assignments of c1",
    i2: "instructor i2 sees only the assignments of c2",
    s1: "student s1 sees only the assignments of the course they are enrolled in (a1)",
    s2: "student s2 sees only the assignments of the course they are enrolled in (a2)",
    s3: "student s3 sees the assignments of both their courses",
    p: "parent p sees only the linked child's assignments (a1)",
  },
  submissions: {
    admin: "the admin sees every submission of their academy and none of the other academy's",
    i1: "instructor i1 sees only the submissions to a1 (sub1, sub3)",
    i2: "instructor i2 sees only the submissions to a2 (sub2)",
    s1: "student s1 sees only their own submission (sub1)",
    s2: "student s2 sees only their own submission (sub2)",
    s3: "student s3 sees only their own submission (sub3), not s1's to the same assignment",
    p: "a parent sees only the linked child's submissions (sub1), not s3's to the same assignment",
  },
};

const ROLLBACK = new Error("roll back this test's writes");
const NOT_FOUND = "NotFoundError";

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

describe.each(ENGINES)("role visibility on %s", (engine) => {
  const services = fastServices();
  let database: TestDatabase | undefined;
  let north: SeededAcademy;
  let south: SeededAcademy;
  /** Seeded id -> "north.s1", so failures name rows instead of printing UUIDs. */
  const names = new Map<string, string>();

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    north = await seedAcademy(database.db, services, "north");
    south = await seedAcademy(database.db, services, "south");
    for (const academy of [north, south]) {
      const groups = [academy.users, academy.courses, academy.assignments, academy.submissions];
      for (const group of groups) {
        for (const [key, id] of Object.entries(group)) names.set(id, `${academy.slug}.${key}`);
      }
    }
  });

  afterAll(async () => {
    await database?.dispose();
  });

  const nameOf = (id: string) => names.get(id) ?? `unknown ${id}`;
  const namesOf = (rows: readonly { readonly id: string }[]) =>
    rows.map((r) => nameOf(r.id)).sort();
  const qualified = (academy: SeededAcademy, keys: readonly string[]) =>
    keys.map((key) => `${academy.slug}.${key}`).sort();

  /** Runs `fn` as the seeded user `who` of `academy`, in their own tenant transaction. */
  function as<T>(
    academy: SeededAcademy,
    who: Who,
    fn: (trx: TenantDb, actor: Actor) => Promise<T>,
  ): Promise<T> {
    if (!database) throw new Error("the test database is not open");
    const actor = academy.actor(who);
    return withTenant(
      database.db,
      { tenantId: academy.academyId, userId: actor.userId, role: actor.role },
      (trx) => fn(trx, actor),
    );
  }

  /** Like `as`, but the transaction is rolled back: the seeded data stays as it is for other tests. */
  async function rolledBack<T>(
    academy: SeededAcademy,
    who: Who,
    fn: (trx: TenantDb, actor: Actor) => Promise<T>,
  ): Promise<T> {
    const box: { value?: T } = {};
    await expect(
      as(academy, who, async (trx, actor) => {
        box.value = await fn(trx, actor);
        throw ROLLBACK;
      }),
    ).rejects.toBe(ROLLBACK);
    return box.value as T;
  }

  /** The service calls of one resource, uniformly. */
  function resource(kind: Resource) {
    switch (kind) {
      case "users":
        return {
          rows: (a: SeededAcademy) => a.users as Record<string, string>,
          list: (trx: TenantDb, actor: Actor) => services.users.list(trx, actor, { limit: 100 }),
          get: (trx: TenantDb, actor: Actor, id: string) => services.users.get(trx, actor, id),
        };
      case "courses":
        return {
          rows: (a: SeededAcademy) => a.courses as Record<string, string>,
          list: (trx: TenantDb, actor: Actor) => services.courses.list(trx, actor, { limit: 100 }),
          get: (trx: TenantDb, actor: Actor, id: string) => services.courses.get(trx, actor, id),
        };
      case "assignments":
        return {
          rows: (a: SeededAcademy) => a.assignments as Record<string, string>,
          list: (trx: TenantDb, actor: Actor) =>
            services.assignments.list(trx, actor, { limit: 100 }),
          get: (trx: TenantDb, actor: Actor, id: string) =>
            services.assignments.get(trx, actor, id),
        };
      case "submissions":
        return {
          rows: (a: SeededAcademy) => a.submissions as Record<string, string>,
          list: (trx: TenantDb, actor: Actor) =>
            services.submissions.list(trx, actor, { limit: 100 }),
          get: (trx: TenantDb, actor: Actor, id: string) =>
            services.submissions.get(trx, actor, id),
        };
    }
  }

  describe.each(["users", "courses", "assignments", "submissions"] as const)("%s", (kind) => {
    for (const who of WHO) {
      it(BEHAVIOUR[kind][who], async () => {
        const r = resource(kind);
        const everyRow = [...Object.values(r.rows(north)), ...Object.values(r.rows(south))];
        const seen = await as(north, who, async (trx, actor) => {
          const page = await r.list(trx, actor);
          const gets: Record<string, string> = {};
          for (const id of everyRow) {
            try {
              const row = await r.get(trx, actor, id);
              gets[nameOf(id)] = row.id === id ? "visible" : `answered with ${nameOf(row.id)}`;
            } catch (error) {
              gets[nameOf(id)] = errorName(error);
            }
          }
          return { listed: namesOf(page.data), nextCursor: page.nextCursor, gets };
        });

        const visible = qualified(north, VISIBLE[kind][who]);
        expect(seen.listed).toEqual(visible);
        expect(seen.nextCursor).toBeNull();
        const expectedGets = Object.fromEntries(
          everyRow.map((id) => [nameOf(id), visible.includes(nameOf(id)) ? "visible" : NOT_FOUND]),
        );
        expect(seen.gets).toEqual(expectedGets);
      });
    }
  });

  it("the other academy's admin sees only their own academy's rows", async () => {
    const seen = await as(south, "admin", async (trx, actor) => ({
      users: namesOf((await services.users.list(trx, actor, { limit: 100 })).data),
      courses: namesOf((await services.courses.list(trx, actor, { limit: 100 })).data),
      assignments: namesOf((await services.assignments.list(trx, actor, { limit: 100 })).data),
      submissions: namesOf((await services.submissions.list(trx, actor, { limit: 100 })).data),
    }));
    expect(seen).toEqual({
      users: qualified(south, Object.keys(south.users)),
      courses: qualified(south, ["c1", "c2"]),
      assignments: qualified(south, ["a1", "a2"]),
      submissions: qualified(south, ["sub1", "sub2", "sub3"]),
    });
  });

  it("an id from the other academy is not found, even for the admin", async () => {
    const outcomes = await as(north, "admin", async (trx, actor) => {
      const attempt = async (call: () => Promise<unknown>) => {
        try {
          await call();
          return "found";
        } catch (error) {
          return errorName(error);
        }
      };
      return {
        user: await attempt(() => services.users.get(trx, actor, south.users.s1)),
        course: await attempt(() => services.courses.get(trx, actor, south.courses.c1)),
        assignment: await attempt(() => services.assignments.get(trx, actor, south.assignments.a1)),
        submission: await attempt(() =>
          services.submissions.get(trx, actor, south.submissions.sub1),
        ),
        roster: await attempt(() =>
          services.enrollments.list(trx, actor, south.courses.c1, { limit: 100 }),
        ),
        ownUser: await attempt(() => services.users.get(trx, actor, north.users.s1)),
      };
    });
    expect(outcomes).toEqual({
      user: NOT_FOUND,
      course: NOT_FOUND,
      assignment: NOT_FOUND,
      submission: NOT_FOUND,
      roster: NOT_FOUND,
      ownUser: "found",
    });
  });

  it("filters narrow what a role sees, they never widen it", async () => {
    const seen = await as(north, "p", async (trx, actor) => ({
      s3: namesOf(
        (await services.submissions.list(trx, actor, { limit: 100, studentId: north.users.s3 }))
          .data,
      ),
      a1: namesOf(
        (
          await services.submissions.list(trx, actor, {
            limit: 100,
            assignmentId: north.assignments.a1,
          })
        ).data,
      ),
      c2: namesOf(
        (await services.assignments.list(trx, actor, { limit: 100, courseId: north.courses.c2 }))
          .data,
      ),
      students: namesOf(
        (await services.users.list(trx, actor, { limit: 100, role: "student" })).data,
      ),
    }));
    expect(seen).toEqual({
      s3: [],
      a1: qualified(north, ["sub1"]),
      c2: [],
      students: qualified(north, ["s1"]),
    });
  });

  describe("reference answers", () => {
    it.each(["s1", "s3", "p"] as const)(
      "%s gets assignments without a referenceAnswer key, in lists and by id",
      async (who) => {
        const { listed, one } = await as(north, who, async (trx, actor) => ({
          listed: (await services.assignments.list(trx, actor, { limit: 100 })).data,
          one: await services.assignments.get(trx, actor, north.assignments.a1),
        }));
        expect(listed.length).toBeGreaterThan(0);
        for (const assignment of [...listed, one]) {
          expect(Object.keys(assignment)).not.toContain("referenceAnswer");
          expect(assignment.title).toBeTypeOf("string");
        }
      },
    );

    it.each(["admin", "i1"] as const)(
      "%s (staff) gets the reference answer, in lists and by id",
      async (who) => {
        const { listed, one } = await as(north, who, async (trx, actor) => ({
          listed: (await services.assignments.list(trx, actor, { limit: 100 })).data,
          one: await services.assignments.get(trx, actor, north.assignments.a1),
        }));
        expect(listed.length).toBeGreaterThan(0);
        for (const assignment of [...listed, one]) {
          expect(assignment).toHaveProperty("referenceAnswer", "42");
        }
      },
    );
  });

  describe("enrollments", () => {
    type Roster = readonly string[] | "NotFoundError" | "ForbiddenError";
    const ROSTER: Record<Who, { readonly c1: Roster; readonly c2: Roster }> = {
      admin: { c1: ["s1", "s3"], c2: ["s2", "s3"] },
      i1: { c1: ["s1", "s3"], c2: "NotFoundError" },
      i2: { c1: "NotFoundError", c2: ["s2", "s3"] },
      s1: { c1: "ForbiddenError", c2: "NotFoundError" },
      s2: { c1: "NotFoundError", c2: "ForbiddenError" },
      s3: { c1: "ForbiddenError", c2: "ForbiddenError" },
      p: { c1: "ForbiddenError", c2: "NotFoundError" },
    };
    const ROSTER_BEHAVIOUR: Record<Who, string> = {
      admin: "the admin reads every roster of their academy, not the other academy's",
      i1: "instructor i1 reads the roster of c1 only; c2's is not found",
      i2: "instructor i2 reads the roster of c2 only; c1's is not found",
      s1: "student s1 may not read the roster of their course (403) and cannot find another's",
      s2: "student s2 may not read the roster of their course (403) and cannot find another's",
      s3: "student s3 may not read the rosters of their courses (403)",
      p: "parent p may not read the child's roster (403) and cannot find another's",
    };

    for (const who of WHO) {
      it(ROSTER_BEHAVIOUR[who], async () => {
        const seen = await as(north, who, async (trx, actor) => {
          const read = async (courseId: string) => {
            try {
              const page = await services.enrollments.list(trx, actor, courseId, { limit: 100 });
              return page.data.map((e) => `${nameOf(e.courseId)}:${nameOf(e.studentId)}`).sort();
            } catch (error) {
              return errorName(error);
            }
          };
          return {
            c1: await read(north.courses.c1),
            c2: await read(north.courses.c2),
            southC1: await read(south.courses.c1),
            southC2: await read(south.courses.c2),
          };
        });
        const expected = (course: "c1" | "c2") => {
          const roster = ROSTER[who][course];
          return typeof roster === "string"
            ? roster
            : roster.map((s) => `north.${course}:north.${s}`).sort();
        };
        expect(seen).toEqual({
          c1: expected("c1"),
          c2: expected("c2"),
          southC1: NOT_FOUND,
          southC2: NOT_FOUND,
        });
      });
    }

    it("instructor i1's roster of c1 has exactly the enrollment ids the admin sees", async () => {
      const roster = (who: Who) =>
        as(north, who, async (trx, actor) =>
          (await services.enrollments.list(trx, actor, north.courses.c1, { limit: 100 })).data
            .map((e) => e.id)
            .sort(),
        );
      const adminIds = await roster("admin");
      expect(adminIds).toHaveLength(2);
      expect(await roster("i1")).toEqual(adminIds);
    });

    it("enrolling a student twice in a course is a ConflictError", async () => {
      await expect(
        as(north, "admin", (trx, actor) =>
          services.enrollments.create(trx, actor, north.courses.c1, { studentId: north.users.s1 }),
        ),
      ).rejects.toBeInstanceOf(ConflictError);
      const enrolled = await rolledBack(north, "admin", (trx, actor) =>
        services.enrollments.create(trx, actor, north.courses.c1, { studentId: north.users.s2 }),
      );
      expect(enrolled).toMatchObject({ courseId: north.courses.c1, studentId: north.users.s2 });
    });

    it.each([
      ["a parent", "p"],
      ["an instructor", "i2"],
      ["an admin", "admin"],
    ] as const)("enrolling %s is a ValidationError", async (_label, key) => {
      await expect(
        as(north, "admin", (trx, actor) =>
          services.enrollments.create(trx, actor, north.courses.c2, {
            studentId: north.users[key],
          }),
        ),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it("enrolling a student of the other academy is a ValidationError", async () => {
      await expect(
        as(north, "admin", (trx, actor) =>
          services.enrollments.create(trx, actor, north.courses.c2, { studentId: south.users.s1 }),
        ),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it("an instructor enrolls into their own course, not into another's (404)", async () => {
      const enrolled = await rolledBack(north, "i1", (trx, actor) =>
        services.enrollments.create(trx, actor, north.courses.c1, { studentId: north.users.s2 }),
      );
      expect(enrolled.studentId).toBe(north.users.s2);
      await expect(
        as(north, "i1", (trx, actor) =>
          services.enrollments.create(trx, actor, north.courses.c2, { studentId: north.users.s1 }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("parent links", () => {
    const links = (academy: SeededAcademy, who: Who) =>
      as(academy, who, (trx, actor) => services.parentLinks.list(trx, actor, { limit: 100 }));

    it("the admin sees exactly their academy's parent link, not the other academy's", async () => {
      const ours = await links(north, "admin");
      const theirs = await links(south, "admin");
      expect(ours.data.map((l) => [nameOf(l.parentId), nameOf(l.studentId)])).toEqual([
        ["north.p", "north.s1"],
      ]);
      expect(theirs.data.map((l) => [nameOf(l.parentId), nameOf(l.studentId)])).toEqual([
        ["south.p", "south.s1"],
      ]);
      const theirIds = theirs.data.map((l) => l.id);
      expect(ours.data.map((l) => l.id).filter((id) => theirIds.includes(id))).toEqual([]);
    });

    it("a parent sees exactly their own link, not another parent's", async () => {
      const seen = await rolledBack(north, "admin", async (trx, admin) => {
        const otherParent = await services.users.create(trx, admin, {
          email: "other-parent@example.com",
          name: "Other Parent",
          role: "parent",
          password: "other-parent-1",
        });
        const otherLink = await services.parentLinks.create(trx, admin, {
          parentId: otherParent.id,
          studentId: north.users.s2,
        });
        const all = (await services.parentLinks.list(trx, admin, { limit: 100 })).data;
        const parents = (await services.parentLinks.list(trx, north.actor("p"), { limit: 100 }))
          .data;
        return {
          all: all.map((l) => l.id).sort(),
          otherLink: otherLink.id,
          parents: parents.map((l) => [nameOf(l.parentId), nameOf(l.studentId)]),
          parentIds: parents.map((l) => l.id),
        };
      });
      expect(seen.all).toHaveLength(2);
      expect(seen.all).toContain(seen.otherLink);
      expect(seen.parents).toEqual([["north.p", "north.s1"]]);
      expect(seen.parentIds).toEqual(seen.all.filter((id) => id !== seen.otherLink));
    });

    it.each(["s1", "i1"] as const)("%s listing parent links is a ForbiddenError", async (who) => {
      await expect(links(north, who)).rejects.toBeInstanceOf(ForbiddenError);
    });

    it("only an admin links a parent to a student", async () => {
      await expect(
        as(north, "p", (trx, actor) =>
          services.parentLinks.create(trx, actor, {
            parentId: north.users.p,
            studentId: north.users.s3,
          }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      const link = await rolledBack(north, "admin", (trx, actor) =>
        services.parentLinks.create(trx, actor, {
          parentId: north.users.p,
          studentId: north.users.s3,
        }),
      );
      expect(link).toMatchObject({ parentId: north.users.p, studentId: north.users.s3 });
    });
  });

  describe("write rules", () => {
    it("an instructor creating a course for another instructor is a ForbiddenError", async () => {
      await expect(
        as(north, "i1", (trx, actor) =>
          services.courses.create(trx, actor, { title: "Not mine", instructorId: north.users.i2 }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      const own = await rolledBack(north, "i1", (trx, actor) =>
        services.courses.create(trx, actor, { title: "Mine", instructorId: north.users.i1 }),
      );
      expect(own.instructorId).toBe(north.users.i1);
    });

    it("an instructor updating another instructor's course gets NotFoundError", async () => {
      await expect(
        as(north, "i2", (trx, actor) =>
          services.courses.update(trx, actor, north.courses.c1, { title: "Taken over" }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
      const updated = await rolledBack(north, "i1", (trx, actor) =>
        services.courses.update(trx, actor, north.courses.c1, { title: "Renamed by i1" }),
      );
      expect(updated.title).toBe("Renamed by i1");
      const course = await as(north, "admin", (trx, actor) =>
        services.courses.get(trx, actor, north.courses.c1),
      );
      expect(course.title).toBe("SAT Math");
    });

    it("an instructor may not hand their course to another instructor", async () => {
      await expect(
        as(north, "i1", (trx, actor) =>
          services.courses.update(trx, actor, north.courses.c1, { instructorId: north.users.i2 }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
    });

    it("a student updating a course they can see is a ForbiddenError; one they cannot see is not found", async () => {
      await expect(
        as(north, "s1", (trx, actor) =>
          services.courses.update(trx, actor, north.courses.c1, { title: "Student edit" }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        as(north, "s1", (trx, actor) =>
          services.courses.update(trx, actor, north.courses.c2, { title: "Student edit" }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("the admin updating or deleting the other academy's course gets NotFoundError", async () => {
      await expect(
        as(north, "admin", (trx, actor) =>
          services.courses.update(trx, actor, south.courses.c1, { title: "Cross-tenant" }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        as(north, "admin", (trx, actor) => services.courses.delete(trx, actor, south.courses.c1)),
      ).rejects.toBeInstanceOf(NotFoundError);
      const course = await as(south, "admin", (trx, actor) =>
        services.courses.get(trx, actor, south.courses.c1),
      );
      expect(course.title).toBe("SAT Math");
    });

    it("an instructor grading a submission to another instructor's assignment gets NotFoundError", async () => {
      await expect(
        as(north, "i2", (trx, actor) =>
          services.submissions.grade(trx, actor, north.submissions.sub1, { grade: 5 }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
      const graded = await rolledBack(north, "i1", (trx, actor) =>
        services.submissions.grade(trx, actor, north.submissions.sub1, {
          grade: 7,
          feedback: "Good method.",
        }),
      );
      expect(graded).toMatchObject({ id: north.submissions.sub1, grade: 7 });
    });

    it("the admin grading the other academy's submission gets NotFoundError", async () => {
      await expect(
        as(north, "admin", (trx, actor) =>
          services.submissions.grade(trx, actor, south.submissions.sub1, { grade: 5 }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("students and parents may not grade, even a submission they can see", async () => {
      await expect(
        as(north, "s1", (trx, actor) =>
          services.submissions.grade(trx, actor, north.submissions.sub1, { grade: 10 }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        as(north, "p", (trx, actor) =>
          services.submissions.grade(trx, actor, north.submissions.sub1, { grade: 10 }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
    });

    it("a grade above the assignment's maxPoints is a ValidationError; maxPoints itself is fine", async () => {
      await expect(
        as(north, "i1", (trx, actor) =>
          services.submissions.grade(trx, actor, north.submissions.sub1, { grade: 11 }),
        ),
      ).rejects.toBeInstanceOf(ValidationError);
      const graded = await rolledBack(north, "i1", (trx, actor) =>
        services.submissions.grade(trx, actor, north.submissions.sub1, { grade: 10 }),
      );
      expect(graded.grade).toBe(10);
    });

    it("the admin deleting themself is a ConflictError, while deleting another user works", async () => {
      await expect(
        as(north, "admin", (trx, actor) => services.users.delete(trx, actor, north.users.admin)),
      ).rejects.toBeInstanceOf(ConflictError);
      const afterDelete = await rolledBack(north, "admin", async (trx, actor) => {
        await services.users.delete(trx, actor, north.users.i2);
        try {
          await services.users.get(trx, actor, north.users.i2);
          return "still visible";
        } catch (error) {
          return errorName(error);
        }
      });
      expect(afterDelete).toBe(NOT_FOUND);
    });

    it("non-admins may not delete users, not even a user they can see", async () => {
      await expect(
        as(north, "i1", (trx, actor) => services.users.delete(trx, actor, north.users.s1)),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        as(north, "s1", (trx, actor) => services.users.delete(trx, actor, north.users.s1)),
      ).rejects.toBeInstanceOf(ForbiddenError);
    });

    it("a user may update themself but not another user they can see", async () => {
      const renamed = await rolledBack(north, "p", (trx, actor) =>
        services.users.update(trx, actor, north.users.p, { name: "Pat Parent" }),
      );
      expect(renamed.name).toBe("Pat Parent");
      await expect(
        as(north, "p", (trx, actor) =>
          services.users.update(trx, actor, north.users.s1, { name: "Renamed child" }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        as(north, "p", (trx, actor) =>
          services.users.update(trx, actor, north.users.s3, { name: "Not my child" }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("a student submits only to an assignment of a course they are enrolled in", async () => {
      await expect(
        as(north, "s1", (trx, actor) =>
          services.submissions.create(trx, actor, north.assignments.a2, { content: "Sneaky" }),
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        as(north, "p", (trx, actor) =>
          services.submissions.create(trx, actor, north.assignments.a1, { content: "For my kid" }),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      const submitted = await rolledBack(north, "s1", (trx, actor) =>
        services.submissions.create(trx, actor, north.assignments.a1, { content: "Second try" }),
      );
      expect(submitted).toMatchObject({
        assignmentId: north.assignments.a1,
        studentId: north.users.s1,
      });
    });

    it("a soft-deleted course disappears from lists and restore brings it back", async () => {
      const views = await rolledBack(north, "admin", async (trx, admin) => {
        const i1 = north.actor("i1");
        const s1 = north.actor("s1");
        const p = north.actor("p");
        const snapshot = async () => ({
          adminCourses: namesOf((await services.courses.list(trx, admin, { limit: 100 })).data),
          i1Courses: namesOf((await services.courses.list(trx, i1, { limit: 100 })).data),
          s1Courses: namesOf((await services.courses.list(trx, s1, { limit: 100 })).data),
          pCourses: namesOf((await services.courses.list(trx, p, { limit: 100 })).data),
          adminAssignments: namesOf(
            (await services.assignments.list(trx, admin, { limit: 100 })).data,
          ),
          s1Assignments: namesOf((await services.assignments.list(trx, s1, { limit: 100 })).data),
          getC1: await services.courses
            .get(trx, admin, north.courses.c1)
            .then((c) => nameOf(c.id), errorName),
        });
        const before = await snapshot();
        await services.courses.delete(trx, admin, north.courses.c1);
        const deleted = await snapshot();
        const restored = await services.courses.restore(trx, admin, north.courses.c1);
        const after = await snapshot();
        return { before, deleted, restored: nameOf(restored.id), after };
      });

      const live = {
        adminCourses: qualified(north, ["c1", "c2"]),
        i1Courses: qualified(north, ["c1"]),
        s1Courses: qualified(north, ["c1"]),
        pCourses: qualified(north, ["c1"]),
        adminAssignments: qualified(north, ["a1", "a2"]),
        s1Assignments: qualified(north, ["a1"]),
        getC1: "north.c1",
      };
      expect(views.before).toEqual(live);
      expect(views.deleted).toEqual({
        adminCourses: qualified(north, ["c2"]),
        i1Courses: [],
        s1Courses: [],
        pCourses: [],
        adminAssignments: qualified(north, ["a2"]),
        s1Assignments: [],
        getC1: NOT_FOUND,
      });
      expect(views.restored).toBe("north.c1");
      expect(views.after).toEqual(live);
    });

    it("only the admin deletes and restores a course; restoring a live course is not found", async () => {
      await expect(
        as(north, "i1", (trx, actor) => services.courses.delete(trx, actor, north.courses.c1)),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        as(north, "admin", (trx, actor) => services.courses.restore(trx, actor, north.courses.c1)),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("pagination", () => {
    /** Follows nextCursor with `limit: 1` until it is null. */
    async function walk<T extends { readonly id: string }>(
      fetch: (cursor: string | undefined) => Promise<Page<T>>,
    ): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await fetch(cursor);
        pages += 1;
        expect(page.data.length).toBeLessThanOrEqual(1);
        ids.push(...page.data.map((row) => row.id));
        cursor = page.nextCursor ?? undefined;
        if (pages > 50) throw new Error("pagination does not end");
      } while (cursor !== undefined);
      return { ids, pages };
    }

    type Lister = (
      trx: TenantDb,
      actor: Actor,
      page: { limit: number; cursor?: string | undefined },
    ) => Promise<Page<{ readonly id: string }>>;

    const LISTS: readonly (readonly [string, Who, Lister, number])[] = [
      ["users", "admin", (trx, a, page) => services.users.list(trx, a, page), 7],
      ["courses", "admin", (trx, a, page) => services.courses.list(trx, a, page), 2],
      ["assignments", "admin", (trx, a, page) => services.assignments.list(trx, a, page), 2],
      ["submissions", "admin", (trx, a, page) => services.submissions.list(trx, a, page), 3],
      ["parent links", "admin", (trx, a, page) => services.parentLinks.list(trx, a, page), 1],
      [
        "the roster of c2",
        "admin",
        (trx, a, page) => services.enrollments.list(trx, a, north.courses.c2, page),
        2,
      ],
      ["users", "i1", (trx, a, page) => services.users.list(trx, a, page), 3],
      [
        "students",
        "admin",
        (trx, a, page) => services.users.list(trx, a, { ...page, role: "student" }),
        3,
      ],
      ["submissions", "i1", (trx, a, page) => services.submissions.list(trx, a, page), 2],
      ["courses", "s3", (trx, a, page) => services.courses.list(trx, a, page), 2],
    ];

    it.each(LISTS)(
      "paging %s as %s with limit 1 walks every row exactly once and ends with nextCursor null",
      async (_list, who, list, count) => {
        const all = await as(north, who, (trx, actor) => list(trx, actor, { limit: 100 }));
        const walked = await walk((cursor) =>
          as(north, who, (trx, actor) => list(trx, actor, { limit: 1, cursor })),
        );
        const allIds = all.data.map((row) => row.id);
        expect(allIds).toHaveLength(count);
        expect(new Set(allIds).size).toBe(count);
        expect(walked.ids).toEqual(allIds);
        expect(walked.pages).toBe(count);
      },
    );

    it("a cursor from one list used on another is rejected with InvalidCursorError", async () => {
      const outcomes = await as(north, "admin", async (trx, actor) => {
        const cursorOf = (page: Page<unknown>) => {
          if (page.nextCursor === null) throw new Error("expected a second page");
          return page.nextCursor;
        };
        const courses = cursorOf(await services.courses.list(trx, actor, { limit: 1 }));
        const toA1 = cursorOf(
          await services.submissions.list(trx, actor, {
            limit: 1,
            assignmentId: north.assignments.a1,
          }),
        );
        const rosterC1 = cursorOf(
          await services.enrollments.list(trx, actor, north.courses.c1, { limit: 1 }),
        );
        const users = cursorOf(await services.users.list(trx, actor, { limit: 1 }));
        const attempt = async (call: () => Promise<Page<unknown>>) => {
          try {
            return `${(await call()).data.length} row(s)`;
          } catch (error) {
            return errorName(error);
          }
        };
        return {
          coursesOnCourses: await attempt(() =>
            services.courses.list(trx, actor, { limit: 1, cursor: courses }),
          ),
          coursesOnUsers: await attempt(() =>
            services.users.list(trx, actor, { limit: 1, cursor: courses }),
          ),
          coursesOnAssignments: await attempt(() =>
            services.assignments.list(trx, actor, { limit: 1, cursor: courses }),
          ),
          toA1OnToA1: await attempt(() =>
            services.submissions.list(trx, actor, {
              limit: 1,
              cursor: toA1,
              assignmentId: north.assignments.a1,
            }),
          ),
          toA1OnAllSubmissions: await attempt(() =>
            services.submissions.list(trx, actor, { limit: 1, cursor: toA1 }),
          ),
          rosterC1OnRosterC2: await attempt(() =>
            services.enrollments.list(trx, actor, north.courses.c2, {
              limit: 1,
              cursor: rosterC1,
            }),
          ),
          usersOnParentLinks: await attempt(() =>
            services.parentLinks.list(trx, actor, { limit: 1, cursor: users }),
          ),
          garbage: await attempt(() =>
            services.courses.list(trx, actor, { limit: 1, cursor: `x${courses}` }),
          ),
        };
      });
      expect(outcomes).toEqual({
        coursesOnCourses: "1 row(s)",
        coursesOnUsers: InvalidCursorError.name,
        coursesOnAssignments: InvalidCursorError.name,
        toA1OnToA1: "1 row(s)",
        toA1OnAllSubmissions: InvalidCursorError.name,
        rosterC1OnRosterC2: InvalidCursorError.name,
        usersOnParentLinks: InvalidCursorError.name,
        garbage: InvalidCursorError.name,
      });
    });
  });
});
