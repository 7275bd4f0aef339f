import type { z } from "zod";
import { type ResponseIssue, ResponseValidationError } from "../errors/errors.js";

/**
 * Checks a response body against its contract. The body itself is returned
 * untouched (not zod's parsed copy), so fields a newer server adds pass through
 * and results are the same with validation on or off.
 */
export function validateResponse<T>(
  schema: z.ZodType<T>,
  body: unknown,
  context: { readonly label: string; readonly status: number; readonly requestId: string | null },
): T {
  const result = schema.safeParse(body);
  if (result.success) return body as T;
  const issues: ResponseIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const shown = issues
    .slice(0, 5)
    .map((issue) => `${issue.path || "(body)"}: ${issue.message}`)
    .join("; ");
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  throw new ResponseValidationError(
    `The response to ${context.label} does not match the API contract: ${shown}${more}.`,
    { status: context.status, requestId: context.requestId, issues },
  );
}
