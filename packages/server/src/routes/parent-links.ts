import {
  CreateParentLinkBodySchema,
  PageQuerySchema,
  ParentLinkPageSchema,
  ParentLinkSchema,
} from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

export const parentLinkRoutes = [
  defineRoute({
    method: "post",
    path: "/parent-links",
    summary: "Link a parent to a student",
    tag: "parent-links",
    auth: "academy",
    roles: ["admin"],
    body: CreateParentLinkBodySchema,
    status: 201,
    response: ParentLinkSchema,
    errors: [400, 401, 403, 409, 413, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.parentLinks.create(trx, actor, body)),
  }),
  defineRoute({
    method: "get",
    path: "/parent-links",
    summary: "Parent links (admin: all; parent: own)",
    tag: "parent-links",
    auth: "academy",
    roles: ["admin", "parent"],
    query: PageQuerySchema,
    status: 200,
    response: ParentLinkPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.parentLinks.list(trx, actor, query)),
  }),
];
