import { z } from "zod";
import {
  AcademyRoleSchema,
  AT_LEAST_ONE_FIELD,
  EmailSchema,
  hasAtLeastOneField,
  IsoDateTimeSchema,
  NameSchema,
  PageQuerySchema,
  PasswordSchema,
  pageOf,
  UuidSchema,
} from "./common.js";
import { UserSchema } from "./users.js";

/**
 * Academy slug: it appears in URLs and login forms, so it is kept DNS-label-like
 * (lowercase, digits, inner hyphens). Not lowercased for the caller: `Acme` is a 400,
 * so two spellings can never name one academy.
 */
export const AcademySlugSchema = z
  .string()
  .min(3)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, {
    message: "Use lowercase letters, digits and hyphens; start and end with a letter or digit",
  });

/** A suspended academy's users get 403 on tenant routes; deletion is separate (soft delete). */
export const AcademyStatusSchema = z.enum(["active", "suspended"]).meta({ id: "AcademyStatus" });

/** Where an academy's rows live: the shared schema or a dedicated Postgres schema. */
export const PlacementSchema = z.enum(["shared", "schema"]).meta({ id: "Placement" });

/** An academy as platform admins see it. */
export const AcademySchema = z
  .object({
    id: UuidSchema,
    slug: AcademySlugSchema,
    name: z.string(),
    status: AcademyStatusSchema,
    placement: PlacementSchema,
    createdAt: IsoDateTimeSchema,
    /** Set while the academy is soft-deleted (only lists asked for deleted academies show those). */
    deletedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "Academy" });

/**
 * The first admin, created together with the academy so it is never left without one.
 * Without `password` the admin is invited instead: the response carries a one-time
 * invitation token with which they choose their own password
 * (`POST /auth/invitations/{token}`), and onboarding spends no time hashing one.
 */
export const CreateAcademyAdminSchema = z
  .strictObject({
    email: EmailSchema,
    name: NameSchema,
    password: PasswordSchema.optional(),
  })
  .meta({ id: "CreateAcademyAdmin" });

/**
 * A first admin's invitation, returned once by onboarding: the token is not
 * stored (only its SHA-256 is), so it cannot be shown again. Good for one
 * `POST /auth/invitations/{token}` until `expiresAt` (7 days).
 */
export const InvitationSchema = z
  .object({
    token: z.string().min(1),
    expiresAt: IsoDateTimeSchema,
    /** Where to accept it, relative to the API root: `/auth/invitations/{token}`. */
    acceptPath: z.string(),
  })
  .meta({ id: "Invitation" });

/** `POST /admin/academies`. `placement` is left absent rather than defaulted so the server owns the default. */
export const CreateAcademyBodySchema = z
  .strictObject({
    slug: AcademySlugSchema,
    name: NameSchema,
    placement: PlacementSchema.optional(),
    admin: CreateAcademyAdminSchema,
  })
  .meta({ id: "CreateAcademyBody" });

/** `POST /admin/academies` 201 response; `invitation` only when the admin came without a password. */
export const CreateAcademyResponseSchema = z
  .object({
    academy: AcademySchema,
    admin: UserSchema,
    invitation: InvitationSchema.optional(),
  })
  .meta({ id: "CreateAcademyResponse" });

/** `PATCH /admin/academies/:id`: the slug is immutable because tokens and logins refer to it. */
export const UpdateAcademyBodySchema = z
  .strictObject({
    name: NameSchema.optional(),
    status: AcademyStatusSchema.optional(),
  })
  .refine(hasAtLeastOneField, { message: AT_LEAST_ONE_FIELD })
  .meta({ id: "UpdateAcademyBody" });

/**
 * `GET /admin/academies`: a page, optionally one slug (slugs are unique among live
 * academies, so `slug` finds at most one live academy), and deleted academies on request.
 */
export const AcademyListQuerySchema = PageQuerySchema.extend({
  slug: AcademySlugSchema.optional(),
  deleted: z.enum(["exclude", "include", "only"]).default("exclude"),
}).meta({ id: "AcademyListQuery" });

/**
 * `GET /admin/academies/:id/users`: the academy's user directory for platform admins,
 * who need a user's id to impersonate them. Narrowed by exact email or by role.
 */
export const AcademyUserQuerySchema = PageQuerySchema.extend({
  email: EmailSchema.optional(),
  role: AcademyRoleSchema.optional(),
}).meta({ id: "AcademyUserQuery" });

/** `GET /admin/academies` response. */
export const AcademyPageSchema = pageOf(AcademySchema).meta({ id: "AcademyPage" });

/** `POST /admin/academies/:id/move`: the placement to move the academy's rows to. */
export const MoveAcademyBodySchema = z
  .strictObject({ to: PlacementSchema })
  .meta({ id: "MoveAcademyBody" });

/** `POST /admin/academies/:id/move` 200 response: where it was, where it is, rows moved per table. */
export const MoveAcademyResponseSchema = z
  .object({
    academy: AcademySchema,
    from: PlacementSchema,
    to: PlacementSchema,
    tables: z.array(z.object({ table: z.string(), rows: z.number().int().nonnegative() })),
    durationMs: z.number().int().nonnegative(),
  })
  .meta({ id: "MoveAcademyResponse" });

/**
 * `POST /admin/impersonations`. A reason is mandatory (and trimmed, so blanks do not
 * count) because it is the audit trail; the TTL is capped at one hour.
 */
export const ImpersonationBodySchema = z
  .strictObject({
    academyId: UuidSchema,
    userId: UuidSchema,
    reason: z.string().trim().min(3).max(500),
    ttlSeconds: z.number().int().min(60).max(3600).optional(),
  })
  .meta({ id: "ImpersonationBody" });

/** `POST /admin/impersonations` 201 response; `expiresIn` is in seconds. */
export const ImpersonationResponseSchema = z
  .object({
    accessToken: z.string().min(1),
    expiresIn: z.number().int().positive(),
  })
  .meta({ id: "ImpersonationResponse" });

/** One audit-log entry. `targetId` is a string because not every target is a UUID row. */
export const AuditEventSchema = z
  .object({
    id: UuidSchema,
    occurredAt: IsoDateTimeSchema,
    actorId: UuidSchema.nullable(),
    action: z.string(),
    academyId: UuidSchema.nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "AuditEvent" });

/** `GET /admin/audit-log` response. */
export const AuditEventPageSchema = pageOf(AuditEventSchema).meta({ id: "AuditEventPage" });

export type AcademySlug = z.infer<typeof AcademySlugSchema>;
export type AcademyStatus = z.infer<typeof AcademyStatusSchema>;
export type Placement = z.infer<typeof PlacementSchema>;
export type Academy = z.infer<typeof AcademySchema>;
export type AcademyPage = z.infer<typeof AcademyPageSchema>;
export type AcademyListQuery = z.infer<typeof AcademyListQuerySchema>;
export type AcademyListQueryInput = z.input<typeof AcademyListQuerySchema>;
export type AcademyUserQuery = z.infer<typeof AcademyUserQuerySchema>;
export type AcademyUserQueryInput = z.input<typeof AcademyUserQuerySchema>;
export type Invitation = z.infer<typeof InvitationSchema>;
export type CreateAcademyAdmin = z.infer<typeof CreateAcademyAdminSchema>;
export type CreateAcademyBody = z.infer<typeof CreateAcademyBodySchema>;
export type CreateAcademyResponse = z.infer<typeof CreateAcademyResponseSchema>;
export type UpdateAcademyBody = z.infer<typeof UpdateAcademyBodySchema>;
export type MoveAcademyBody = z.infer<typeof MoveAcademyBodySchema>;
export type MoveAcademyResponse = z.infer<typeof MoveAcademyResponseSchema>;
export type ImpersonationBody = z.infer<typeof ImpersonationBodySchema>;
export type ImpersonationResponse = z.infer<typeof ImpersonationResponseSchema>;
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditEventPage = z.infer<typeof AuditEventPageSchema>;
