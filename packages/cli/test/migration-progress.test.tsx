import { PassThrough } from "node:stream";
import { stripVTControlCharacters as strip } from "node:util";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../src/io.js";

// The `db migrate` progress: the Ink bar a terminal gets, and the plain lines
// a pipe gets, from the runner's events.
const { render } = await import("ink-testing-library");
const { MigrationProgress } = await import("../src/output/migration-progress.js");
const { migrationReporter, progressLine } = await import("../src/output/migration-reporter.js");

function pipeIO(): CliIO & { err(): string } {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (chunk) => {
    err += chunk;
  });
  return {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    env: {},
    err: () => err,
  } as CliIO & { err(): string };
}

describe("db migrate progress", () => {
  it("the bar shows schemas done of total, those running and failed", () => {
    const { lastFrame } = render(
      <MigrationProgress
        state={{ total: 100, completed: 25, failed: 1, running: ["academy_a", "academy_b"] }}
        color={false}
      />,
    );
    const [bar, running] = strip(lastFrame() ?? "").split("\n");
    expect(bar).toBe(`${"█".repeat(8)}${"░".repeat(22)} 25/100 schemas · 2 running · 1 failed`);
    expect(running).toBe("  migrating academy_a, academy_b");
  });

  it("a finished run fills the bar and names no schema in flight", () => {
    const { lastFrame } = render(
      <MigrationProgress
        state={{ total: 3, completed: 3, failed: 0, running: [] }}
        color={false}
      />,
    );
    expect(strip(lastFrame() ?? "")).toBe(`${"█".repeat(30)} 3/3 schemas · 0 running · 0 failed`);
  });

  it("a pipe gets one line per finished or failed schema, and none for a start", async () => {
    const io = pipeIO();
    const reporter = await migrationReporter(io, { enabled: true, color: false });
    reporter.onEvent({ type: "plan", total: 5, behind: 2 });
    reporter.onEvent({ type: "start", schema: "academy_a" });
    reporter.onEvent({
      type: "done",
      schema: "academy_a",
      applied: ["0005_learning"],
      ms: 12.4,
      completed: 1,
    });
    reporter.onEvent({ type: "failed", schema: "academy_b", error: "boom", completed: 2 });
    reporter.done();
    expect(io.err()).toBe(
      "2 of 5 tenant schemas to migrate\n[1/2] academy_a: 0005_learning (12 ms)\n[2/2] academy_b: FAILED boom\n",
    );
    expect(progressLine({ type: "start", schema: "x" }, 1)).toBeNull();
  });

  it("--json and --quiet print no progress at all", async () => {
    const io = pipeIO();
    const reporter = await migrationReporter(io, { enabled: false, color: false });
    reporter.onEvent({ type: "plan", total: 1, behind: 1 });
    reporter.done();
    expect(io.err()).toBe("");
  });
});
