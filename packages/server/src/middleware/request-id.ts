import { randomUUID } from "node:crypto";
import type { Next } from "koa";
import type { AppContext } from "../state.js";

// A caller's id is kept only if it looks like an id: it ends up in logs.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id, echoed as `x-request-id` and carried in logs and problem documents. */
export async function requestId(ctx: AppContext, next: Next): Promise<void> {
  const given = ctx.get("x-request-id");
  ctx.state.requestId = ACCEPTABLE.test(given) ? given : randomUUID();
  ctx.set("x-request-id", ctx.state.requestId);
  await next();
}
