import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as contracts from "../src/contracts/index.js";
import {
  AcademySchema,
  AcademySlugSchema,
  AssignmentListQuerySchema,
  AssignmentSchema,
  CreateAcademyBodySchema,
  CreateAcademyResponseSchema,
  CreateAssignmentBodySchema,
  CreateCourseBodySchema,
  CreateEnrollmentBodySchema,
  CreateParentLinkBodySchema,
  CreateSubmissionBodySchema,
  CreateUserBodySchema,
  EmailSchema,
  GradeSubmissionBodySchema,
  HealthSchema,
  IdParamsSchema,
  ImpersonationBodySchema,
  LoginBodySchema,
  LoginResponseSchema,
  MeResponseSchema,
  PageQuerySchema,
  PasswordSchema,
  ProblemDocumentSchema,
  StudentAssignmentPageSchema,
  StudentAssignmentSchema,
  SubmissionListQuerySchema,
  SubmissionSchema,
  UpdateAcademyBodySchema,
  UpdateCourseBodySchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
} from "../src/contracts/index.js";

const now = "2025-01-15T10:30:00.000Z";
const id = () => randomUUID();

const validUserRow = () => ({
  id: id(),
  email: "ada@example.com",
  name: "Ada",
  role: "student",
  academyId: id(),
});

const validAssignmentRow = () => ({
  id: id(),
  courseId: id(),
  title: "Linear equations",
  instructions: "Solve 2x + 3 = 7 and explain each step.",
  maxPoints: 10,
  dueAt: null,
  tutorMode: "socratic",
  rubric: [{ id: "steps", description: "Shows each step", points: 10 }],
  referenceAnswer: "x = 2",
  createdAt: now,
  updatedAt: now,
});

/** One valid example per request body, so one loop can try smuggling fields into each. */
const validBodies: Array<[string, z.ZodType, Record<string, unknown>]> = [
  ["LoginBody", LoginBodySchema, { academy: "acme", email: "a@b.co", password: "x" }],
  [
    "CreateAcademyBody",
    CreateAcademyBodySchema,
    { slug: "acme", name: "Acme", admin: { email: "a@b.co", name: "A", password: "password1" } },
  ],
  ["UpdateAcademyBody", UpdateAcademyBodySchema, { status: "suspended" }],
  [
    "ImpersonationBody",
    ImpersonationBodySchema,
    { academyId: id(), userId: id(), reason: "support ticket 42" },
  ],
  [
    "CreateUserBody",
    CreateUserBodySchema,
    { email: "a@b.co", name: "A", role: "student", password: "password1" },
  ],
  ["UpdateUserBody", UpdateUserBodySchema, { name: "B" }],
  ["CreateParentLinkBody", CreateParentLinkBodySchema, { parentId: id(), studentId: id() }],
  ["CreateCourseBody", CreateCourseBodySchema, { title: "SAT Math", instructorId: id() }],
  ["UpdateCourseBody", UpdateCourseBodySchema, { title: "SAT Math II" }],
  ["CreateEnrollmentBody", CreateEnrollmentBodySchema, { studentId: id() }],
  [
    "CreateAssignmentBody",
    CreateAssignmentBodySchema,
    { title: "HW 1", instructions: "Do it", maxPoints: 10 },
  ],
  ["CreateSubmissionBody", CreateSubmissionBodySchema, { content: "x = 2" }],
  ["GradeSubmissionBody", GradeSubmissionBodySchema, { grade: 8 }],
];

describe("request bodies are strict", () => {
  it("unknown fields in a create-user body are rejected", () => {
    const body = { email: "a@b.co", name: "A", role: "student", password: "password1" };
    expect(CreateUserBodySchema.safeParse(body).success).toBe(true);
    for (const extra of ["tenantId", "academyId", "id", "passwordHash"]) {
      const result = CreateUserBodySchema.safeParse({ ...body, [extra]: "x" });
      expect(result.success, extra).toBe(false);
      expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
    }
  });

  it.each(validBodies)(
    "%s accepts its example and rejects a smuggled tenantId",
    (_, schema, body) => {
      expect(schema.safeParse(body).success).toBe(true);
      expect(schema.safeParse({ ...body, tenantId: id() }).success).toBe(false);
    },
  );

  it("the nested academy admin is strict too", () => {
    const body = {
      slug: "acme",
      name: "Acme",
      admin: { email: "a@b.co", name: "A", password: "password1", role: "platform_admin" },
    };
    expect(CreateAcademyBodySchema.safeParse(body).success).toBe(false);
  });

  it("role cannot be changed through a user update", () => {
    expect(UpdateUserBodySchema.safeParse({ name: "B", role: "admin" }).success).toBe(false);
  });

  it("a create-user body cannot grant a platform role", () => {
    const body = { email: "a@b.co", name: "A", password: "password1" };
    expect(CreateUserBodySchema.safeParse({ ...body, role: "platform_admin" }).success).toBe(false);
    expect(CreateUserBodySchema.safeParse({ ...body, role: "instructor" }).success).toBe(true);
  });
});

describe("output schemas", () => {
  it("output schemas strip passwordHash", () => {
    const row = { ...validUserRow(), passwordHash: "$argon2id$secret", tenantId: id() };
    const user = UserSchema.parse(row);
    expect(user).not.toHaveProperty("passwordHash");
    expect(user).not.toHaveProperty("tenantId");

    const login = LoginResponseSchema.parse({
      accessToken: "t",
      tokenType: "Bearer",
      expiresIn: 900,
      user: row,
    });
    expect(login.user).not.toHaveProperty("passwordHash");

    const page = UserPageSchema.parse({ data: [row], nextCursor: null });
    expect(page.data[0]).not.toHaveProperty("passwordHash");

    const academy = {
      id: id(),
      slug: "acme",
      name: "Acme",
      status: "active",
      placement: "shared",
      createdAt: now,
      deletedAt: null,
      jwtSecret: "a column a future query might select",
    };
    const created = CreateAcademyResponseSchema.parse({ academy, admin: row });
    expect(created.admin).not.toHaveProperty("passwordHash");
    expect(created.academy).not.toHaveProperty("jwtSecret");
    expect(created.academy.deletedAt).toBeNull();
  });

  it("student assignment view has no referenceAnswer", () => {
    const row = validAssignmentRow();
    expect(AssignmentSchema.parse(row).referenceAnswer).toBe("x = 2");
    expect(Object.keys(StudentAssignmentSchema.shape)).not.toContain("referenceAnswer");
    expect(StudentAssignmentSchema.parse(row)).not.toHaveProperty("referenceAnswer");
    const page = StudentAssignmentPageSchema.parse({ data: [row], nextCursor: "c" });
    expect(page.data[0]).not.toHaveProperty("referenceAnswer");
  });

  it("platform users have no academy", () => {
    const user = { ...validUserRow(), role: "platform_admin", academyId: null };
    expect(MeResponseSchema.safeParse({ user, academy: null }).success).toBe(true);
  });

  it("output timestamps must carry Z or an offset", () => {
    const base = {
      id: id(),
      slug: "acme",
      name: "Acme",
      status: "active",
      placement: "shared",
      deletedAt: null,
    };
    expect(AcademySchema.safeParse({ ...base, createdAt: now }).success).toBe(true);
    expect(
      AcademySchema.safeParse({ ...base, createdAt: "2025-01-15T10:30:00+02:00" }).success,
    ).toBe(true);
    expect(AcademySchema.safeParse({ ...base, createdAt: "2025-01-15T10:30:00" }).success).toBe(
      false,
    );
    expect(AcademySchema.safeParse({ ...base, createdAt: new Date() }).success).toBe(false);
  });

  it("an ungraded submission has null grading fields", () => {
    const row = {
      id: id(),
      assignmentId: id(),
      studentId: id(),
      content: "x = 2",
      grade: null,
      feedback: null,
      gradedAt: null,
      submittedAt: now,
    };
    expect(SubmissionSchema.safeParse(row).success).toBe(true);
    expect(SubmissionSchema.safeParse({ ...row, submittedAt: null }).success).toBe(false);
  });

  it("problem documents carry field errors as path and message", () => {
    const problem = {
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      detail: "The body is invalid",
      code: "validation_failed",
      errors: [{ path: "admin.email", message: "Invalid email address" }],
    };
    expect(ProblemDocumentSchema.safeParse(problem).success).toBe(true);
    const { errors: _errors, ...withoutErrors } = problem;
    expect(ProblemDocumentSchema.safeParse(withoutErrors).success).toBe(true);
    expect(ProblemDocumentSchema.safeParse({ ...problem, code: undefined }).success).toBe(false);
  });

  it("health says ok and nothing else", () => {
    expect(HealthSchema.safeParse({ status: "ok" }).success).toBe(true);
    expect(HealthSchema.safeParse({ status: "down" }).success).toBe(false);
  });
});

describe("pagination", () => {
  it("page limit outside 1..100 is rejected", () => {
    for (const limit of ["0", "101", "-1", "1.5", "abc", "", 0, 101]) {
      expect(PageQuerySchema.safeParse({ limit }).success, String(limit)).toBe(false);
    }
    expect(PageQuerySchema.parse({ limit: "1" }).limit).toBe(1);
    expect(PageQuerySchema.parse({ limit: "100" }).limit).toBe(100);
  });

  it("limit defaults to 50", () => {
    expect(PageQuerySchema.parse({})).toEqual({ limit: 50 });
  });

  it("cursors over 512 characters are rejected", () => {
    expect(PageQuerySchema.safeParse({ cursor: "c".repeat(512) }).success).toBe(true);
    expect(PageQuerySchema.safeParse({ cursor: "c".repeat(513) }).success).toBe(false);
  });

  it("list queries reject unknown parameters but accept their own filters", () => {
    expect(PageQuerySchema.safeParse({ tenantId: id() }).success).toBe(false);
    expect(UserListQuerySchema.safeParse({ role: "parent" }).success).toBe(true);
    expect(UserListQuerySchema.safeParse({ role: "platform_admin" }).success).toBe(false);
    expect(UserListQuerySchema.safeParse({ role: "parent", tenantId: id() }).success).toBe(false);
    expect(AssignmentListQuerySchema.parse({ courseId: id(), limit: "5" }).limit).toBe(5);
    expect(AssignmentListQuerySchema.safeParse({ courseId: "1" }).success).toBe(false);
    expect(
      SubmissionListQuerySchema.safeParse({ assignmentId: id(), studentId: id() }).success,
    ).toBe(true);
    expect(SubmissionListQuerySchema.safeParse({ courseId: id() }).success).toBe(false);
  });
});

describe("field rules", () => {
  it("slug rules", () => {
    for (const ok of ["abc", "acme-prep", "a1b", "0ab", "a".repeat(63)]) {
      expect(AcademySlugSchema.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of [
      "ab",
      "a".repeat(64),
      "Acme",
      "-abc",
      "abc-",
      "ac_me",
      "ac me",
      "acmé",
      "",
    ]) {
      expect(AcademySlugSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("update bodies need at least one field", () => {
    const cases: Array<[z.ZodType, string]> = [
      [UpdateUserBodySchema, "name"],
      [UpdateCourseBodySchema, "title"],
      [UpdateAcademyBodySchema, "name"],
    ];
    for (const [schema, key] of cases) {
      expect(schema.safeParse({}).success, key).toBe(false);
      // A key that is present but undefined is not a change either.
      expect(schema.safeParse({ [key]: undefined }).success, key).toBe(false);
      expect(schema.safeParse({ [key]: "Changed" }).success, key).toBe(true);
    }
    expect(UpdateUserBodySchema.safeParse({ email: "new@b.co" }).success).toBe(true);
    expect(UpdateAcademyBodySchema.safeParse({ name: "New name" }).success).toBe(true);
  });

  it("passwords over 256 characters are rejected", () => {
    expect(PasswordSchema.safeParse("p".repeat(256)).success).toBe(true);
    expect(PasswordSchema.safeParse("p".repeat(257)).success).toBe(false);
    const user = { email: "a@b.co", name: "A", role: "student" };
    expect(CreateUserBodySchema.safeParse({ ...user, password: "p".repeat(257) }).success).toBe(
      false,
    );
    expect(LoginBodySchema.safeParse({ email: "a@b.co", password: "p".repeat(257) }).success).toBe(
      false,
    );
    expect(UpdateUserBodySchema.safeParse({ password: "p".repeat(257) }).success).toBe(false);
  });

  it("new passwords need 8 characters but login does not reveal the policy", () => {
    expect(PasswordSchema.safeParse("1234567").success).toBe(false);
    expect(PasswordSchema.safeParse("12345678").success).toBe(true);
    expect(LoginBodySchema.safeParse({ email: "a@b.co", password: "1" }).success).toBe(true);
    expect(LoginBodySchema.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
  });

  it("emails are trimmed and lowercased before validation", () => {
    expect(EmailSchema.parse("  Ada@Example.COM ")).toBe("ada@example.com");
    expect(EmailSchema.safeParse("not-an-email").success).toBe(false);
    const long = `${"a".repeat(64)}@${"b".repeat(185)}.com`; // 254 characters
    expect(long).toHaveLength(254);
    expect(EmailSchema.safeParse(long).success).toBe(true);
    expect(EmailSchema.safeParse(`a${long}`).success).toBe(false);
  });

  it("names are trimmed and must not be blank", () => {
    const body = { email: "a@b.co", role: "student", password: "password1" };
    expect(CreateUserBodySchema.parse({ ...body, name: "  Ada  " }).name).toBe("Ada");
    expect(CreateUserBodySchema.safeParse({ ...body, name: "   " }).success).toBe(false);
    expect(CreateUserBodySchema.safeParse({ ...body, name: "n".repeat(201) }).success).toBe(false);
  });

  it("malformed ids are rejected", () => {
    expect(IdParamsSchema.safeParse({ id: randomUUID() }).success).toBe(true);
    for (const bad of ["1", "not-a-uuid", "' OR 1=1 --", `${randomUUID()}x`]) {
      expect(IdParamsSchema.safeParse({ id: bad }).success, bad).toBe(false);
    }
  });

  it("impersonation needs a real reason and a bounded ttl", () => {
    const body = { academyId: id(), userId: id(), reason: "ticket 42" };
    expect(ImpersonationBodySchema.safeParse({ ...body, reason: "   ab   " }).success).toBe(false);
    expect(ImpersonationBodySchema.safeParse({ ...body, reason: "r".repeat(501) }).success).toBe(
      false,
    );
    for (const ttlSeconds of [59, 3601, 90.5]) {
      expect(ImpersonationBodySchema.safeParse({ ...body, ttlSeconds }).success).toBe(false);
    }
    expect(ImpersonationBodySchema.safeParse({ ...body, ttlSeconds: 3600 }).success).toBe(true);
  });

  it("a course description can be cleared with null only on update", () => {
    const instructorId = id();
    expect(UpdateCourseBodySchema.safeParse({ description: null }).success).toBe(true);
    expect(
      CreateCourseBodySchema.safeParse({ title: "T", instructorId, description: null }).success,
    ).toBe(false);
    expect(
      CreateCourseBodySchema.safeParse({ title: "T", instructorId, description: "d".repeat(5001) })
        .success,
    ).toBe(false);
  });

  it("grades are non-negative finite numbers", () => {
    for (const grade of [-1, Number.NaN, Number.POSITIVE_INFINITY, "8"]) {
      expect(GradeSubmissionBodySchema.safeParse({ grade }).success, String(grade)).toBe(false);
    }
    expect(GradeSubmissionBodySchema.safeParse({ grade: 0 }).success).toBe(true);
    expect(GradeSubmissionBodySchema.safeParse({ grade: 7.5, feedback: "ok" }).success).toBe(true);
  });

  it("submission content must be 1..100000 characters", () => {
    expect(CreateSubmissionBodySchema.safeParse({ content: "" }).success).toBe(false);
    expect(CreateSubmissionBodySchema.safeParse({ content: "c".repeat(100_000) }).success).toBe(
      true,
    );
    expect(CreateSubmissionBodySchema.safeParse({ content: "c".repeat(100_001) }).success).toBe(
      false,
    );
  });
});

describe("assignment bodies", () => {
  const base = { title: "HW 1", instructions: "Do it", maxPoints: 10 };

  it("tutor mode defaults to socratic", () => {
    expect(CreateAssignmentBodySchema.parse(base).tutorMode).toBe("socratic");
    expect(CreateAssignmentBodySchema.parse({ ...base, tutorMode: "off" }).tutorMode).toBe("off");
    expect(CreateAssignmentBodySchema.safeParse({ ...base, tutorMode: "answers" }).success).toBe(
      false,
    );
  });

  it("maxPoints is an integer in 1..10000", () => {
    for (const maxPoints of [0, 10_001, 2.5]) {
      expect(CreateAssignmentBodySchema.safeParse({ ...base, maxPoints }).success).toBe(false);
    }
  });

  it("dueAt needs a timezone", () => {
    const ok = { ...base, dueAt: "2025-02-01T23:59:00-05:00" };
    expect(CreateAssignmentBodySchema.safeParse(ok).success).toBe(true);
    const local = { ...base, dueAt: "2025-02-01T23:59:00" };
    expect(CreateAssignmentBodySchema.safeParse(local).success).toBe(false);
  });

  it("rubric criteria are strict, unique and 1..20", () => {
    const criterion = (n: number) => ({ id: `c${n}`, description: "Shows work", points: 2 });
    expect(CreateAssignmentBodySchema.safeParse({ ...base, rubric: [criterion(1)] }).success).toBe(
      true,
    );
    expect(CreateAssignmentBodySchema.safeParse({ ...base, rubric: [] }).success).toBe(false);
    const many = Array.from({ length: 21 }, (_, n) => criterion(n));
    expect(CreateAssignmentBodySchema.safeParse({ ...base, rubric: many }).success).toBe(false);
    const dup = [criterion(1), criterion(1)];
    expect(CreateAssignmentBodySchema.safeParse({ ...base, rubric: dup }).success).toBe(false);
    const smuggled = [{ ...criterion(1), tenantId: id() }];
    expect(CreateAssignmentBodySchema.safeParse({ ...base, rubric: smuggled }).success).toBe(false);
    const zero = [{ ...criterion(1), points: 0 }];
    expect(CreateAssignmentBodySchema.safeParse({ ...base, rubric: zero }).success).toBe(false);
  });
});

describe("OpenAPI metadata", () => {
  const objectSchemas = Object.entries(contracts as Record<string, unknown>).filter(
    (entry): entry is [string, z.ZodObject] =>
      entry[0].endsWith("Schema") && entry[1] instanceof z.ZodObject,
  );

  it("every exported object schema carries its component id", () => {
    expect(objectSchemas.length).toBeGreaterThan(30);
    for (const [name, schema] of objectSchemas) {
      expect(z.globalRegistry.get(schema)?.id, name).toBe(name.replace(/Schema$/, ""));
    }
  });

  it("the schemas convert to JSON Schema with unique component ids", () => {
    for (const io of ["input", "output"] as const) {
      const doc = z.toJSONSchema(z.globalRegistry, { io });
      expect(Object.keys(doc.schemas)).toEqual(
        expect.arrayContaining(["User", "StudentAssignment", "CreateAssignmentBody", "PageQuery"]),
      );
    }
    const student = z.toJSONSchema(StudentAssignmentSchema, { io: "output" });
    expect(JSON.stringify(student)).not.toContain("referenceAnswer");
  });
});
