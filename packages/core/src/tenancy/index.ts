/**
 * Tenancy (docs/tenancy.md): `withTenant` / `withPlatform`, the scope plugin and
 * the start-up safety check.
 */

export { assertTenantSafety, findTenantSafetyProblems } from "./assert-tenant-safety.js";
export type { CallerCheck } from "./caller-recheck.js";
export type {
  AcademyRole,
  PlatformDatabase,
  PlatformDb,
  TenantContext,
  TenantDatabase,
  TenantDb,
} from "./context.js";
export { TenantScopePlugin } from "./tenant-scope-plugin.js";
export { withPlatform } from "./with-platform.js";
export { type WithTenantOptions, withTenant } from "./with-tenant.js";
