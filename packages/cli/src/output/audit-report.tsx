import { Box, Text } from "ink";
import { CHECK_MARK, SEVERITY_COLOR, STATUS_COLOR } from "./report-marks.js";
import type { ReportView } from "./view.js";

/**
 * An audit report on a terminal: the verdict, every check with its mark and
 * what it examined, then the findings grouped by severity (high first), each
 * with the object it is about and its fix.
 */
export function AuditReport({ view, color }: { view: ReportView; color: boolean }) {
  const paint = (name: string) => (color ? { color: name } : {});
  return (
    <Box flexDirection="column">
      <Text bold {...paint(view.ok ? "green" : "red")}>
        {view.ok ? "✔ " : "✖ "}
        {view.title}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {view.checks.map((check) => (
          <Text key={check.title}>
            <Text {...paint(STATUS_COLOR[check.status])}>{CHECK_MARK[check.status]}</Text>{" "}
            {check.title}
            <Text dimColor={color}> — {check.summary}</Text>
          </Text>
        ))}
      </Box>
      {view.groups.map((group) => (
        <Box key={group.severity} flexDirection="column" marginTop={1}>
          <Text bold {...paint(SEVERITY_COLOR[group.severity])}>
            {group.severity.toUpperCase()} ({group.findings.length})
          </Text>
          {group.findings.map((finding) => (
            <Box
              key={`${finding.check} ${finding.object} ${finding.detail}`}
              flexDirection="column"
            >
              <Text>
                {"  "}
                <Text bold>{finding.object}</Text>
                <Text dimColor={color}> [{finding.check}]</Text>
              </Text>
              <Text>
                {"    "}
                {finding.detail}
              </Text>
              <Text {...paint("cyan")}>
                {"    fix: "}
                {finding.fix}
              </Text>
            </Box>
          ))}
        </Box>
      ))}
      {view.footer ? (
        <Box marginTop={1}>
          <Text dimColor={color}>{view.footer}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
