import { z } from "zod";
import { EmailSchema, NameSchema, PasswordSchema, PlatformRoleSchema } from "./common.js";

/**
 * `POST /admin/users`: a platform user (no academy). `content_manager` is the
 * least-privilege account for content teams: it may import, retire and read
 * the shared bank, and nothing about academies.
 */
export const CreatePlatformUserBodySchema = z
  .strictObject({
    email: EmailSchema,
    name: NameSchema,
    role: PlatformRoleSchema,
    password: PasswordSchema,
  })
  .meta({ id: "CreatePlatformUserBody" });

export type CreatePlatformUserBody = z.infer<typeof CreatePlatformUserBodySchema>;
export type CreatePlatformUserBodyInput = z.input<typeof CreatePlatformUserBodySchema>;
