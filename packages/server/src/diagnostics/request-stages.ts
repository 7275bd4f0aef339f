/**
 * Where a request's time goes inside the server, told on a diagnostics
 * channel (`node:diagnostics_channel`) to whoever in the same process
 * subscribes: the fairness benchmark reads it to break a quiet academy's
 * latency into stages (bench/README.md). With no subscriber each mark is one
 * `hasSubscribers` read, and nothing is published or kept.
 *
 * The events carry the request's `IncomingMessage` (to key on), the stage,
 * the moment (`performance.now()`) and, from `"authenticated"` on, the
 * caller's academy; nothing the handler read or wrote. The request object
 * holds its headers, the bearer token among them, so this is no boundary:
 * only code in the server's own process can subscribe, and that code could
 * read the request anyway.
 */
import { channel } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { Next } from "koa";
import type { AppContext } from "../state.js";

/** The channel's name: `diagnostics_channel.subscribe(REQUEST_STAGES_CHANNEL, onEvent)`. */
export const REQUEST_STAGES_CHANNEL = "skillbridge:request-stage";

/**
 * What a request has just finished, in the order they happen:
 * - `received`: Koa has the request (its headers parsed);
 * - `authenticated`: the bearer token is verified;
 * - `admitted`: the academy gate gave its tenant transaction a slot (after
 *   the limiter, the role gate and the route's validation);
 * - `transacted`: the tenant transaction returned its result;
 * - `handled`: the handler's result went through the output schema;
 * - `sent`: the response's last byte was handed to the operating system.
 * A request marks only the stages it reaches (a 429 stops before `admitted`;
 * a route with two transactions marks `admitted` and `transacted` twice).
 */
export type RequestStage =
  | "received"
  | "authenticated"
  | "admitted"
  | "transacted"
  | "handled"
  | "sent";

export interface RequestStageEvent {
  readonly request: IncomingMessage;
  readonly stage: RequestStage;
  /** `performance.now()` of this process. */
  readonly at: number;
  /** The caller's academy, once it is known (academy tokens only). */
  readonly academyId?: string;
}

const stages = channel(REQUEST_STAGES_CHANNEL);

/** Tells subscribers, if any, that `ctx`'s request finished `stage`. */
export function markStage(ctx: AppContext, stage: RequestStage): void {
  if (!stages.hasSubscribers) return;
  const principal = ctx.state.principal;
  const event: RequestStageEvent = {
    request: ctx.req,
    stage,
    at: performance.now(),
    ...(principal?.kind === "academy" ? { academyId: principal.academyId } : {}),
  };
  stages.publish(event);
}

/** The first middleware: marks `received`, and `sent` when the response is written. */
export function requestStages(ctx: AppContext, next: Next): Promise<unknown> {
  if (stages.hasSubscribers) {
    markStage(ctx, "received");
    ctx.res.once("finish", () => markStage(ctx, "sent"));
  }
  return next();
}
