import { z } from "zod";
import { AcademySchema, AcademySlugSchema } from "./academies.js";
import { EmailSchema, PasswordSchema } from "./common.js";
import { UserSchema } from "./users.js";

/**
 * `POST /auth/login`. Without `academy` the credentials are a platform user's. The password
 * is only bounded, not checked against the policy, so a failed login reveals nothing about it.
 */
export const LoginBodySchema = z
  .strictObject({
    academy: AcademySlugSchema.optional(),
    email: EmailSchema,
    password: z.string().min(1).max(256),
  })
  .meta({ id: "LoginBody" });

/** `POST /auth/login` 200 response; `expiresIn` is in seconds. */
export const LoginResponseSchema = z
  .object({
    accessToken: z.string().min(1),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().positive(),
    user: UserSchema,
  })
  .meta({ id: "LoginResponse" });

/**
 * An invitation token as it appears in `/auth/invitations/{token}`: 32 random
 * bytes, base64url. Anything else names no invitation (404).
 */
export const InvitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** `POST /auth/invitations/{token}` path parameters. */
export const InvitationParamsSchema = z
  .object({ token: InvitationTokenSchema })
  .meta({ id: "InvitationParams" });

/** `POST /auth/invitations/{token}`: the invited user's own password (the usual policy). */
export const AcceptInvitationBodySchema = z
  .strictObject({ password: PasswordSchema })
  .meta({ id: "AcceptInvitationBody" });

/** `GET /me`; `academy` is null for platform users. */
export const MeResponseSchema = z
  .object({
    user: UserSchema,
    academy: AcademySchema.nullable(),
  })
  .meta({ id: "MeResponse" });

export type LoginBody = z.infer<typeof LoginBodySchema>;
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBodySchema>;
export type MeResponse = z.infer<typeof MeResponseSchema>;
