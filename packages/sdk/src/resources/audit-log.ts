import { AuditEventPageSchema } from "@skillbridge/core/contracts";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions } from "../core/resource.js";
import type { AuditEvent } from "../types/models.js";
import type { PageQuery } from "../types/requests.js";

/** `/admin/audit-log`: the platform's audit trail, oldest first. */
export class AuditLog extends APIResource {
  /**
   * @example
   * for await (const event of client.auditLog.list()) console.log(event.action, event.reason);
   */
  list(query: PageQuery = {}, options?: RequestOptions): PagePromise<AuditEvent> {
    return this.paginate("/admin/audit-log", query, AuditEventPageSchema, options);
  }
}
