import { z } from "zod";
import { IsoDateTimeSchema, pageOf, UuidSchema } from "./common.js";

/** A parent's access to one student: visibility is per link, not per academy. */
export const ParentLinkSchema = z
  .object({
    id: UuidSchema,
    parentId: UuidSchema,
    studentId: UuidSchema,
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: "ParentLink" });

/** `POST /parent-links`; the server checks that the two users hold the parent and student roles. */
export const CreateParentLinkBodySchema = z
  .strictObject({
    parentId: UuidSchema,
    studentId: UuidSchema,
  })
  .meta({ id: "CreateParentLinkBody" });

/** `GET /parent-links` response. */
export const ParentLinkPageSchema = pageOf(ParentLinkSchema).meta({ id: "ParentLinkPage" });

export type ParentLink = z.infer<typeof ParentLinkSchema>;
export type ParentLinkPage = z.infer<typeof ParentLinkPageSchema>;
export type CreateParentLinkBody = z.infer<typeof CreateParentLinkBodySchema>;
