import type { z } from "zod";
import { issueMessage } from "../contracts/issue-messages.js";
import { type FieldProblem, ValidationError } from "../errors.js";

/**
 * Zod issues as field problems with dotted paths: the one place they become
 * what a user reads. Parse with `{ error: issueMessage }` for messages in the
 * user's language ("difficulty is missing (a whole number 1-5)"); a message
 * zod wrote itself is passed on as it is. An unknown key is reported
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
  const result = schema.safeParse(input, { error: issueMessage });
  if (result.success) return result.data;
  throw new ValidationError("The request is not valid.", fieldProblems(result.error));
}
