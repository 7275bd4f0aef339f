import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inferQuestionFormat, QuestionFileError, readQuestionFile } from "../src/index.js";
import { chunks, fileError, readAll, summary } from "./support/question-files.js";
import { satQuestions } from "./support/questions.js";

// Whatever the bytes, reading a question file either yields rows or throws
// one QuestionFileError naming the problem and, when it can, the line.

const ndjson = { bank: "sat", format: "ndjson" } as const;
const lines = satQuestions()
  .map((q) => JSON.stringify(q))
  .join("\n");
const dir = mkdtempSync(join(tmpdir(), "sb-question-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function utf16(text: string, endian: "le" | "be", bom: boolean): Uint8Array {
  const le = Buffer.from(text, "utf16le");
  const body = endian === "le" ? le : Buffer.from(le).swap16();
  const mark = endian === "le" ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), body]) : body;
}

describe("question file encodings", () => {
  it.each([
    ["UTF-16 LE with a byte order mark", utf16(lines, "le", true), /UTF-16/, 1],
    ["UTF-16 BE with a byte order mark", utf16(lines, "be", true), /UTF-16/, 1],
    ["UTF-16 without a byte order mark", utf16(lines, "le", false), /NUL bytes.*UTF-16/, 1],
  ])("%s is a file-level error asking for UTF-8", async (_, bytes, message, line) => {
    for (const format of ["json", "ndjson", "csv", "gift", "aiken"] as const) {
      const { error, rows } = await fileError([bytes], { bank: "sat", format });
      expect(rows).toEqual([]);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/UTF-8/);
      expect(error.line).toBe(line);
    }
  });

  it("invalid UTF-8 (Latin-1 text) is a file-level error on its line, after the rows before it", async () => {
    const [good, latin] = satQuestions();
    const bytes = Buffer.concat([
      Buffer.from(`${JSON.stringify(good)}\n`),
      Buffer.from(`${JSON.stringify({ ...latin, prompt: "Caf\u00e9 prices" })}\n`, "latin1"),
    ]);
    for (const size of [bytes.length, 5]) {
      const { error, rows } = await fileError(chunks(bytes, size), ndjson);
      expect(summary(rows)).toEqual([[1, "sat-mc", "ok"]]);
      expect(error.line).toBe(2);
      expect(error.message).toMatch(/^Line 2: This line is not valid UTF-8/);
    }
  });

  it("a NUL byte inside otherwise valid text is a file-level error on its line", async () => {
    const { error } = await fileError([`${lines}\n{"a":"\u0000"}\n`], ndjson);
    expect(error.line).toBe(3);
  });

  it("drops a UTF-8 byte order mark and decodes characters split across chunks", async () => {
    const text = `\uFEFF${JSON.stringify({ ...satQuestions()[0], prompt: "Ünïcødé ✓ 数学 🚀" })}\n`;
    for (const size of [1, 2, 3]) {
      const rows = await readAll(chunks(text, size), ndjson);
      expect(rows[0]?.ok && rows[0].question.prompt).toBe("Ünïcødé ✓ 数学 🚀");
    }
  });

  it("reads a file by path, inferring the format from the extension", async () => {
    const path = join(dir, "bank.NDJSON");
    writeFileSync(path, lines);
    const rows = [];
    for await (const row of readQuestionFile(path, { bank: "sat" })) rows.push(row);
    expect(summary(rows)).toEqual([
      [1, "sat-mc", "ok"],
      [2, "sat-grid", "ok"],
    ]);
  });

  it("a missing file is a file-level error, not a raw ENOENT", async () => {
    const { error } = await fileError(join(dir, "nope.csv"), { bank: "sat" });
    expect(error.message).toMatch(/Cannot read .*nope\.csv \(ENOENT\)/);
  });

  it("infers formats from extensions and asks for one it cannot tell", async () => {
    expect(inferQuestionFormat("a/b.json")).toBe("json");
    expect(inferQuestionFormat("b.jsonl")).toBe("ndjson");
    expect(inferQuestionFormat("b.ndjson")).toBe("ndjson");
    expect(inferQuestionFormat("B.CSV")).toBe("csv");
    expect(inferQuestionFormat("b.gift")).toBe("gift");
    expect(inferQuestionFormat("b.aiken")).toBe("aiken");
    expect(() => inferQuestionFormat("bank.txt")).toThrow(QuestionFileError);
    expect(inferQuestionFormat("b.XML")).toBe("xml");
    expect(() => inferQuestionFormat("bank.txt")).toThrow(
      /\(\.txt\): name one of json, ndjson, csv, gift, aiken, xml/,
    );
    // A stream without a format is read as Moodle XML when it starts like XML; otherwise the
    // error asking for a format comes with the first read (the content had to be looked at).
    expect((await fileError([lines], { bank: "sat" })).error.message).toMatch(/Name the format/);
    expect(() => readQuestionFile([lines], { bank: "sat", format: "yaml" as "json" })).toThrow(
      /Unknown format "yaml"/,
    );
  });
});
