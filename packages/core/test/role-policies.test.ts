import { describe, expect, it } from "vitest";
import {
  type AcademyRole,
  type Actor,
  assignmentRules,
  assignmentView,
  courseReadScope,
  courseRules,
  enrollmentRules,
  isStaff,
  parentLinkReadScope,
  parentLinkRules,
  submissionReadScope,
  submissionRules,
  userReadScope,
  userRules,
} from "../src/index.js";

// Pure tests of the policy modules: no database, every role, every rule.

const ID = {
  admin: "a0000000-0000-4000-8000-000000000001",
  instructor: "a0000000-0000-4000-8000-000000000002",
  otherInstructor: "a0000000-0000-4000-8000-000000000003",
  student: "a0000000-0000-4000-8000-000000000004",
  parent: "a0000000-0000-4000-8000-000000000005",
  someoneElse: "a0000000-0000-4000-8000-000000000006",
} as const;

const admin: Actor = { userId: ID.admin, role: "admin" };
const instructor: Actor = { userId: ID.instructor, role: "instructor" };
const student: Actor = { userId: ID.student, role: "student" };
const parent: Actor = { userId: ID.parent, role: "parent" };
const ROLES: readonly AcademyRole[] = ["admin", "instructor", "student", "parent"];
const actorOf = (role: AcademyRole): Actor => ({ admin, instructor, student, parent })[role];

const ownCourse = { instructorId: ID.instructor } as const;
const othersCourse = { instructorId: ID.otherInstructor } as const;
const OWN = "the instructor's own course";
const OTHERS = "another instructor's course";

describe("isStaff and assignmentView", () => {
  it.each([
    ["admin", true, "staff"],
    ["instructor", true, "staff"],
    ["student", false, "learner"],
    ["parent", false, "learner"],
  ] as const)("%s: isStaff is %s and the assignment view is %s", (role, staff, view) => {
    expect(isStaff(actorOf(role))).toBe(staff);
    expect(assignmentView(actorOf(role))).toBe(view);
  });
});

describe("user scope and rules", () => {
  it("an admin's user scope is the whole academy", () => {
    expect(userReadScope(admin)).toEqual({ kind: "all" });
  });

  it("an instructor's user scope is self and the students they teach", () => {
    expect(userReadScope(instructor)).toEqual({
      kind: "selfAndTaughtStudents",
      instructorId: ID.instructor,
    });
  });

  it("a student's user scope is self only", () => {
    expect(userReadScope(student)).toEqual({ kind: "self", userId: ID.student });
  });

  it("a parent's user scope is self and the linked students", () => {
    expect(userReadScope(parent)).toEqual({ kind: "selfAndLinkedStudents", parentId: ID.parent });
  });

  it.each(ROLES.map((role) => [role, role === "admin"] as const))(
    "userRules.create for %s is %s",
    (role, allowed) => {
      expect(userRules.create(actorOf(role))).toBe(allowed);
    },
  );

  it.each(ROLES)("userRules.update lets %s edit themself", (role) => {
    const actor = actorOf(role);
    expect(userRules.update(actor, actor.userId)).toBe(true);
  });

  it.each(ROLES.map((role) => [role, role === "admin"] as const))(
    "userRules.update lets %s edit someone else: %s",
    (role, allowed) => {
      expect(userRules.update(actorOf(role), ID.someoneElse)).toBe(allowed);
    },
  );

  it("userRules.delete lets an admin delete someone else", () => {
    expect(userRules.delete(admin, ID.someoneElse)).toBe(true);
    expect(userRules.delete(admin, ID.student)).toBe(true);
  });

  it("userRules.delete refuses an admin deleting themself", () => {
    expect(userRules.delete(admin, ID.admin)).toBe(false);
  });

  it.each(["instructor", "student", "parent"] as const)(
    "userRules.delete refuses %s, for self and for others",
    (role) => {
      const actor = actorOf(role);
      expect(userRules.delete(actor, actor.userId)).toBe(false);
      expect(userRules.delete(actor, ID.someoneElse)).toBe(false);
    },
  );
});

describe("course scope and rules", () => {
  it.each([
    ["admin", { kind: "all" }],
    ["instructor", { kind: "taughtBy", instructorId: ID.instructor }],
    ["student", { kind: "enrolled", studentId: ID.student }],
    ["parent", { kind: "linkedEnrolled", parentId: ID.parent }],
  ] as const)("%s's course scope is %j", (role, scope) => {
    expect(courseReadScope(actorOf(role))).toEqual(scope);
  });

  it("courseRules.create lets an admin create a course for any instructor", () => {
    expect(courseRules.create(admin, ID.instructor)).toBe(true);
    expect(courseRules.create(admin, ID.otherInstructor)).toBe(true);
  });

  it("courseRules.create lets an instructor create a course for themself only", () => {
    expect(courseRules.create(instructor, ID.instructor)).toBe(true);
    expect(courseRules.create(instructor, ID.otherInstructor)).toBe(false);
  });

  it.each(["student", "parent"] as const)(
    "courseRules.create refuses %s, even naming themself",
    (role) => {
      const actor = actorOf(role);
      expect(courseRules.create(actor, actor.userId)).toBe(false);
      expect(courseRules.create(actor, ID.instructor)).toBe(false);
    },
  );

  it("courseRules.manage: an admin manages any course", () => {
    expect(courseRules.manage(admin, ownCourse)).toBe(true);
    expect(courseRules.manage(admin, othersCourse)).toBe(true);
  });

  it("courseRules.manage: an instructor manages their own course and not another's", () => {
    expect(courseRules.manage(instructor, ownCourse)).toBe(true);
    expect(courseRules.manage(instructor, othersCourse)).toBe(false);
  });

  it.each(["student", "parent"] as const)(
    "courseRules.manage: %s manages no course, even one naming their id",
    (role) => {
      const actor = actorOf(role);
      expect(courseRules.manage(actor, ownCourse)).toBe(false);
      expect(courseRules.manage(actor, { instructorId: actor.userId })).toBe(false);
    },
  );

  it.each(ROLES.map((role) => [role, role === "admin"] as const))(
    "courseRules.reassign and courseRules.delete for %s: %s",
    (role, allowed) => {
      expect(courseRules.reassign(actorOf(role))).toBe(allowed);
      expect(courseRules.delete(actorOf(role))).toBe(allowed);
    },
  );
});

describe("assignment and enrollment rules follow course management", () => {
  it.each([
    ["admin", OWN, ownCourse, true],
    ["admin", OTHERS, othersCourse, true],
    ["instructor", OWN, ownCourse, true],
    ["instructor", OTHERS, othersCourse, false],
    ["student", OWN, ownCourse, false],
    ["parent", OWN, ownCourse, false],
  ] as const)(
    "%s on %s may create assignments, enroll and read the roster: %s",
    (role, _label, course, allowed) => {
      const actor = actorOf(role);
      expect(assignmentRules.create(actor, course)).toBe(allowed);
      expect(enrollmentRules.create(actor, course)).toBe(allowed);
      expect(enrollmentRules.list(actor, course)).toBe(allowed);
    },
  );
});

describe("submission scope and rules", () => {
  it.each([
    ["admin", { kind: "all" }],
    ["instructor", { kind: "taughtBy", instructorId: ID.instructor }],
    ["student", { kind: "student", studentId: ID.student }],
    ["parent", { kind: "linkedStudents", parentId: ID.parent }],
  ] as const)("%s's submission scope is %j", (role, scope) => {
    expect(submissionReadScope(actorOf(role))).toEqual(scope);
  });

  it("submissionRules.create lets an enrolled student submit", () => {
    expect(submissionRules.create(student, true)).toBe(true);
  });

  it("submissionRules.create refuses a student who is not enrolled", () => {
    expect(submissionRules.create(student, false)).toBe(false);
  });

  it.each(["admin", "instructor", "parent"] as const)(
    "submissionRules.create refuses %s, enrolled or not",
    (role) => {
      expect(submissionRules.create(actorOf(role), true)).toBe(false);
      expect(submissionRules.create(actorOf(role), false)).toBe(false);
    },
  );

  it.each([
    ["admin", OWN, ownCourse, true],
    ["admin", OTHERS, othersCourse, true],
    ["instructor", OWN, ownCourse, true],
    ["instructor", OTHERS, othersCourse, false],
    ["student", OWN, ownCourse, false],
    ["parent", OWN, ownCourse, false],
  ] as const)("submissionRules.grade for %s on %s: %s", (role, _label, course, allowed) => {
    expect(submissionRules.grade(actorOf(role), course)).toBe(allowed);
  });
});

describe("parent-link scope and rules", () => {
  it.each([
    ["admin", { kind: "all" }],
    ["parent", { kind: "parent", parentId: ID.parent }],
    ["instructor", { kind: "none" }],
    ["student", { kind: "none" }],
  ] as const)("%s's parent-link scope is %j", (role, scope) => {
    expect(parentLinkReadScope(actorOf(role))).toEqual(scope);
  });

  it.each(ROLES.map((role) => [role, role === "admin"] as const))(
    "parentLinkRules.create for %s: %s",
    (role, allowed) => {
      expect(parentLinkRules.create(actorOf(role))).toBe(allowed);
    },
  );
});

describe("scopes are computed from the actor, not shared", () => {
  it("two instructors get scopes naming each of them", () => {
    const other: Actor = { userId: ID.otherInstructor, role: "instructor" };
    expect(courseReadScope(other)).toEqual({ kind: "taughtBy", instructorId: ID.otherInstructor });
    expect(submissionReadScope(other)).toEqual({
      kind: "taughtBy",
      instructorId: ID.otherInstructor,
    });
    expect(userReadScope(other)).toEqual({
      kind: "selfAndTaughtStudents",
      instructorId: ID.otherInstructor,
    });
  });
});
