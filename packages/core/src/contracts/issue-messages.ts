import { z } from "zod";

// Zod's own messages are written for developers ("Invalid input: expected
// number, received undefined"). These say the same to the person who typed
// the value, naming the field and what it takes: "difficulty is missing
// (a whole number from 1 to 5)". Used wherever a parse meets user input (the
// server's route bodies and queries, core's services, the CLI's prompts):
// `schema.safeParse(value, { error: issueMessage })`. A message a schema
// sets itself ("Provide at least one field to change") wins over these.

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];
type Shape = {
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
};

/** The JSON Schema of the value's schema (its input side), for its bounds and options. */
function shapeOf(issue: RawIssue): Shape {
  const inst = issue.inst as z.ZodType | undefined;
  if (!inst || !("_zod" in inst)) return {};
  try {
    return z.toJSONSchema(inst, { io: "input", unrepresentable: "any" }) as Shape;
  } catch {
    return {};
  }
}

function range(low: number | undefined, high: number | undefined, unit = ""): string | undefined {
  // A whole-number check alone states the safe-integer range (±2^53-1): no bound a person set.
  if (low !== undefined && low <= Number.MIN_SAFE_INTEGER) low = undefined;
  if (high !== undefined && high >= Number.MAX_SAFE_INTEGER) high = undefined;
  if (low !== undefined && high !== undefined) return `${low}-${high}${unit}`;
  if (low !== undefined) return `at least ${low}${unit}`;
  if (high !== undefined) return `at most ${high}${unit}`;
  return undefined;
}

/** What a value of this shape is, for "must be …" and "(…)": "a whole number from 1 to 5". */
function takes(shape: Shape, expected: string | undefined): string | undefined {
  if (shape.enum) return `one of ${shape.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  const type = Array.isArray(shape.type) ? shape.type[0] : (shape.type ?? expected);
  switch (type) {
    case "integer":
    case "int": {
      const between = range(shape.minimum, shape.maximum);
      return between ? `a whole number ${between}` : "a whole number";
    }
    case "number": {
      const between = range(shape.minimum, shape.maximum);
      return between ? `a number ${between}` : "a number";
    }
    case "string": {
      // "at least 1 characters" is only "not empty", which "is missing" or "is empty" already says.
      const min =
        shape.minLength === 1 && shape.maxLength === undefined ? undefined : shape.minLength;
      const length = range(min, shape.maxLength, " characters");
      return length ? `text of ${length}` : "text";
    }
    case "boolean":
      return "true or false";
    case "array": {
      const items = range(shape.minItems, shape.maxItems, " items");
      return items ? `a list of ${items}` : "a list";
    }
    case "object":
      return "an object";
    default:
      return undefined;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  // A number of the wrong kind (2.5 for a whole number) is named as it is.
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * A zod error map in the user's language, naming the field by its dotted
 * path. Returns undefined (zod's own message) for what it does not know.
 *
 * @example
 * const result = QuestionInputSchema.safeParse(row, { error: issueMessage });
 * // { path: "difficulty", message: "difficulty is missing (a whole number 1-5)" }
 */
export function issueMessage(issue: RawIssue): string | undefined {
  const name = issue.path?.length ? issue.path.map(String).join(".") : "The value";
  switch (issue.code) {
    case "invalid_type": {
      const what = takes(shapeOf(issue), issue.expected);
      if (issue.input === undefined) return `${name} is missing${what ? ` (${what})` : ""}`;
      // NaN is what a coerced field makes of text: "not a number" would say nothing.
      if (typeof issue.input === "number" && Number.isNaN(issue.input))
        return `${name} must be ${what ?? issue.expected}`;
      return `${name} must be ${what ?? issue.expected}, not ${kindOf(issue.input)}`;
    }
    case "too_small":
    case "too_big": {
      // The bound that failed is the issue's; the other one, if any, is the schema's.
      const small = issue.code === "too_small";
      const bound = Number(small ? issue.minimum : issue.maximum);
      const shape = shapeOf(issue);
      if (issue.origin === "string") {
        if (small && bound === 1) return `${name} is empty`;
        const length = small
          ? range(bound, shape.maxLength, " characters")
          : range(shape.minLength, bound, " characters");
        return `${name} must be text of ${length}`;
      }
      if (issue.origin === "array" || issue.origin === "set") {
        const items = small
          ? range(bound, shape.maxItems, " items")
          : range(shape.minItems, bound, " items");
        return `${name} must be a list of ${items}`;
      }
      const between = small ? range(bound, shape.maximum) : range(shape.minimum, bound);
      const whole = shape.type === "integer" ? "a whole number " : "";
      return `${name} must be ${whole}${between}`;
    }
    case "invalid_value":
      return `${name} must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`}`;
    case "invalid_format":
      switch (issue.format) {
        case "email":
          return `${name} is not an email address`;
        case "uuid":
        case "guid":
          return `${name} is not an id (a UUID)`;
        case "datetime":
          return `${name} is not a date and time (ISO 8601, e.g. 2026-03-01T09:00:00Z)`;
        default:
          return undefined;
      }
    case "not_multiple_of":
      return `${name} must be a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}
