import { NotFoundError, withTenant } from "@skillbridge/core";
import { ImpersonationBodySchema, ImpersonationResponseSchema } from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

/** Impersonation tokens never outlive an hour, whatever is asked. */
export const MAX_IMPERSONATION_SECONDS = 3600;
const DEFAULT_IMPERSONATION_SECONDS = 900;

export const impersonationRoutes = [
  defineRoute({
    method: "post",
    path: "/admin/impersonations",
    summary:
      "Act as an academy user for a while: short-lived, marked, and written to the audit log",
    tag: "platform",
    auth: "platform",
    roles: ["platform_admin"],
    body: ImpersonationBodySchema,
    status: 201,
    response: ImpersonationResponseSchema,
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ body, platform, deps, principal }) => {
      const { services, db, tokens } = deps;
      const ttl = Math.min(
        body.ttlSeconds ?? DEFAULT_IMPERSONATION_SECONDS,
        MAX_IMPERSONATION_SECONDS,
      );
      const academy = await platform(async (trx) => services.academies.getRow(trx, body.academyId));
      const target = await withTenant(
        db,
        { tenantId: academy.id, userId: null, role: "system" },
        (trx) =>
          trx
            .selectFrom("users as u")
            .innerJoin("academies as a", "a.id", "u.tenant_id")
            .select([
              "u.id",
              "u.role",
              "u.credentials_version",
              "a.credentials_version as academy_version",
            ])
            .where("u.id", "=", body.userId)
            .where("u.deleted_at", "is", null)
            .executeTakeFirst(),
      );
      if (!target) throw new NotFoundError("User");
      // The audit row is written before the token exists: no token without its trail.
      const { impersonatorId, eventId } = await platform(async (trx, user) => {
        const id = await services.auditLog.record(trx, {
          actorId: user.id,
          actorKind: "platform_user",
          action: "impersonation.create",
          academyId: academy.id,
          targetType: "user",
          targetId: target.id,
          reason: body.reason,
          details: { role: target.role, ttlSeconds: ttl },
        });
        return { impersonatorId: user.id, eventId: id };
      });
      const accessToken = await tokens.sign(
        {
          kind: "academy",
          userId: target.id,
          academyId: academy.id,
          role: target.role as "admin" | "instructor" | "student" | "parent",
          impersonatorId,
          // Writes through the token name this event's reason in the audit log.
          impersonationEventId: eventId,
          // Any credential change of the target, the academy or the admin (whose
          // platform token was just re-checked at this version) ends it.
          credentials: {
            user: target.credentials_version,
            academy: target.academy_version,
            impersonator: principal?.credentials?.user ?? 0,
          },
        },
        ttl,
      );
      return { accessToken, expiresIn: ttl };
    },
  }),
];
