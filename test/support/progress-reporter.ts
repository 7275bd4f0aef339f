import { appendFileSync } from "node:fs";
import { relative } from "node:path";
import type { SerializedError } from "vitest";
import type { Reporter, TestModule, TestSpecification } from "vitest/node";

// CI's progress (`.ci/run`): one plain line per finished test file, with its
// place in the run, the elapsed time and its own duration, so a log shows
// where a long run is and which file holds it up. No colours, no redrawing.
// Errors no test result carries (a describe block's failed hook, an error
// outside any test) also go to the file named by SKILLBRIDGE_TEST_PROBLEMS,
// which `.ci/run` adds to the summary at the end of its log.

function problem(line: string): void {
  const file = process.env.SKILLBRIDGE_TEST_PROBLEMS;
  if (file) appendFileSync(file, `${line}\n`);
}

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
    // A failed beforeAll or afterAll fails its describe block, not a test: name the block.
    for (const suite of testModule.children.allSuites()) {
      for (const error of suite.errors()) {
        const line = `error in ${suite.fullName}: ${error.message?.split("\n")[0]?.slice(0, 300) ?? ""}`;
        failures.push(`    ${line}`);
        problem(`  FAIL ${relative(process.cwd(), testModule.moduleId)} > ${line}`);
      }
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

  // An error thrown outside any test (a stray rejection, a timer firing after
  // its file ended) fails the run without failing a test: name it at the end.
  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): void {
    if (errors.length === 0) return;
    console.log(`unhandled errors: ${errors.length}`);
    for (const error of errors) {
      const line = `${error.name ?? "Error"}: ${error.message?.split("\n")[0]?.slice(0, 300) ?? ""}`;
      console.log(`    ${line}`);
      problem(`  unhandled ${line}`);
    }
  }
}
