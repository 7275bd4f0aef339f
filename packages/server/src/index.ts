/**
 * `@skillbridge/server`: the SkillBridge HTTP API (API.md) as an embeddable
 * Koa app, with auth, tenant context, role gates and per-academy rate limits.
 */
export { loadOrCreateSigningSecret } from "./auth/signing-secret.js";
export { type Principal, TokenService } from "./auth/token-service.js";
export { handleClientError } from "./client-error.js";
export { DEFAULTS, type ServerConfig, serverConfig } from "./config.js";
export {
  ALL_ROUTES,
  type CreateServerOptions,
  createServer,
  logJobEvent,
  type SkillBridgeApp,
} from "./create-server.js";
export {
  REQUEST_STAGES_CHANNEL,
  type RequestStage,
  type RequestStageEvent,
} from "./diagnostics/request-stages.js";
export { API_PREFIX, buildOpenApiDocument } from "./openapi/build-document.js";
export {
  ACADEMY_ROLES,
  type AuthKind,
  defineRoute,
  type HandlerInput,
  type RouteDefinition,
} from "./route.js";
export { type RunningServer, type StartServerOptions, startServer } from "./start-server.js";
export type { UploadSpec } from "./upload/multipart.js";
