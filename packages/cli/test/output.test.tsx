import { stripVTControlCharacters as strip } from "node:util";
import chalk from "chalk";
import { render } from "ink-testing-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Summary, Table, ViewComponent } from "../src/output/components.js";
import { renderPlain } from "../src/output/plain.js";
import type { SummaryView, TableView } from "../src/output/view.js";

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

const academies: TableView = {
  kind: "table",
  columns: [
    { key: "slug", label: "slug" },
    { key: "name", label: "name" },
  ],
  rows: [
    { slug: "north-prep", name: "North Prep" },
    { slug: "sat-masters-academy", name: "SAT\tMasters" },
  ],
  empty: "No academies yet.",
};

const created: SummaryView = {
  kind: "summary",
  title: "Created academy north-prep",
  fields: [
    ["name", "North Prep"],
    ["password", "s3cret-once"],
  ],
  secret: ["password"],
  notes: ["The admin's password is shown once."],
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const FOREGROUND_COLOUR = /\u001b\[3[0-9]m/;

describe("Ink output", () => {
  it("a table pads its columns under an upper-case header", () => {
    const { lastFrame } = render(<Table view={academies} color={false} />);
    expect(strip(lastFrame() ?? "").split("\n")).toEqual([
      "SLUG                 NAME",
      "north-prep           North Prep",
      "sat-masters-academy  SAT\tMasters",
    ]);
  });

  it("an empty table says so instead of printing a bare header", () => {
    const { lastFrame } = render(<Table view={{ ...academies, rows: [] }} color={false} />);
    expect(lastFrame()).toBe("No academies yet.");
  });

  it("a summary aligns its fields and keeps the once-shown note", () => {
    const { lastFrame } = render(<Summary view={created} color={false} />);
    expect(strip(lastFrame() ?? "").split("\n")).toEqual([
      "✔ Created academy north-prep",
      "  name      North Prep",
      "  password  s3cret-once",
      "The admin's password is shown once.",
    ]);
  });

  it("with colours off nothing is coloured", () => {
    const { lastFrame } = render(<ViewComponent view={created} color={false} />);
    expect(lastFrame()).not.toMatch(FOREGROUND_COLOUR);
  });

  it("with colours on the secret is highlighted", () => {
    const { lastFrame } = render(<ViewComponent view={created} color />);
    const line =
      lastFrame()
        ?.split("\n")
        .find((l) => l.includes("s3cret-once")) ?? "";
    expect(line).toMatch(ANSI);
  });
});

describe("plain output for pipes", () => {
  it("tables are tab-separated rows with no header, tabs inside values flattened", () => {
    expect(renderPlain(academies)).toBe(
      "north-prep\tNorth Prep\nsat-masters-academy\tSAT Masters\n",
    );
  });

  it("summaries are label: value lines", () => {
    expect(renderPlain(created)).toBe(
      "Created academy north-prep\nname: North Prep\npassword: s3cret-once\nThe admin's password is shown once.\n",
    );
  });

  it("a summary's table follows its fields as rows without a header, like every piped table", () => {
    const report: SummaryView = {
      kind: "summary",
      title: "Imported bank.csv",
      fields: [["rejected", "1"]],
      table: { ...academies, rows: [{ slug: "3", name: "difficulty: Too big" }] },
    };
    expect(renderPlain(report)).toBe("Imported bank.csv\nrejected: 1\n3\tdifficulty: Too big\n");
    const { lastFrame } = render(<Summary view={report} color={false} />);
    expect(strip(lastFrame() ?? "")).toContain("3     difficulty: Too big");
  });

  it("a bare value is printed alone, for $(...) capture", () => {
    expect(renderPlain({ kind: "text", text: "eyJhbGciOi" })).toBe("eyJhbGciOi\n");
  });
});
