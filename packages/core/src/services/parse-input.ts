import type { z } from "zod";
import { type FieldProblem, ValidationError } from "../errors.js";

/**
 * Zod issues as field problems with dotted paths. An unknown key is reported
 * at its own path (`tenantId`, `admin.role`), not at the object holding it.
 */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...at, key].join("."),
        message: `Unknown field "${key}".`,
      }));
    }
    return [{ path: at.join("."), message: issue.message }];
  });
}

/**
 * Services re-validate what they are given: the server already parsed it, but
 * core is also called by embedders, and bad input must never reach SQL.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError("The request is not valid.", fieldProblems(result.error));
}
