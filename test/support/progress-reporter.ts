import { relative } from "node:path";
import type { Reporter, TestModule, TestSpecification } from "vitest/node";

// CI's progress (`.ci/run`): one plain line per finished test file, with its
// place in the run, the elapsed time and its own duration, so a log shows
// where a long run is and which file holds it up. No colours, no redrawing.

export default class ProgressReporter implements Reporter {
  #total = 0;
  #done = 0;
  #failed = 0;
  #started = performance.now();

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.#total = specifications.length;
    this.#started = performance.now();
    console.log(`progress: ${this.#total} test files`);
  }

  onTestModuleEnd(testModule: TestModule): void {
    this.#done++;
    const state = testModule.state();
    if (state === "failed") this.#failed++;
    let tests = 0;
    const failures: string[] = [];
    for (const test of testModule.children.allTests()) {
      tests++;
      const result = test.result();
      if (result.state === "failed") {
        const first = result.errors?.[0]?.message?.split("\n")[0] ?? "";
        failures.push(`    failed: ${test.fullName}${first ? `: ${first.slice(0, 300)}` : ""}`);
      }
    }
    for (const error of testModule.errors()) {
      failures.push(`    error: ${error.message?.split("\n")[0]?.slice(0, 300) ?? ""}`);
    }
    const mark = state === "failed" ? "FAIL" : state === "skipped" ? "skip" : "ok  ";
    const own = (testModule.diagnostic().duration / 1000).toFixed(1);
    const elapsed = Math.round((performance.now() - this.#started) / 1000);
    const file = relative(process.cwd(), testModule.moduleId);
    console.log(
      `[${this.#done}/${this.#total} ${elapsed}s] ${mark} ${file} (${tests} tests, ${own}s)` +
        (this.#failed > 0 ? ` [${this.#failed} failed so far]` : ""),
    );
    for (const line of failures) console.log(line);
  }
}
