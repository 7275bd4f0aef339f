import { UserSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions } from "../core/resource.js";
import type { User } from "../types/models.js";
import type { CreatePlatformUserBody } from "../types/requests.js";

/** `/admin/users`: platform users (platform admins and content managers), for platform admins. */
export class PlatformUsers extends APIResource {
  /**
   * Creates a platform user. A `content_manager` is the least-privilege
   * account for a content team: it imports, retires and reads the shared
   * bank, and may not touch academies. Written to the audit log; an email
   * already taken is a 409.
   *
   * @example
   * const importer = await client.platformUsers.create({
   *   email: "content@example.com", name: "Content team", role: "content_manager", password,
   * });
   */
  create(body: CreatePlatformUserBody, options?: RequestOptions): APIPromise<User> {
    return this.request(
      { method: "POST", path: "/admin/users", body, schema: UserSchema },
      options,
    );
  }
}
