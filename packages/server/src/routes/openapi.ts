import { z } from "zod";
import { buildOpenApiDocument } from "../openapi/build-document.js";
import { defineRoute, type RouteDefinition } from "../route.js";

/** The OpenAPI route describes every other route and itself; the document is built once. */
export function openApiRoutes(routes: readonly RouteDefinition[]): RouteDefinition[] {
  let document: unknown;
  const self = defineRoute({
    method: "get",
    path: "/openapi.json",
    summary: "The OpenAPI 3.1 document of this API",
    tag: "health",
    auth: "none",
    status: 200,
    response: z.record(z.string(), z.unknown()),
    errors: [],
    handler: async () => {
      document ??= buildOpenApiDocument([...routes, self]);
      return document;
    },
  });
  return [self];
}
