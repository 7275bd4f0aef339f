/**
 * The isolation audit (docs/isolation-audit.md): RLS, keys, views, functions,
 * roles and data of a database, checked from its catalog.
 */

export {
  type IsolationAuditOptions,
  runIsolationAudit,
  runIsolationAuditInTransaction,
} from "./run-isolation-audit.js";
