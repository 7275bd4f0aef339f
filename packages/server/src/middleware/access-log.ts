import type { Next } from "koa";
import type { AppContext } from "../state.js";

/**
 * One structured line per request. It names the route, never the query
 * string's values, headers, tokens or bodies: those can hold passwords.
 */
export async function accessLog(ctx: AppContext, next: Next): Promise<void> {
  const started = performance.now();
  try {
    await next();
  } finally {
    const principal = ctx.state.principal;
    ctx.deps.logger.info(
      {
        requestId: ctx.state.requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(principal
          ? {
              userId: principal.userId,
              role: principal.role,
              ...(principal.kind === "academy" ? { academyId: principal.academyId } : {}),
              ...(principal.kind === "academy" && principal.impersonatorId
                ? { impersonatorId: principal.impersonatorId }
                : {}),
            }
          : {}),
      },
      "request",
    );
  }
}
