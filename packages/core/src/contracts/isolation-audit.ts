import { z } from "zod";

/**
 * How bad a finding is. `high`: academies are not isolated (or would not be under a
 * plausible condition such as a pooled connection without the setting); the CLI exits 1.
 * `medium`: a weaker guard or a leak of existence rather than data. `low`: hygiene,
 * performance, or what would block distributing the schema with Citus.
 */
export const AuditSeveritySchema = z.enum(["high", "medium", "low"]).meta({ id: "AuditSeverity" });

/**
 * A check's outcome: `passed` (no finding), `warning` (medium or low findings only),
 * `failed` (a high finding), `skipped` (could not run here; `summary` says why).
 */
export const AuditCheckStatusSchema = z
  .enum(["passed", "warning", "failed", "skipped"])
  .meta({ id: "AuditCheckStatus" });

/** One check of the audit and what it examined. */
export const AuditCheckSchema = z
  .object({
    /** Stable identifier, e.g. `rls.fail-closed`, `probe.cross-academy` (docs/isolation-audit.md). */
    id: z.string(),
    title: z.string(),
    status: AuditCheckStatusSchema,
    /** What was examined, or why the check was skipped. */
    summary: z.string(),
  })
  .meta({ id: "AuditCheck" });

/** One problem: where it is, what is wrong, and how to fix it. */
export const AuditFindingSchema = z
  .object({
    severity: AuditSeveritySchema,
    /** The `id` of the check that found it. */
    check: z.string(),
    /** The table, view, function, role or route, e.g. `public.courses`, `GET /courses/{id}`. */
    object: z.string(),
    detail: z.string(),
    fix: z.string(),
  })
  .meta({ id: "AuditFinding" });

/** `GET /admin/isolation-audit` (and `skillbridge audit isolation --json`). `ok`: no high finding. */
export const IsolationAuditReportSchema = z
  .object({
    ok: z.boolean(),
    checks: z.array(AuditCheckSchema),
    findings: z.array(AuditFindingSchema),
  })
  .meta({ id: "IsolationAuditReport" });

export type AuditSeverity = z.infer<typeof AuditSeveritySchema>;
export type AuditCheckStatus = z.infer<typeof AuditCheckStatusSchema>;
export type AuditCheck = z.infer<typeof AuditCheckSchema>;
export type AuditFinding = z.infer<typeof AuditFindingSchema>;
export type IsolationAuditReport = z.infer<typeof IsolationAuditReportSchema>;
