import { HealthSchema } from "@skillbridge/core/contracts";
import { sql } from "kysely";
import { z } from "zod";
import { defineRoute } from "../route.js";

export const ReadySchema = z
  .object({
    status: z.literal("ready"),
    eventLoopDelayP99Ms: z.number().nonnegative().meta({
      description:
        "The 99th percentile of the event loop's delay over the last window (5 s), in milliseconds: how long a request waited for the process to get to it.",
    }),
  })
  .meta({ id: "Ready" });

export const healthRoutes = [
  defineRoute({
    method: "get",
    path: "/health",
    root: true,
    summary: "The process is alive",
    tag: "health",
    auth: "none",
    status: 200,
    response: HealthSchema,
    errors: [],
    handler: async () => ({ status: "ok" }),
  }),
  defineRoute({
    method: "get",
    path: "/ready",
    root: true,
    summary: "The database answers (503 otherwise)",
    tag: "health",
    auth: "none",
    status: 200,
    response: ReadySchema,
    errors: [503],
    handler: async ({ deps, ctx }) => {
      try {
        await sql`select 1`.execute(deps.db.kysely);
      } catch {
        return ctx.throw(503, "The database does not answer.");
      }
      return { status: "ready", eventLoopDelayP99Ms: deps.eventLoop.figures().p99Ms };
    },
  }),
];
