import { z } from "zod";

/** Every id in the API is a UUID; anything else is rejected before it reaches SQL. */
export const UuidSchema = z.uuid();

/** Timestamps leave the server as ISO 8601 with `Z` or an explicit offset, never local time. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/**
 * Emails are normalised (trimmed, lowercased) before validation so that lookups at login
 * and uniqueness checks see a single spelling of the same address.
 */
export const EmailSchema = z.string().trim().toLowerCase().max(254).check(z.email());

/**
 * A new password. The upper bound rejects huge inputs before they reach the
 * (deliberately slow) password hash, where they would cost CPU for nothing.
 */
export const PasswordSchema = z.string().min(8).max(256);

/**
 * Control characters (C0, DEL, C1) and unpaired UTF-16 surrogates. A lone
 * surrogate cannot be stored as UTF-8: it would come back as U+FFFD, so a
 * name is refused rather than silently changed. Tabs and newlines are control
 * characters too: a name is one line.
 */
const NOT_PRINTABLE = /[\p{Cc}\p{Cs}]/u;

/** One line of printable text, 1-200 characters after trimming: names and titles. */
function lineOfText(what: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((text) => !NOT_PRINTABLE.test(text), {
      message: `${what} may not contain control characters or unpaired surrogates`,
    })
    .meta({
      description: `${what}: 1-200 characters, no control characters or unpaired UTF-16 surrogates`,
    });
}

/** A person's or an academy's display name; surrounding whitespace is never meaningful. */
export const NameSchema = lineOfText("A name");

/** Course, assignment and quiz titles follow the same rules as names. */
export const TitleSchema = lineOfText("A title");

/** Roles inside one academy. */
export const AcademyRoleSchema = z
  .enum(["admin", "instructor", "student", "parent"])
  .meta({ id: "AcademyRole" });

/** Roles of platform users, who belong to no academy. */
export const PlatformRoleSchema = z
  .enum(["platform_admin", "content_manager"])
  .meta({ id: "PlatformRole" });

/** Any role a signed-in user can hold; the two sets never overlap. */
export const RoleSchema = z.union([AcademyRoleSchema, PlatformRoleSchema]).meta({ id: "Role" });

/**
 * List query. Strict so a misspelt filter is a 400 rather than silently ignored; an
 * out-of-range `limit` is rejected, not clamped, so callers learn the real bounds.
 * Coercion is needed because query-string values arrive as strings.
 */
export const PageQuerySchema = z
  .strictObject({
    limit: z.coerce.number<number>().int().min(1).max(100).default(50),
    cursor: z.string().max(512).optional(),
  })
  .meta({ id: "PageQuery" });

/** Path parameters of `/:id` routes; a malformed id fails here instead of inside the database. */
export const IdParamsSchema = z.strictObject({ id: UuidSchema }).meta({ id: "IdParams" });

/** Every list response wraps its items the same way; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable(),
  });
}

/**
 * One field-level problem. `path` is the dotted location in the input (`admin.email`,
 * `rubric.0.points`) so clients can show it next to a form field; empty for the whole body.
 */
export const ProblemFieldErrorSchema = z
  .object({
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: "ProblemFieldError" });

/** RFC 9457 problem document; `code` is the stable, machine-readable part clients branch on. */
export const ProblemDocumentSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(100).max(599),
    detail: z.string(),
    code: z.string(),
    errors: z.array(ProblemFieldErrorSchema).optional(),
  })
  .meta({ id: "ProblemDocument" });

/** `GET /health`: the process is alive (it says nothing about the database). */
export const HealthSchema = z.object({ status: z.literal("ok") }).meta({ id: "Health" });

/**
 * Refinement for PATCH bodies: an empty change set is almost always a client bug, so it is
 * a 400 rather than a silent no-op. Keys present with `undefined` do not count.
 */
export function hasAtLeastOneField(body: Record<string, unknown>): boolean {
  return Object.values(body).some((value) => value !== undefined);
}

/** Shared message so every PATCH route reports an empty body the same way. */
export const AT_LEAST_ONE_FIELD = "Provide at least one field to change";

export type AcademyRole = z.infer<typeof AcademyRoleSchema>;
export type PlatformRole = z.infer<typeof PlatformRoleSchema>;
export type Role = z.infer<typeof RoleSchema>;
export type PageQuery = z.infer<typeof PageQuerySchema>;
/** What a client may send: `limit` may be left out. */
export type PageQueryInput = z.input<typeof PageQuerySchema>;
export type IdParams = z.infer<typeof IdParamsSchema>;
/** Any list response; every `*Page` type is an instance of it. */
export type Page<T> = { data: T[]; nextCursor: string | null };
export type ProblemFieldError = z.infer<typeof ProblemFieldErrorSchema>;
export type ProblemDocument = z.infer<typeof ProblemDocumentSchema>;
export type Health = z.infer<typeof HealthSchema>;
