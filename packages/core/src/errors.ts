/**
 * Core's typed errors. Each has a stable string `code` (what clients branch
 * on) and the HTTP status the server maps it to. `isSkillBridgeError` checks a
 * brand, not `instanceof`, so it holds across bundles and duplicate installs.
 */

export type SkillBridgeErrorCode =
  | "validation_failed"
  | "invalid_cursor"
  | "unauthenticated"
  | "forbidden"
  | "academy_suspended"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "payload_too_large"
  | "invalid_question_file"
  | "unsafe_database"
  | "migration_failed"
  | "internal";

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

const BRAND = Symbol.for("skillbridge.error");

export class SkillBridgeError extends Error {
  readonly code: SkillBridgeErrorCode;
  readonly status: number;
  readonly errors: readonly FieldProblem[] | undefined;
  readonly [BRAND] = true;

  constructor(
    code: SkillBridgeErrorCode,
    status: number,
    message: string,
    options?: { cause?: unknown; errors?: readonly FieldProblem[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.errors = options?.errors;
  }

  toJSON(): {
    code: SkillBridgeErrorCode;
    status: number;
    message: string;
    errors?: readonly FieldProblem[];
  } {
    return {
      code: this.code,
      status: this.status,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** True for any SkillBridge error, whichever copy of the package threw it. */
export function isSkillBridgeError(value: unknown): value is SkillBridgeError {
  return (
    typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

export class ValidationError extends SkillBridgeError {
  constructor(message: string, errors: readonly FieldProblem[] = []) {
    super("validation_failed", 400, message, { errors });
  }
}

export class InvalidCursorError extends SkillBridgeError {
  constructor() {
    super("invalid_cursor", 400, "The cursor is not valid for this list.");
  }
}

export class UnauthenticatedError extends SkillBridgeError {
  constructor(message = "Authentication is required.") {
    super("unauthenticated", 401, message);
  }
}

export class ForbiddenError extends SkillBridgeError {
  constructor(message = "Your role may not do this.") {
    super("forbidden", 403, message);
  }
}

export class AcademySuspendedError extends SkillBridgeError {
  constructor() {
    super("academy_suspended", 403, "This academy is suspended.");
  }
}

/** Also what another academy's object answers: indistinguishable from absence. */
export class NotFoundError extends SkillBridgeError {
  constructor(resource: string) {
    super("not_found", 404, `${resource} not found.`);
  }
}

export class ConflictError extends SkillBridgeError {
  constructor(message: string) {
    super("conflict", 409, message);
  }
}

/** The database is configured so that isolation cannot be guaranteed: refuse to serve. */
export class UnsafeDatabaseError extends SkillBridgeError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super("unsafe_database", 500, `Refusing to serve tenant traffic: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

export class MigrationFailedError extends SkillBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("migration_failed", 500, message, options);
  }
}

/** Code tried to write `tenant_id` itself, or a query shape the tenant scope cannot stamp: a bug. */
export class TenantScopeViolationError extends SkillBridgeError {
  constructor(message: string) {
    super("internal", 500, `Tenant scope violation: ${message}`);
  }
}

export class RateLimitedError extends SkillBridgeError {
  /** Seconds until a retry can succeed (the `Retry-After` header). */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = "Too many requests.") {
    super("rate_limited", 429, message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/**
 * A question file that cannot be read as a whole (wrong encoding, a broken
 * CSV quote, a header or JSON structure that is not a question file). Row
 * problems are never thrown: they come back as rejected rows.
 */
export class QuestionFileError extends SkillBridgeError {
  /** The 1-based source line the problem was found on, when there is one. */
  readonly line: number | undefined;

  constructor(message: string, line?: number, options?: { cause?: unknown }) {
    super(
      "invalid_question_file",
      400,
      line === undefined ? message : `Line ${line}: ${message}`,
      options,
    );
    this.line = line;
  }
}
