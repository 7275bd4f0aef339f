import type {
  AuditCheck,
  AuditCheckStatus,
  AuditFinding,
  AuditSeverity,
  IsolationAuditReport,
} from "@skillbridge/sdk";

const RANK: Record<AuditSeverity, number> = { high: 0, medium: 1, low: 2 };

/** A check's status from its findings: failed on a high one, a warning on others, else passed. */
export function statusOf(findings: readonly AuditFinding[]): AuditCheckStatus {
  if (findings.some((f) => f.severity === "high")) return "failed";
  return findings.length > 0 ? "warning" : "passed";
}

/** A check entry whose status follows from the findings it produced. */
export function checkOf(
  id: string,
  title: string,
  summary: string,
  findings: readonly AuditFinding[],
): AuditCheck {
  return { id, title, status: statusOf(findings.filter((f) => f.check === id)), summary };
}

/** Several reports as one: checks in order, findings worst first, `ok` when none is high. */
export function mergeReports(
  ...parts: readonly Pick<IsolationAuditReport, "checks" | "findings">[]
): IsolationAuditReport {
  const findings = parts
    .flatMap((p) => p.findings)
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
  return {
    ok: !findings.some((f) => f.severity === "high"),
    checks: parts.flatMap((p) => p.checks),
    findings,
  };
}
