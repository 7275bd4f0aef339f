import type Router from "@koa/router";
import {
  type Actor,
  ForbiddenError,
  fieldProblems,
  NotFoundError,
  type PlatformDb,
  RateLimitedError,
  type TenantDb,
  UnauthenticatedError,
  type UploadedFile,
  ValidationError,
  withPlatform,
  withTenant,
} from "@skillbridge/core";
import { issueMessage, type Role, type User } from "@skillbridge/core/contracts";
import type { Next } from "koa";
import type { z } from "zod";
import type { Principal } from "./auth/token-service.js";
import { markStage } from "./diagnostics/request-stages.js";
import { idempotency } from "./idempotency/idempotency.js";
import { jsonBody } from "./middleware/json-body.js";
import type { AppContext, AppDeps } from "./state.js";
import { multipart, type UploadSpec } from "./upload/multipart.js";

/**
 * Who may call a route: nobody signed in (`none`), anyone signed in (`any`),
 * academy users (`academy`, run inside a tenant transaction) or platform
 * users (`platform`).
 */
export type AuthKind = "none" | "any" | "academy" | "platform";

export interface HandlerInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly principal: Principal | undefined;
  /** The uploaded file of a route with `upload` (always set there: a missing file is a 400). */
  readonly upload: UploadedFile | undefined;
  readonly deps: AppDeps;
  readonly ctx: AppContext;
  /** Runs `fn` in the caller's tenant transaction, after re-checking the user and academy in it. */
  tenant<T>(fn: (trx: TenantDb, actor: Actor) => Promise<T>): Promise<T>;
  /** Runs `fn` in a platform transaction, after re-checking the platform user in it. */
  platform<T>(fn: (trx: PlatformDb, user: User) => Promise<T>): Promise<T>;
}

/** One route of the API: the router, the OpenAPI document and the route matrix are built from these. */
export interface RouteDefinition<B = unknown, Q = unknown, P = unknown> {
  readonly method: "get" | "post" | "patch" | "delete";
  /** Koa path under /api/v1 (or absolute with `root: true`), e.g. `/courses/:id`. */
  readonly path: string;
  readonly root?: boolean;
  readonly summary: string;
  readonly tag: string;
  readonly auth: AuthKind;
  /** Roles allowed past the gate (403 otherwise); required unless auth is none/any. */
  readonly roles?: readonly Role[];
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /**
   * The route takes multipart/form-data: one file part (see `UploadSpec`) and
   * text fields, which `body` validates.
   */
  readonly upload?: UploadSpec;
  readonly status: number;
  /** Output schema: responses are parsed through it, so nothing undeclared (no secret) leaves. */
  readonly response?: z.ZodType;
  /** A per-caller output schema (e.g. assignments without referenceAnswer for learners). */
  readonly responseFor?: (principal: Principal | undefined) => z.ZodType;
  /**
   * This route's JSON body limit in bytes, when it needs more than the server's
   * `bodyLimitBytes` (the question batch import).
   */
  readonly bodyLimitBytes?: number;
  /** Error statuses this route can answer, for the OpenAPI document. */
  readonly errors: readonly number[];
  /**
   * A GET that writes (the study plan stores the plan it builds). Every other
   * GET's tenant transactions are read-only: PostgreSQL refuses a write in
   * them, and they return without waiting for COMMIT's reply.
   */
  readonly writesOnGet?: true;
  readonly handler: (input: HandlerInput<B, Q, P>) => Promise<unknown>;
}

/** Keeps each route's types while collecting them in one list. */
export function defineRoute<B = undefined, Q = undefined, P = undefined>(
  route: RouteDefinition<B, Q, P>,
): RouteDefinition {
  return route as unknown as RouteDefinition;
}

/** Paths of the strings in `value` that `bad` picks out. */
function textPaths(value: unknown, bad: (text: string) => boolean, path: string[] = []): string[] {
  if (typeof value === "string") return bad(value) ? [path.join(".")] : [];
  if (Array.isArray(value))
    return value.flatMap((item, i) => textPaths(item, bad, [...path, String(i)]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => textPaths(item, bad, [...path, key]));
  }
  return [];
}

/** A NUL character: Postgres cannot store it, so it is a 400 here. */
const hasNul = (text: string) => text.includes("\u0000");

/**
 * Half of a UTF-16 pair on its own: it has no UTF-8 form, so it would be
 * stored as U+FFFD and come back changed. Names and titles refuse it in their
 * schemas (with their own message); every other text field here, after them.
 */
const LONE_SURROGATE = /\p{Cs}/u; // with the u flag, only a surrogate outside a pair
const hasLoneSurrogate = (text: string) => LONE_SURROGATE.test(text);

// ─── the middleware chain of one route ───────────────────────────────────────

function authenticate(route: RouteDefinition) {
  return async (ctx: AppContext, next: Next) => {
    const header = ctx.get("authorization");
    if (route.auth === "none") return next();
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match?.[1]) throw new UnauthenticatedError();
    ctx.state.principal = await ctx.deps.tokens.verify(match[1]);
    markStage(ctx, "authenticated");
    return next();
  };
}

/** The tenant comes from the verified token and nothing else: no path, query, header or body. */
function tenantContext(route: RouteDefinition) {
  return async (ctx: AppContext, next: Next) => {
    const principal = ctx.state.principal;
    if (route.auth === "academy" && principal?.kind !== "academy") {
      throw new ForbiddenError(
        "This route is for academy users; platform users act in an academy by impersonation.",
      );
    }
    if (route.auth === "platform" && principal?.kind !== "platform") throw new ForbiddenError();
    return next();
  };
}

function rateLimit(route: RouteDefinition) {
  return async (ctx: AppContext, next: Next) => {
    const principal = ctx.state.principal;
    if (route.auth === "none" || !principal) return next();
    const key =
      principal.kind === "academy"
        ? `academy:${principal.academyId}`
        : `platform:${principal.userId}`;
    const { limiters } = ctx.deps;
    const verdict = await limiters.requests.consume(key);
    ctx.set("RateLimit-Limit", String(limiters.requestBucket.capacity));
    ctx.set("RateLimit-Remaining", String(Math.max(0, verdict.remaining)));
    ctx.set("RateLimit-Reset", String(Math.ceil(verdict.resetMs / 1000)));
    const pressed = verdict.remaining * 2 < limiters.requestBucket.capacity;
    // The caller's next request waits for its turn on the event loop while this holds (fairness/loop-turns.ts).
    ctx.deps.loopTurns.mark(key, pressed);
    if (pressed) ctx.state.gatePriority = "later";
    if (!verdict.allowed) {
      throw new RateLimitedError(
        verdict.retryAfterMs / 1000,
        "This academy's request budget is spent; retry later.",
      );
    }
    return next();
  };
}

function requireRole(route: RouteDefinition) {
  return async (ctx: AppContext, next: Next) => {
    const principal = ctx.state.principal;
    if (route.roles && (!principal || !route.roles.includes(principal.role)))
      throw new ForbiddenError();
    return next();
  };
}

function handle(route: RouteDefinition) {
  return async (ctx: AppContext) => {
    const { deps } = ctx;
    const principal = ctx.state.principal;
    // A malformed id in a path names nothing: 404, exactly as a missing one.
    const params = route.params
      ? route.params.safeParse((ctx as AppContext & { params: unknown }).params)
      : undefined;
    if (params && !params.success) throw new NotFoundError("Resource");
    const query = route.query
      ? route.query.safeParse(normaliseQuery(ctx.query), { error: issueMessage })
      : undefined;
    if (query && !query.success) {
      throw new ValidationError("The query string is not valid.", fieldProblems(query.error));
    }
    let body: unknown;
    if (route.body) {
      const raw = ctx.request.body ?? {};
      const nul = textPaths(raw, hasNul);
      if (nul.length > 0) {
        throw new ValidationError(
          "Text may not contain NUL characters.",
          nul.map((path) => ({ path, message: "Contains a NUL character." })),
        );
      }
      const parsed = route.body.safeParse(raw, { error: issueMessage });
      if (!parsed.success) {
        throw new ValidationError("The request body is not valid.", fieldProblems(parsed.error));
      }
      const halves = textPaths(parsed.data, hasLoneSurrogate);
      if (halves.length > 0) {
        throw new ValidationError(
          "Text may not contain unpaired UTF-16 surrogates: they have no UTF-8 form and would be stored changed.",
          halves.map((path) => ({ path, message: "Contains an unpaired surrogate." })),
        );
      }
      body = parsed.data;
    }
    const result = await route.handler({
      body,
      query: query?.data,
      params: params?.data,
      principal,
      upload: ctx.state.upload,
      deps,
      ctx,
      // At most `tenantConcurrency` of one academy's tenant transactions at once (the rest queue
      // per academy); when the pool is full, academies inside their budget go first.
      // A GET's transaction is read-only: it returns without waiting for COMMIT's reply, and
      // the gate counts its connection until that reply comes.
      tenant: (fn) =>
        principal?.kind === "academy"
          ? afterTurn(
              ctx,
              deps.academyGate.run(
                principal.academyId,
                async (hold) => {
                  markStage(ctx, "admitted");
                  const result = await runTenant(deps, principal, fn, {
                    write: impersonatedWrite(ctx, route),
                    readOnly: readsOnly(route),
                    whenReleased: hold,
                  });
                  markStage(ctx, "transacted");
                  return result;
                },
                ctx.state.gatePriority,
              ),
            )
          : runTenant(deps, principal, fn, {
              write: impersonatedWrite(ctx, route),
              readOnly: readsOnly(route),
            }),
      platform: (fn) => runPlatform(deps, principal, fn),
    });
    ctx.status = route.status;
    const schema = route.responseFor?.(principal) ?? route.response;
    if (schema) ctx.body = schema.parse(result);
    markStage(ctx, "handled");
  };
}

/**
 * A pressed caller's request (the gate's `"later"` class) takes a second
 * turn of the event loop once its transaction is done, before the rest of
 * its work (its handler's code after the transaction, the output schema, the
 * JSON, the write): that work then runs one request per pass, and the loop
 * polls for I/O between two of them, so a quiet academy's request that
 * arrives meanwhile is read sooner (fairness/loop-turns.ts).
 */
async function afterTurn<T>(ctx: AppContext, transaction: Promise<T>): Promise<T> {
  const result = await transaction;
  if (ctx.state.gatePriority === "later" && ctx.deps.config.loopTurns !== false)
    await ctx.deps.loopTurns.turn();
  return result;
}

/** A GET route that does not write: its tenant transactions are read-only. */
const readsOnly = (route: RouteDefinition) => route.method === "get" && !route.writesOnGet;

/**
 * The audit facts of a write route called through impersonation, the first
 * time the request enters its tenant (a handler may enter more than once);
 * undefined for reads and for ordinary tokens.
 */
function impersonatedWrite(ctx: AppContext, route: RouteDefinition): ImpersonatedWrite | undefined {
  const principal = ctx.state.principal;
  if (route.method === "get" || principal?.kind !== "academy" || !principal.impersonatorId)
    return undefined;
  if (ctx.state.impersonatedWriteAudited) return undefined;
  ctx.state.impersonatedWriteAudited = true;
  return {
    method: route.method.toUpperCase(),
    path: ctx.path,
    route: route.path,
    requestId: ctx.state.requestId,
  };
}

/**
 * Query strings: one value per key (a repeated key is a 400, not a silent
 * pick), and `limit` clamped to 1..100 so an over-eager client gets a page.
 */
function normaliseQuery(
  query: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) out[key] = value;
  const limit = out.limit;
  if (typeof limit === "string" && /^-?\d+(\.0+)?(e\d+)?$/i.test(limit.trim())) {
    out.limit = String(Math.min(100, Math.max(1, Number(limit))));
  }
  return out;
}

/** How `runTenant` runs one tenant transaction of a route. */
interface TenantRun {
  /** A write through an impersonation token: audited first, in the platform transaction. */
  readonly write?: ImpersonatedWrite | undefined;
  /** A GET: the transaction only reads (`withTenant`'s `readOnly`). */
  readonly readOnly?: boolean;
  /** Told when a read's connection will be back in the pool (the academy gate holds its slot until then). */
  readonly whenReleased?: (released: Promise<void>) => void;
}

/** A write route called with an impersonation token: what its audit event says. */
interface ImpersonatedWrite {
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly requestId: string;
}

/**
 * Runs `fn` in the caller's tenant transaction after the per-request re-check,
 * one statement pipelined in that transaction (`callerRecheckStatement`): the user is live
 * with the token's role, the academy is live and active, the user's and the
 * academy's credential versions are the token's (a password, role, deletion
 * or suspension since the token was issued makes it a 401), and the token was
 * not signed out. An impersonation token first re-checks the platform admin
 * behind it (one platform statement), and a write through it is audit-logged
 * in that same platform transaction, before the write runs.
 */
async function runTenant<T>(
  deps: AppDeps,
  principal: Principal | undefined,
  fn: (trx: TenantDb, actor: Actor) => Promise<T>,
  options: TenantRun = {},
): Promise<T> {
  const { write } = options;
  if (principal?.kind !== "academy") throw new ForbiddenError();
  const impersonatorId = principal.impersonatorId;
  const versions = principal.credentials ?? {};
  if (impersonatorId !== null) {
    // The person really acting is the platform admin: their removal, demotion
    // or password change ends the impersonation at once, like any other token's user.
    await withPlatform(deps.db, async (trx) => {
      const impersonator = await deps.services.platformUsers.findSession(
        trx,
        impersonatorId,
        "platform_admin",
        undefined,
      );
      if (!impersonator || impersonator.credentialsVersion !== (versions.impersonator ?? 0))
        throw new UnauthenticatedError();
      if (write) {
        await deps.services.auditLog.recordImpersonatedWrite(trx, {
          impersonatorId,
          academyId: principal.academyId,
          userId: principal.userId,
          impersonationEventId: principal.impersonationEventId ?? null,
          details: { ...write },
        });
      }
    });
  }
  const ctx = { tenantId: principal.academyId, userId: principal.userId, role: principal.role };
  const actor: Actor = { userId: principal.userId, role: principal.role, impersonatorId };
  // The re-check runs in the same transaction as the work, pipelined ahead of
  // it: a deleted or demoted user, a suspended or deleted academy, changed
  // credentials or a signed-out token abort the transaction before `fn`'s
  // first query can run (401, or 403 while the academy is suspended), even
  // with a valid signature (core/src/tenancy/caller-recheck.ts).
  return withTenant(deps.db, ctx, (trx) => fn(trx, actor), {
    ...(options.readOnly ? { readOnly: true } : {}),
    ...(options.whenReleased ? { whenReleased: options.whenReleased } : {}),
    recheck: {
      userId: principal.userId,
      role: principal.role,
      userVersion: versions.user ?? 0,
      academyVersion: versions.academy ?? 0,
      tokenId: principal.token?.id,
    },
  });
}

/** Runs `fn` in a platform transaction after re-checking the platform user (one statement). */
async function runPlatform<T>(
  deps: AppDeps,
  principal: Principal | undefined,
  fn: (trx: PlatformDb, user: User) => Promise<T>,
): Promise<T> {
  if (principal?.kind !== "platform") throw new ForbiddenError();
  return withPlatform(deps.db, async (trx) => {
    const session = await deps.services.platformUsers.findSession(
      trx,
      principal.userId,
      principal.role,
      principal.token?.id,
    );
    if (!session || session.revoked) throw new UnauthenticatedError();
    if (session.credentialsVersion !== (principal.credentials?.user ?? 0))
      throw new UnauthenticatedError(
        "The token was issued before a credential change; sign in again.",
      );
    return fn(trx, session.user);
  });
}

/** The handler's re-check of the caller (user, role, academy) without the work: before a replay. */
function recheckCaller(ctx: AppContext): Promise<void> {
  const principal = ctx.state.principal;
  const none = async () => undefined;
  return principal?.kind === "platform"
    ? runPlatform(ctx.deps, principal, none)
    : runTenant(ctx.deps, principal, none);
}

/**
 * Mounts routes on a router, each as: auth → tenant context → rate limit →
 * role gate → body (JSON, or a multipart upload) → idempotency key (POST routes for signed-in callers; not
 * login) → handler.
 */
export function mountRoutes(
  router: Router<AppContext["state"], { deps: AppDeps }>,
  routes: readonly RouteDefinition[],
  bodyLimitBytes: number,
): void {
  const jsonUpTo = (limit: number) => jsonBody(limit);
  const json = jsonUpTo(bodyLimitBytes);
  for (const route of routes) {
    const chain = [
      authenticate(route),
      tenantContext(route),
      rateLimit(route),
      requireRole(route),
      ...(route.upload
        ? [multipart(route.upload)]
        : route.body
          ? [route.bodyLimitBytes ? jsonUpTo(route.bodyLimitBytes) : json]
          : []),
      ...(route.method === "post" && route.auth !== "none" ? [idempotency(recheckCaller)] : []),
      handle(route),
    ];
    // biome-ignore lint/suspicious/noExplicitAny: koa-router's overloads do not accept a spread of typed middleware.
    (router as any)[route.method](route.path.replace(/\{(\w+)\}/g, ":$1"), ...chain);
  }
}

/** Every academy role: routes any academy user may call (objects are still filtered per role). */
export const ACADEMY_ROLES = ["admin", "instructor", "student", "parent"] as const;
