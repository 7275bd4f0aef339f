import type { Next } from "koa";
import type { AppContext } from "../state.js";

/**
 * One structured line per request. It names the route, never the query
 * string's values, headers, tokens or bodies: those can hold passwords.
 * The line is written when the response is finished, so a thrown error is
 * logged with the status its problem document got (the error middleware
 * sets it after this one returns), not Koa's default 404.
 */
export async function accessLog(ctx: AppContext, next: Next): Promise<void> {
  const started = performance.now();
  let logged = false;
  const log = () => {
    if (logged) return;
    logged = true;
    const principal = ctx.state.principal;
    ctx.deps.logger.info(
      {
        requestId: ctx.state.requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.res.statusCode,
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
  };
  ctx.res.once("finish", log);
  ctx.res.once("close", log);
  await next();
}
