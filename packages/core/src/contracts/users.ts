import { z } from "zod";
import {
  AcademyRoleSchema,
  AT_LEAST_ONE_FIELD,
  EmailSchema,
  hasAtLeastOneField,
  NameSchema,
  PageQuerySchema,
  PasswordSchema,
  pageOf,
  RoleSchema,
  UuidSchema,
} from "./common.js";

/**
 * A user as the API shows it. Being a plain object, it strips anything else a row carries,
 * so `passwordHash` and `tenantId` cannot leak through a response.
 */
export const UserSchema = z
  .object({
    id: UuidSchema,
    email: z.email(),
    name: z.string(),
    role: RoleSchema,
    /** Null for platform users. */
    academyId: UuidSchema.nullable(),
  })
  .meta({ id: "User" });

/** `POST /users`: only academy roles; the academy comes from the token, never the body. */
export const CreateUserBodySchema = z
  .strictObject({
    email: EmailSchema,
    name: NameSchema,
    role: AcademyRoleSchema,
    password: PasswordSchema,
  })
  .meta({ id: "CreateUserBody" });

/** `PATCH /users/:id`: the role is not changeable here, so it is an unknown field. */
export const UpdateUserBodySchema = z
  .strictObject({
    name: NameSchema.optional(),
    email: EmailSchema.optional(),
    password: PasswordSchema.optional(),
  })
  .refine(hasAtLeastOneField, { message: AT_LEAST_ONE_FIELD })
  .meta({ id: "UpdateUserBody" });

/** `GET /users`: a page, optionally narrowed to one academy role or one exact email. */
export const UserListQuerySchema = PageQuerySchema.extend({
  role: AcademyRoleSchema.optional(),
  email: EmailSchema.optional(),
}).meta({ id: "UserListQuery" });

/** `GET /users` response. */
export const UserPageSchema = pageOf(UserSchema).meta({ id: "UserPage" });

export type User = z.infer<typeof UserSchema>;
export type UserPage = z.infer<typeof UserPageSchema>;
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;
export type UserListQuery = z.infer<typeof UserListQuerySchema>;
export type UserListQueryInput = z.input<typeof UserListQuerySchema>;
