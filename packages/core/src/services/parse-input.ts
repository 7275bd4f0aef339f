import type { z } from "zod";
import { ValidationError } from "../errors.js";

/**
 * Services re-validate what they are given: the server already parsed it, but
 * core is also called by embedders, and bad input must never reach SQL.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    "The request is not valid.",
    result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  );
}
