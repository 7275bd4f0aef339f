/** Postgres SQLSTATEs core turns into typed errors (same codes from pg and PGlite). */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export const isUniqueViolation = (error: unknown) => sqlState(error) === "23505";
