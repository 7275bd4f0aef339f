import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CreateAcademyBodySchema,
  CreateUserBodySchema,
  IdParamsSchema,
  issueMessage,
  QuestionInputSchema,
} from "../src/contracts/index.js";
import { fieldProblems, parseInput, ValidationError } from "../src/index.js";

// Validation messages in the user's language, naming the field and what it
// takes, instead of zod's developer text ("Invalid input: expected number,
// received undefined"): the one shared place where zod issues become what a
// person reads (#22).

const problems = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) throw new Error("expected a failure");
  return fieldProblems(result.error);
};

describe("issueMessage", () => {
  it("a question without its difficulty: 'difficulty is missing' with its range", () => {
    const found = problems(QuestionInputSchema, {
      type: "multiple_choice",
      topic: "algebra",
      prompt: "Which value solves 3x = 21?",
      options: [
        { id: "A", text: "6" },
        { id: "B", text: "7" },
      ],
      answer: "B",
    });
    expect(found).toContainEqual({
      path: "difficulty",
      message: "difficulty is missing (a whole number 1-5)",
    });
    expect(JSON.stringify(found)).not.toMatch(/Invalid input|received undefined/);
  });

  it("says what a field takes when the value is of the wrong kind or out of range", () => {
    const schema = z.strictObject({
      difficulty: z.number().int().min(1).max(5),
      role: z.enum(["admin", "student"]),
      name: z.string().min(1).max(200),
      tags: z.array(z.string()).max(2),
    });
    expect(
      problems(schema, { difficulty: "3", role: "boss", name: "", tags: ["a", "b", "c"] }),
    ).toEqual([
      { path: "difficulty", message: "difficulty must be a whole number 1-5, not text" },
      { path: "role", message: 'role must be one of "admin", "student"' },
      { path: "name", message: "name is empty" },
      { path: "tags", message: "tags must be a list of at most 2 items" },
    ]);
    expect(problems(schema.pick({ difficulty: true }), { difficulty: 9 })).toEqual([
      { path: "difficulty", message: "difficulty must be at most 5" },
    ]);
  });

  it("a fraction for a whole number names the value, never the safe-integer range", () => {
    const schema = z.strictObject({
      difficulty: z.number().int().min(1).max(5),
      limit: z.coerce.number().int().min(1).max(100),
    });
    const found = problems(schema, { difficulty: 2.5, limit: "1.5" });
    expect(found).toEqual([
      { path: "difficulty", message: "difficulty must be a whole number, not 2.5" },
      { path: "limit", message: "limit must be a whole number, not 1.5" },
    ]);
    // Text coerced to a number is NaN: the field's rule, not "not a number".
    expect(problems(schema.pick({ limit: true }), { limit: "abc" })).toEqual([
      { path: "limit", message: "limit must be a whole number 1-100" },
    ]);
    expect(problems(z.strictObject({ prompt: z.string().min(1) }), {})).toEqual([
      { path: "prompt", message: "prompt is missing (text)" },
    ]);
  });

  it("names nested fields by their dotted path, and formats in words", () => {
    expect(
      problems(CreateAcademyBodySchema, {
        slug: "north-prep",
        name: "North Prep",
        admin: { email: "not-an-email", name: "Ada", password: "long enough 1" },
      }),
    ).toEqual([{ path: "admin.email", message: "admin.email is not an email address" }]);
    expect(problems(IdParamsSchema, { id: "42" })).toEqual([
      { path: "id", message: "id is not an id (a UUID)" },
    ]);
  });

  it("keeps a message the schema wrote itself, and reports unknown fields by name", () => {
    const found = problems(CreateUserBodySchema, {
      email: "sam@north.example",
      name: "Sam\u0007",
      role: "student",
      password: "long enough 1",
      tenantId: "x",
    });
    expect(found).toContainEqual({
      path: "name",
      message: "A name may not contain control characters or unpaired surrogates",
    });
    expect(found).toContainEqual({ path: "tenantId", message: 'Unknown field "tenantId".' });
  });

  it("is what core's services report", () => {
    const error = (() => {
      try {
        parseInput(CreateUserBodySchema, { email: "sam@north.example", role: "student" });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual(
      expect.arrayContaining([
        { path: "name", message: "name is missing (text of 1-200 characters)" },
        { path: "password", message: "password is missing (text of 8-256 characters)" },
      ]),
    );
  });
});
