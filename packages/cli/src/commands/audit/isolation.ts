import type {
  AuditCheck,
  AuditFinding,
  AuditSeverity,
  IsolationAuditReport,
} from "@skillbridge/sdk";
import { runIsolationProbe } from "../../audit/probe/run-isolation-probe.js";
import { mergeReports } from "../../audit/report.js";
import { EXIT } from "../../errors.js";
import type { CommandOutput, ReportView } from "../../output/view.js";
import type { Session } from "../../session.js";

export interface AuditIsolationInput {
  /** Also probe the live API with throwaway academies (`--probe`). */
  readonly probe?: boolean | undefined;
}

const SEVERITIES: readonly AuditSeverity[] = ["high", "medium", "low"];

function title(report: IsolationAuditReport): string {
  const counts = SEVERITIES.map(
    (s) => [s, report.findings.filter((f) => f.severity === s).length] as const,
  ).filter(([, n]) => n > 0);
  const passed = report.checks.filter((c) => c.status === "passed").length;
  const checks = `${passed} of ${report.checks.length} checks passed`;
  if (counts.length === 0) return `Isolation audit passed: ${checks}, no finding`;
  const found = counts.map(([s, n]) => `${n} ${s}`).join(", ");
  return `Isolation audit ${report.ok ? "passed" : "failed"}: ${checks}; findings: ${found}`;
}

export function reportView(report: IsolationAuditReport): ReportView {
  return {
    kind: "report",
    title: title(report),
    ok: report.ok,
    checks: report.checks.map(({ title, status, summary }) => ({ title, status, summary })),
    groups: SEVERITIES.map((severity) => ({
      severity,
      findings: report.findings
        .filter((f) => f.severity === severity)
        .map(({ check, object, detail, fix }) => ({ check, object, detail, fix })),
    })).filter((g) => g.findings.length > 0),
  };
}

/**
 * `skillbridge audit isolation [--probe]`: the server's static audit of its
 * database (`GET /admin/isolation-audit`) and, with `--probe`, the dynamic
 * probe of its API through the SDK. `--json` prints exactly `{ ok, checks,
 * findings }`; the exit code is 0 without a high finding, 1 with one.
 * In embedded mode the local database is audited even when it is unsafe to
 * serve (that is what the audit is for).
 */
export async function auditIsolation(
  session: Session,
  input: AuditIsolationInput = {},
): Promise<CommandOutput<IsolationAuditReport>> {
  const { client } = await session.connect({
    allowUnsafeDatabase: true,
    unlimited: input.probe === true,
  });
  const audit = await session.task("Auditing the database", () => client.isolationAudit.run());
  let probe: { checks: AuditCheck[]; findings: AuditFinding[] } = { checks: [], findings: [] };
  if (input.probe) {
    // A count, not a spinner: the probe makes thousands of calls.
    const counter = session.counter("Probing the API with two fixture academies");
    try {
      probe = await runIsolationProbe(client, { onProgress: counter.update });
    } finally {
      counter.done();
    }
  }
  const report = mergeReports(audit, probe);
  return {
    data: report,
    view: reportView(report),
    exitCode: report.ok ? EXIT.ok : EXIT.failure,
  };
}
