import type {
  AuditCheck,
  AuditCheckStatus,
  AuditFinding,
  AuditSeverity,
  IsolationAuditReport,
} from "../contracts/isolation-audit.js";

/** A check's line in the report and what it found. */
export interface CheckResult {
  readonly check: AuditCheck;
  readonly findings: readonly AuditFinding[];
}

/** What each check states about itself. */
export interface CheckIdentity {
  readonly id: string;
  readonly title: string;
}

const RANK: Record<AuditSeverity, number> = { high: 0, medium: 1, low: 2 };

function statusOf(findings: readonly AuditFinding[]): AuditCheckStatus {
  if (findings.some((f) => f.severity === "high")) return "failed";
  return findings.length > 0 ? "warning" : "passed";
}

/** A check that ran: its status follows from the worst finding. */
export function ran(
  identity: CheckIdentity,
  summary: string,
  findings: readonly AuditFinding[],
): CheckResult {
  return { check: { ...identity, status: statusOf(findings), summary }, findings };
}

/** A check that could not run here, and why. */
export function skipped(identity: CheckIdentity, reason: string): CheckResult {
  return { check: { ...identity, status: "skipped", summary: reason }, findings: [] };
}

/** Builds findings of one check. */
export function finder(identity: CheckIdentity) {
  return (severity: AuditSeverity, object: string, detail: string, fix: string): AuditFinding => ({
    severity,
    check: identity.id,
    object,
    detail,
    fix,
  });
}

/**
 * The report: every check in order, findings worst first (stable within a
 * severity), `ok` when none is high.
 */
export function toReport(results: readonly CheckResult[]): IsolationAuditReport {
  const findings = results
    .flatMap((r) => r.findings)
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
  return {
    ok: !findings.some((f) => f.severity === "high"),
    checks: results.map((r) => r.check),
    findings,
  };
}

/** "1 table", "3 tables". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
