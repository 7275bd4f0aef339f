import { IsolationAuditReportSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions } from "../core/resource.js";
import type { IsolationAuditReport } from "../types/models.js";

/** `/admin/isolation-audit`: platform admins only. */
export class IsolationAudit extends APIResource {
  /**
   * Audits the server's database for tenant isolation (read-only) and returns
   * the report; `ok` is false when a finding is high. It reads the whole
   * catalog and samples data, so allow it a few seconds on a big database.
   *
   * @example
   * const report = await client.isolationAudit.run();
   * for (const f of report.findings) console.log(f.severity, f.object, f.detail);
   */
  run(options?: RequestOptions): APIPromise<IsolationAuditReport> {
    return this.request(
      { method: "GET", path: "/admin/isolation-audit", schema: IsolationAuditReportSchema },
      options,
    );
  }
}
