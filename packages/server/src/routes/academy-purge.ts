import { purgeAcademyRows } from "@skillbridge/core";
import { IdParamsSchema } from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

/**
 * `POST /admin/academies/{id}/purge`: a deleted academy removed for good (its
 * rows, its schema, the academy itself), for throwaway academies such as the
 * isolation probe's fixtures. Two steps on purpose: only a soft-deleted
 * academy can be purged (a live one is 409), so no single call loses data.
 */
export const academyPurgeRoutes = [
  defineRoute({
    method: "post",
    path: "/admin/academies/{id}/purge",
    summary:
      "Remove a deleted academy for good: every row in its academy, its dedicated schema, the academy itself (a live academy is 409: delete it first)",
    tag: "platform",
    auth: "platform",
    roles: ["platform_admin"],
    params: IdParamsSchema,
    status: 204,
    errors: [401, 403, 404, 409, 429],
    handler: async ({ params, platform, deps }) => {
      await platform(async (trx, user) => {
        const purged = await purgeAcademyRows(trx, params.id);
        await deps.services.auditLog.record(trx, {
          actorId: user.id,
          actorKind: "platform_user",
          action: "academy.purge",
          targetType: "academy",
          targetId: purged.academyId,
          details: { slug: purged.slug, tables: purged.tables },
        });
      });
    },
  }),
];
