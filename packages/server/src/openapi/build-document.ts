import { ProblemDocumentSchema } from "@skillbridge/core/contracts";
import { z } from "zod";
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from "zod-openapi";
import type { RouteDefinition } from "../route.js";

export const API_PREFIX = "/api/v1";

const DESCRIPTIONS: Record<number, string> = {
  400: "The request is not valid: unknown fields, text with a NUL character or an unpaired UTF-16 surrogate, a malformed Idempotency-Key header",
  401: "No valid token, or its user or academy is gone",
  403: "The role may not use this route, or the academy is suspended",
  404: "No such object, or one the caller may not see (another academy's included)",
  409: "Conflicts with existing data",
  413: "The body (or the uploaded file, or what it unpacks to) is too large",
  415: "The body or the uploaded file is of a kind this route does not take",
  429: "Rate limited, or the academy's AI budget or concurrency is spent; see Retry-After",
  422: "The Idempotency-Key was used before with a different request; or the uploaded file cannot be read (corrupt, password-protected, no text)",
  502: "The AI model's answer could not be used",
  503: "The database, the idempotency store or the AI provider does not answer; see Retry-After",
};

/** POST routes of signed-in callers honour Idempotency-Key (see docs/server.md). */
const IdempotencyHeaderSchema = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x20-\x7E]{1,255}$/)
    .optional()
    .meta({
      description:
        "Retries with the same key and request have one effect and replay the first answer. 1 to 255 printable ASCII characters; anything else is a 400.",
    }),
});

/** The page size rule the server applies (route.ts `normaliseQuery`), stated where clients read it. */
const LIMIT_RULE =
  "Page size, default 50. A whole number outside 1..100 is clamped to that range (0 gives 1, 1000 gives 100); anything else (1.5, abc) is a 400.";

const idempotent = (route: RouteDefinition) => route.method === "post" && route.auth !== "none";

/** An upload route's form: its text fields plus the file part, as OpenAPI 3.1 describes binary parts. */
function uploadForm(route: RouteDefinition): z.ZodType {
  const file = z.string().meta({
    description: "The document: text, Markdown, PDF or DOCX.",
    contentMediaType: "application/octet-stream",
  });
  const field = route.upload?.field ?? "file";
  const fields = route.body instanceof z.ZodObject ? route.body : z.object({});
  return fields.extend({ [field]: file });
}

function requestBody(route: RouteDefinition) {
  if (route.upload) {
    return { required: true, content: { "multipart/form-data": { schema: uploadForm(route) } } };
  }
  return { required: true, content: { "application/json": { schema: route.body } } };
}

function operation(route: RouteDefinition): ZodOpenApiOperationObject {
  const success = route.response
    ? { description: route.summary, content: { "application/json": { schema: route.response } } }
    : { description: route.summary };
  const responses: Record<string, unknown> = { [String(route.status)]: success };
  // A keyed POST can also meet the key's own answers: malformed (400), in progress (409),
  // reused (422), the store away (503).
  const errors = idempotent(route)
    ? [...new Set([...route.errors, 400, 409, 422, 503])]
    : route.errors;
  for (const status of [...errors].sort()) {
    responses[String(status)] = {
      description: DESCRIPTIONS[status] ?? "Error",
      content: { "application/problem+json": { schema: ProblemDocumentSchema } },
    };
  }
  return {
    operationId: `${route.method}${route.path.replace(/\{(\w+)\}/g, "By$1").replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth === "none" ? { security: [] } : {}),
    ...(route.params || route.query || idempotent(route)
      ? {
          requestParams: {
            ...(route.params ? { path: route.params as never } : {}),
            ...(route.query ? { query: route.query as never } : {}),
            ...(idempotent(route) ? { header: IdempotencyHeaderSchema } : {}),
          },
        }
      : {}),
    ...(route.body ? { requestBody: requestBody(route) as never } : {}),
    responses: responses as ZodOpenApiOperationObject["responses"],
  };
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same route table
 * and zod contracts that the server runs: it cannot describe a route that
 * does not exist or miss one that does.
 */
export function buildOpenApiDocument(routes: readonly RouteDefinition[]): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = route.root ? route.path : `${API_PREFIX}${route.path}`;
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  // Typed loosely on purpose: zod-openapi's document type is not nameable in our published .d.ts.
  const document = createDocument({
    openapi: "3.1.0",
    info: {
      title: "SkillBridge API",
      version: "1.0.0",
      description:
        "Multi-tenant learning platform for SAT and GRE test-prep academies. The academy comes from the token. " +
        "Text fields may not contain NUL (U+0000) or an unpaired UTF-16 surrogate: such a body is a 400. Names and titles may not contain control characters or unpaired UTF-16 surrogates. " +
        "A PATCH body changes at least one field (an empty one is a 400). The interactive reference is at /docs.",
      license: { name: "MIT", identifier: "MIT" },
    },
    // Relative: the server that serves this document (paths carry /api/v1).
    servers: [{ url: "/", description: "This server" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    paths,
  }) as unknown as OpenApiJson;
  describeServerRules(document);
  return document;
}

// biome-ignore lint/suspicious/noExplicitAny: the generated document is walked as plain JSON.
type OpenApiJson = Record<string, any>;

/**
 * What the server does beyond the zod schemas, written into the document: a
 * PATCH body needs at least one field, and `limit` is clamped, not refused.
 */
function describeServerRules(document: OpenApiJson): void {
  const schemas: OpenApiJson = document.components?.schemas ?? {};
  const resolve = (schema: OpenApiJson | undefined): OpenApiJson | undefined => {
    const ref = schema?.$ref;
    return typeof ref === "string" ? schemas[ref.replace("#/components/schemas/", "")] : schema;
  };
  for (const item of Object.values<OpenApiJson>(document.paths ?? {})) {
    const body = resolve(item.patch?.requestBody?.content?.["application/json"]?.schema);
    if (body && body.type === "object") body.minProperties = 1;
    for (const operation of Object.values<OpenApiJson>(item)) {
      for (const parameter of operation?.parameters ?? []) {
        if (parameter.in !== "query" || parameter.name !== "limit") continue;
        delete parameter.schema.minimum;
        delete parameter.schema.maximum;
        parameter.description = LIMIT_RULE;
      }
    }
  }
}
