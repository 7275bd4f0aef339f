import type { Executor } from "../catalog/sql.js";
import type { CatalogSnapshot } from "./catalog-snapshot.js";
import type { CheckIdentity, CheckResult } from "./check-result.js";

/** What a check gets: the audit's (read-only, rolled back) transaction and the catalog. */
export interface AuditContext {
  readonly db: Executor;
  readonly catalog: CatalogSnapshot;
  /** Tables estimated larger than this are read through `TABLESAMPLE` by the data checks. */
  readonly sampleRows: number;
  /** `statement_timeout` of each data-check query, in ms. */
  readonly dataTimeoutMs: number;
}

/** One check of the audit. */
export interface AuditCheckDefinition extends CheckIdentity {
  run(ctx: AuditContext): Promise<CheckResult>;
}
