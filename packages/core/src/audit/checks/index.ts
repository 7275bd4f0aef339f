import type { AuditCheckDefinition } from "../audit-context.js";
import { citusReadiness } from "./citus-readiness.js";
import { crossTenantRows } from "./cross-tenant-rows.js";
import { dedicatedSchemas } from "./dedicated-schemas.js";
import { definerFunctions } from "./definer-functions.js";
import { foreignKeys } from "./foreign-keys.js";
import { misplacedRows } from "./misplaced-rows.js";
import { rlsEnabled } from "./rls-enabled.js";
import { rlsFailClosed } from "./rls-fail-closed.js";
import { rlsPolicies } from "./rls-policies.js";
import { roleAttributes } from "./role-attributes.js";
import { rolePrivileges } from "./role-privileges.js";
import { tenantColumn } from "./tenant-column.js";
import { tenantIndexes } from "./tenant-indexes.js";
import { tenantKeys } from "./tenant-keys.js";
import { tenantTablesListed } from "./tenant-tables-listed.js";
import { untenantedData } from "./untenanted-data.js";
import { views } from "./views.js";

/** The static checks, in report order (docs/isolation-audit.md describes each). */
export const STATIC_CHECKS: readonly AuditCheckDefinition[] = [
  tenantTablesListed,
  rlsEnabled,
  rlsPolicies,
  rlsFailClosed,
  tenantColumn,
  tenantKeys,
  tenantIndexes,
  foreignKeys,
  untenantedData,
  views,
  definerFunctions,
  roleAttributes,
  rolePrivileges,
  crossTenantRows,
  citusReadiness,
  dedicatedSchemas,
  misplacedRows,
];
