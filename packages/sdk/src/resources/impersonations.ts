import { ImpersonationResponseSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions } from "../core/resource.js";
import type { ImpersonationResponse } from "../types/models.js";
import type { ImpersonationBody } from "../types/requests.js";

/** `/admin/impersonations`: platform admins acting as an academy user, on the record. */
export class Impersonations extends APIResource {
  /**
   * A short-lived token for acting as `userId` in `academyId` (default 15
   * minutes, at most an hour), written to the audit log with `reason`. Use it
   * through `client.withToken(accessToken)`.
   *
   * @example
   * const { accessToken } = await client.impersonations.create({
   *   academyId, userId, reason: "Ticket 4711: student cannot see their course",
   * });
   * const asUser = client.withToken(accessToken);
   */
  create(body: ImpersonationBody, options?: RequestOptions): APIPromise<ImpersonationResponse> {
    return this.request(
      {
        method: "POST",
        path: "/admin/impersonations",
        body,
        schema: ImpersonationResponseSchema,
      },
      options,
    );
  }
}
