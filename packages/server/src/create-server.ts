import { createHmac } from "node:crypto";
import Router from "@koa/router";
import {
  type AiLimits,
  createAiGateway,
  createJobWorker,
  createServices,
  type JobEvent,
  type JobWorker,
  type LlmProvider,
  type PasswordHasher,
  type SkillBridgeDatabase,
  type SourceLimits,
  SpareSchemaPool,
  type WorkerOptions,
} from "@skillbridge/core";
import Koa from "koa";
import type { Logger } from "pino";
import { pino } from "pino";
import { TokenService } from "./auth/token-service.js";
import type { ServerConfig } from "./config.js";
import { requestStages } from "./diagnostics/request-stages.js";
import { docsPage } from "./docs/docs-page.js";
import { type EventLoopMonitorOptions, watchEventLoop } from "./event-loop-monitor.js";
import { AcademyGate } from "./fairness/academy-gate.js";
import { AdaptiveSlots } from "./fairness/adaptive-slots.js";
import { LoopTurns, takeLoopTurn } from "./fairness/loop-turns.js";
import { createIdempotencyStore } from "./idempotency/idempotency-store.js";
import { accessLog } from "./middleware/access-log.js";
import { problemDetails } from "./middleware/problem-details.js";
import { requestId } from "./middleware/request-id.js";
import { API_PREFIX } from "./openapi/build-document.js";
import { createLimiters } from "./rate-limit/limiters.js";
import { mountRoutes, type RouteDefinition } from "./route.js";
import { ROUTES } from "./routes/index.js";
import { openApiRoutes } from "./routes/openapi.js";
import type { AppDeps, RequestState } from "./state.js";

export interface CreateServerOptions {
  /** An open, migrated database (see `openDatabase` and `migrate` in core). */
  readonly db: SkillBridgeDatabase;
  readonly config: ServerConfig;
  /** Password hashing (default: scrypt at OWASP strength). Tests pass a cheaper one. */
  readonly passwords?: PasswordHasher;
  /**
   * The AI features' provider and limits. Default: `providerFromEnv` (Groq
   * with `GROQ_API_KEY`, else offline) and the `SKILLBRIDGE_AI_*` limits;
   * tests inject a provider (docs/ai.md).
   */
  readonly ai?: {
    readonly provider?: LlmProvider | undefined;
    readonly limits?: Partial<AiLimits> | undefined;
    /** The tutor's model judge (default: on unless offline; `SKILLBRIDGE_AI_JUDGE=off` turns it off). */
    readonly judge?: boolean | undefined;
    /** Limits on documents uploaded for quiz generation (default 10 MiB, 50 PDF pages). */
    readonly sourceLimits?: Partial<SourceLimits> | undefined;
  };
  /**
   * The embedding app's own routes, defined with `defineRoute`: mounted after the
   * built-in ones, behind the same middleware (auth, tenant context, rate limit,
   * role gate, validation, output schema), and described in the OpenAPI document.
   * A route that would shadow a built-in one is refused.
   */
  readonly routes?: readonly RouteDefinition[];
  /**
   * The background job worker (AI pre-grading of submissions, docs/jobs.md).
   * Default: the app gets one, which `startServer` starts and stops with the
   * server; options tune it. `false`: none in this process — run
   * `skillbridge worker` beside it (submissions are queued either way).
   */
  readonly workers?: boolean | WorkerOptions | undefined;
  /**
   * The event-loop watch (docs/server.md): a warning above `thresholdMs`
   * (default 100 ms) at most every `logEveryMs`, and the p99 in `GET /ready`.
   */
  readonly eventLoop?: Omit<EventLoopMonitorOptions, "logger"> | undefined;
  /**
   * `GET /docs`, the interactive API reference (Swagger UI, served from the
   * package: no CDN). Default on; `false` leaves `/docs` to the embedding app.
   */
  readonly docs?: boolean | undefined;
  /**
   * Spare dedicated schemas kept ready on PostgreSQL (docs/tenancy.md, "Spare
   * schemas"): onboarding or a move into a dedicated schema renames one
   * instead of running the tenant migrations' DDL while the caller waits, and
   * the app makes a new one in the background. Default 2; 0 turns it off.
   * Always off on PGlite: it has one connection, so a fill's DDL would hold
   * every request behind it.
   */
  readonly spareSchemas?: number | undefined;
}

/** Spare dedicated schemas an app keeps ready on PostgreSQL unless told otherwise. */
export const DEFAULT_SPARE_SCHEMAS = 2;

export type SkillBridgeApp = Koa<RequestState, { deps: AppDeps }> & {
  /** The job worker, when the app has one; `startServer` starts it. */
  readonly workers: JobWorker | undefined;
  /** The spare schemas this app refills (size 0 when off). */
  readonly spares: SpareSchemaPool;
  /**
   * Releases what the app holds besides the database: stops the job worker
   * (after the job in hand) and the spare-schema fill (after the schema in
   * hand), and closes the Redis connections of the limiters and of the
   * idempotency keys.
   */
  closeResources(): Promise<void>;
};

/**
 * Worker events as log lines: retries and dead letters are worth an
 * operator's eye (also used by `skillbridge worker`).
 */
export function logJobEvent(logger: Logger): (event: JobEvent) => void {
  return (event: JobEvent) => {
    const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
    switch (event.type) {
      case "done":
        logger.debug({ jobId: event.job.id, kind: event.job.kind }, "job done");
        return;
      case "retry":
        logger.warn(
          {
            jobId: event.job.id,
            kind: event.job.kind,
            attempt: event.job.attempt,
            delayMs: event.delayMs,
            err: reason(event.error),
          },
          "job failed; retrying",
        );
        return;
      case "dead":
        logger.error(
          {
            jobId: event.job.id,
            kind: event.job.kind,
            attempt: event.job.attempt,
            err: reason(event.error),
          },
          "job dead-lettered",
        );
        return;
      case "lost":
        logger.warn({ jobId: event.job.id, kind: event.job.kind }, "job lease lost");
        return;
      case "queue_error":
        logger.error({ err: event.error }, "job queue unreachable");
        return;
    }
  };
}

function tutorJudgeFromEnv(env: NodeJS.ProcessEnv): boolean | undefined {
  const value = env.SKILLBRIDGE_AI_JUDGE?.trim().toLowerCase();
  if (!value) return undefined;
  return !["off", "0", "false", "no"].includes(value);
}

/** Every built-in route, the OpenAPI route included. */
export const ALL_ROUTES: readonly RouteDefinition[] = [...ROUTES, ...openApiRoutes(ROUTES)];

const routeKey = (route: RouteDefinition) =>
  `${route.method.toUpperCase()} ${route.root ? "" : API_PREFIX}${route.path}`;

/** The built-in routes plus the app's own, documented together. */
function routesWith(extra: readonly RouteDefinition[]): readonly RouteDefinition[] {
  if (extra.length === 0) return ALL_ROUTES;
  const taken = new Set(ALL_ROUTES.map(routeKey));
  for (const route of extra) {
    if (taken.has(routeKey(route))) {
      throw new Error(`The route ${routeKey(route)} would shadow a built-in route.`);
    }
    taken.add(routeKey(route));
  }
  const routes = [...ROUTES, ...extra];
  return [...routes, ...openApiRoutes(routes)];
}

/**
 * The SkillBridge API as a Koa app, embeddable in any Node process. It does
 * not listen (see `startServer`) and does not own the database.
 * Middleware: request stages (a diagnostics channel) → request id → problem
 * documents → access log → the loop turn of a caller pressing its limit →
 * (per route)
 * auth → tenant context → rate limit → role gate → (POST) idempotency key →
 * validation → handler.
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL });
 * await migrate(db);
 * await assertTenantSafety(db);
 * const app = createServer({ db, config: serverConfig({ jwtSecret }) });
 * http.createServer(app.callback()).listen(3000);
 */
export function createServer(options: CreateServerOptions): SkillBridgeApp {
  const { db, config } = options;
  const allRoutes = routesWith(options.routes ?? []);
  const logger =
    config.logger ??
    pino({ level: process.env.LOG_LEVEL ?? "info", base: { service: "skillbridge" } });
  // Cursors are signed with a key derived from the token secret, never the secret itself.
  const cursorSecret = createHmac("sha256", config.jwtSecret)
    .update("skillbridge cursors")
    .digest();
  const ai = createAiGateway({
    db,
    provider: options.ai?.provider,
    limits: options.ai?.limits,
  });
  const services = createServices({
    cursorSecret,
    ...(options.passwords ? { passwords: options.passwords } : {}),
    ai,
    tutorJudge: options.ai?.judge ?? tutorJudgeFromEnv(process.env),
    sourceLimits: options.ai?.sourceLimits,
    clock: config.clock,
  });
  const workers =
    options.workers === false
      ? undefined
      : createJobWorker({
          db,
          ai,
          onEvent: logJobEvent(logger),
          ...(typeof options.workers === "object" ? options.workers : {}),
        });
  const eventLoop = watchEventLoop({ logger, ...options.eventLoop });
  const spares = new SpareSchemaPool(db, {
    // A count that is not a whole number from 0 is refused here, at start.
    size: db.engine === "postgres" ? (options.spareSchemas ?? DEFAULT_SPARE_SCHEMAS) : 0,
    onError: (error) => logger.warn({ err: error }, "spare schema fill failed"),
  });
  const limiters = createLimiters(config);
  const idempotency = createIdempotencyStore(config);
  const deps: AppDeps = {
    db,
    config,
    services,
    tokens: new TokenService(config),
    limiters,
    academyGate: academyGate(config, db),
    loopTurns: new LoopTurns(),
    idempotency,
    logger,
    workers,
    eventLoop,
    spares,
  };

  const app = new Koa<RequestState, { deps: AppDeps }>() as SkillBridgeApp;
  app.context.deps = deps;
  app.silent = true;
  app.proxy = config.trustProxy === true;
  app.on("error", (error: unknown, ctx?: { state?: RequestState }) => {
    logger.error({ err: error, requestId: ctx?.state?.requestId }, "unhandled error");
  });
  (app as { workers: JobWorker | undefined }).workers = workers;
  (app as { spares: SpareSchemaPool }).spares = spares;
  app.closeResources = async () => {
    eventLoop.stop();
    await Promise.all([workers?.stop(), spares.close()]);
    await Promise.all([limiters.close(), idempotency.close()]);
  };

  const root = new Router<RequestState, { deps: AppDeps }>();
  const api = new Router<RequestState, { deps: AppDeps }>({ prefix: API_PREFIX });
  mountRoutes(
    root,
    allRoutes.filter((r) => r.root),
    config.bodyLimitBytes,
  );
  mountRoutes(
    api,
    allRoutes.filter((r) => !r.root),
    config.bodyLimitBytes,
  );

  // First, so a stage timing (diagnostics/request-stages.ts) starts where Koa does.
  app.use(requestStages);
  app.use(requestId);
  app.use(problemDetails);
  app.use(accessLog);
  // Before anything else is done for it, so the wait is in the access log's duration.
  if (config.loopTurns !== false) app.use(takeLoopTurn(deps.loopTurns));
  if (options.docs !== false) app.use(docsPage());
  app.use(root.routes());
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}

/**
 * Half the pool (or of `tenantSlots` when fewer), at least one: an academy can
 * never hold every connection, nor every slot.
 * PGlite has one connection, so there each academy runs one transaction at a
 * time and waits for the rest in its own queue rather than the driver's.
 */
export function defaultTenantConcurrency(db: SkillBridgeDatabase, slots?: number): number {
  const poolSize = db.pgPool?.options.max ?? 1;
  return Math.max(1, Math.floor(Math.min(poolSize, slots ?? poolSize) / 2));
}

/** The academy gate of a config: `tenantSlots` (default the pool) and `tenantConcurrency`. */
function academyGate(config: ServerConfig, db: SkillBridgeDatabase): AcademyGate {
  // The gate refuses a count that is not a whole number from 1.
  const slots = config.tenantSlots ?? db.pgPool?.options.max ?? 1;
  const adaptive = config.adaptiveSlots ? new AdaptiveSlots({ max: slots }) : undefined;
  return new AcademyGate(
    config.tenantConcurrency ?? defaultTenantConcurrency(db, slots),
    slots,
    adaptive,
  );
}
