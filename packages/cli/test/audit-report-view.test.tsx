import { stripVTControlCharacters as strip } from "node:util";
import type { IsolationAuditReport } from "@skillbridge/sdk";
import chalk from "chalk";
import { render } from "ink-testing-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportView } from "../src/commands/audit/isolation.js";
import { ViewComponent } from "../src/output/components.js";
import { renderPlain } from "../src/output/plain.js";

// Terminal colours on for this file's tests, off again after: only then can
// "colours off" be told from "no colour support". Ink paints through chalk,
// whose level is set here rather than through FORCE_COLOR, because test files
// share a worker's modules (vitest's isolate: false) and chalk reads the
// environment once, when the first of them loads it.
let level: typeof chalk.level;
beforeAll(() => {
  level = chalk.level;
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = level;
});

const report: IsolationAuditReport = {
  ok: false,
  checks: [
    {
      id: "rls.enabled",
      title: "RLS is enabled and forced",
      status: "failed",
      summary: "13 tables",
    },
    {
      id: "views.security-invoker",
      title: "Views run as the caller",
      status: "passed",
      summary: "2 views",
    },
    {
      id: "indexes.tenant-leading",
      title: "Indexes lead with tenant_id",
      status: "warning",
      summary: "34 indexes",
    },
    {
      id: "data.cross-tenant-rows",
      title: "No cross-academy rows",
      status: "skipped",
      summary: "no BYPASSRLS",
    },
  ],
  findings: [
    {
      severity: "low",
      check: "indexes.tenant-leading",
      object: "public.courses index courses_title_idx",
      detail: "The index begins with title.",
      fix: "Recreate it led by tenant_id.",
    },
    {
      severity: "high",
      check: "rls.enabled",
      object: "public.courses",
      detail: "Row-level security is not forced.",
      fix: "alter table public.courses force row level security;",
    },
  ],
};

describe("the isolation audit report", () => {
  const view = reportView(report);

  it("groups findings by severity, high first, and titles the verdict", () => {
    expect(view.title).toBe(
      "Isolation audit failed: 1 of 4 checks passed; findings: 1 high, 1 low",
    );
    expect(view.groups.map((g) => [g.severity, g.findings.map((f) => f.object)])).toEqual([
      ["high", ["public.courses"]],
      ["low", ["public.courses index courses_title_idx"]],
    ]);
  });

  it("on a terminal: a mark per check, and each finding with its object, check and fix", () => {
    const { lastFrame } = render(<ViewComponent view={view} color={true} />);
    const frame = strip(lastFrame() ?? "");
    expect(frame).toContain("✖ Isolation audit failed");
    expect(frame).toMatch(/✖ RLS is enabled and forced — 13 tables/);
    expect(frame).toMatch(/✔ Views run as the caller — 2 views/);
    expect(frame).toMatch(/! Indexes lead with tenant_id/);
    expect(frame).toMatch(/- No cross-academy rows — no BYPASSRLS/);
    expect(frame).toMatch(
      /HIGH \(1\)\n\s+public\.courses \[rls\.enabled\]\n\s+Row-level security is not forced\.\n\s+fix: alter table public\.courses force row level security;/,
    );
    expect(frame.indexOf("HIGH (1)")).toBeLessThan(frame.indexOf("LOW (1)"));
  });

  it("with colours off, nothing is coloured", () => {
    const { lastFrame } = render(<ViewComponent view={view} color={false} />);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour escapes is the point
    expect(lastFrame()).not.toMatch(/\u001b\[3[0-9]m/);
  });

  it("on a pipe: plain lines, one per check, then the findings with their fixes", () => {
    expect(renderPlain(view)).toBe(
      [
        "Isolation audit failed: 1 of 4 checks passed; findings: 1 high, 1 low",
        "",
        "✖ RLS is enabled and forced (failed): 13 tables",
        "✔ Views run as the caller (passed): 2 views",
        "! Indexes lead with tenant_id (warning): 34 indexes",
        "- No cross-academy rows (skipped): no BYPASSRLS",
        "",
        "HIGH (1)",
        "- public.courses [rls.enabled]",
        "  Row-level security is not forced.",
        "  fix: alter table public.courses force row level security;",
        "",
        "LOW (1)",
        "- public.courses index courses_title_idx [indexes.tenant-leading]",
        "  The index begins with title.",
        "  fix: Recreate it led by tenant_id.",
        "",
      ].join("\n"),
    );
  });

  it("a clean report is one verdict line and the checks", () => {
    const views = report.checks.filter((c) => c.id === "views.security-invoker");
    const clean = reportView({ ok: true, checks: views, findings: [] });
    expect(renderPlain(clean)).toBe(
      "Isolation audit passed: 1 of 1 checks passed, no finding\n\n✔ Views run as the caller (passed): 2 views\n",
    );
  });
});
