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
  | "impersonation_forbidden"
  | "academy_suspended"
  | "not_found"
  | "conflict"
  | "invitation_expired"
  | "invitation_used"
  | "course_full"
  | "attempts_exhausted"
  | "bank_too_small"
  | "rate_limited"
  | "payload_too_large"
  | "invalid_question_file"
  | "unsupported_file"
  | "unsupported_media_type"
  | "unreadable_file"
  | "archive_too_large"
  | "unsafe_database"
  | "migration_failed"
  | "ai_budget_exhausted"
  | "ai_busy"
  | "ai_rate_limited"
  | "ai_unavailable"
  | "ai_output_invalid"
  | "database_in_use"
  | "move_verification_failed"
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

/**
 * A platform admin acting through impersonation tried to create or change a
 * credential (a password, an email, a new user, an admin): impersonation
 * shows an academy as its user sees it, and must not mint access that
 * outlives it (docs/security.md, "Impersonation").
 */
export class ImpersonationForbiddenError extends SkillBridgeError {
  constructor(
    message = "An impersonation cannot create or change credentials: no passwords, emails, new users or admins.",
  ) {
    super("impersonation_forbidden", 403, message);
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

/**
 * An invitation that was valid once and no longer is: 410 rather than 404, so
 * whoever holds the link learns to ask for a new one instead of retyping it.
 */
export class InvitationExpiredError extends SkillBridgeError {
  constructor() {
    super(
      "invitation_expired",
      410,
      "This invitation has expired; ask a platform admin for a new one.",
    );
  }
}

/** An invitation already accepted (each is good for one password, once). */
export class InvitationUsedError extends SkillBridgeError {
  constructor() {
    super(
      "invitation_used",
      410,
      "This invitation was already used; sign in with the password chosen then.",
    );
  }
}

/** A course's roster is at its capacity: no seat is left for another student. */
export class CourseFullError extends SkillBridgeError {
  constructor() {
    super("course_full", 409, "This course is full: every seat is taken.");
  }
}

/** A student has made every submission a quiz allows (`quizzes.allowed_attempts`). */
export class AttemptsExhaustedError extends SkillBridgeError {
  constructor(allowed: number) {
    super(
      "attempts_exhausted",
      409,
      `You have used all ${allowed} attempt${allowed === 1 ? "" : "s"} this quiz allows.`,
    );
  }
}

/**
 * The shared bank holds too few questions for what was asked (a practice
 * set with nothing to draw, a mock exam form, a quiz from the bank): the
 * message says what; `errors` name each shortfall where there are several,
 * e.g. `{ path: "math.difficulty.4", message: "needs 6 questions, the bank has 2" }`.
 */
export class BankTooSmallError extends SkillBridgeError {
  constructor(message: string, shortfalls: readonly FieldProblem[] = []) {
    super("bank_too_small", 409, message, shortfalls.length > 0 ? { errors: shortfalls } : {});
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

/**
 * An academy's move between placements found its two copies different (row
 * count or checksum of a table): the move is rolled back, the academy stays
 * where it was. A bug or a concurrent writer around the placement lock.
 */
export class MoveVerificationError extends SkillBridgeError {
  constructor(detail: string) {
    super(
      "move_verification_failed",
      500,
      `The academy's copy did not match its rows, so nothing was moved: ${detail}`,
    );
  }
}

export class MigrationFailedError extends SkillBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("migration_failed", 500, message, options);
  }
}

/** Another live process has the embedded database open; PGlite allows one process per data dir. */
export class DatabaseInUseError extends SkillBridgeError {
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      "database_in_use",
      409,
      `The embedded database in ${dataDir} is in use by process ${pid} (a running \`skillbridge serve\`?).`,
    );
    this.pid = pid;
  }
}

/** Code tried to write `tenant_id` itself, or a query shape the tenant scope cannot stamp: a bug. */
export class TenantScopeViolationError extends SkillBridgeError {
  constructor(message: string) {
    super("internal", 500, `Tenant scope violation: ${message}`);
  }
}

/** A body, an uploaded file or what it unpacks to is over a limit. */
export class PayloadTooLargeError extends SkillBridgeError {
  constructor(message: string) {
    super("payload_too_large", 413, message);
  }
}

/** An uploaded file of a kind SkillBridge does not read (only text, Markdown, PDF and DOCX). */
export class UnsupportedFileError extends SkillBridgeError {
  constructor(message: string) {
    super("unsupported_file", 415, message);
  }
}

/** The request body is not in the format the route takes (JSON, or a multipart upload). */
export class UnsupportedMediaTypeError extends SkillBridgeError {
  constructor(message: string) {
    super("unsupported_media_type", 415, message);
  }
}

/**
 * An uploaded file of a supported kind that cannot be used: corrupt,
 * truncated, password-protected, or without text to read (a scanned PDF).
 */
export class UnreadableFileError extends SkillBridgeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("unreadable_file", 422, message, options);
  }
}

/**
 * An uploaded archive (a Word document is a ZIP; a PDF holds compressed
 * streams) that unpacks to more than the limit, counted in bytes really
 * inflated, whatever the archive declares: a zip bomb, or simply too much.
 */
export class ArchiveLimitError extends SkillBridgeError {
  constructor(message: string) {
    super("archive_too_large", 422, message);
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

// ─── AI provider errors ──────────────────────────────────────────────────────

/** An AI call failed in a way the caller can wait out: `Retry-After` says how long. */
export class AiError extends SkillBridgeError {
  /** Seconds until a retry can succeed, when known (the `Retry-After` header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: SkillBridgeErrorCode,
    status: number,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number | undefined },
  ) {
    super(
      code,
      status,
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.retryAfterSeconds =
      options?.retryAfterSeconds === undefined
        ? undefined
        : Math.max(1, Math.ceil(options.retryAfterSeconds));
  }
}

/** The academy spent its daily AI token budget: one academy cannot drain the platform's quota. */
export class AiBudgetExhaustedError extends AiError {
  constructor(retryAfterSeconds: number) {
    super(
      "ai_budget_exhausted",
      429,
      "This academy's daily AI budget is spent; it renews at midnight UTC.",
      { retryAfterSeconds },
    );
  }
}

/** The academy already has as many AI calls running (and waiting) as it may. */
export class AiBusyError extends AiError {
  constructor() {
    super("ai_busy", 429, "This academy has too many AI requests in flight; retry shortly.", {
      retryAfterSeconds: 1,
    });
  }
}

/** The model provider rate-limited the platform for longer than a request may wait. */
export class AiRateLimitedError extends AiError {
  constructor(retryAfterSeconds: number | undefined, options?: { cause?: unknown }) {
    super("ai_rate_limited", 429, "The AI provider is rate limiting requests; retry later.", {
      retryAfterSeconds: retryAfterSeconds ?? 1,
      cause: options?.cause,
    });
  }
}

/** The model provider is down, unreachable, or refused the platform's credentials. */
export class AiUnavailableError extends AiError {
  constructor(
    message = "The AI provider is unavailable; retry shortly.",
    options?: { cause?: unknown; retryAfterSeconds?: number | undefined },
  ) {
    super("ai_unavailable", 503, message, options);
  }
}

/** The model answered, but not in the shape asked for, even after a repair attempt. */
export class AiOutputInvalidError extends AiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ai_output_invalid", 502, message, options);
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
