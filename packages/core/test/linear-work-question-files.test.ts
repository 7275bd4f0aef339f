import { describe, expect, it } from "vitest";
import { type QuestionFormat, readQuestionFile } from "../src/questions/index.js";
import { neutraliseMarkdown, sanitizeQuestionHtml } from "../src/questions/text-format.js";
import { MAX_GROWTH, workGrowth } from "./support/work-growth.js";

// Bounded work on every input (#18): a question file twice as long costs at
// most about twice as much to read, in every format, whether it is long
// (many questions) or wide (one question with a huge field, escapes, many
// options, an embedded image, HTML to sanitise or markdown to neutralise, #20).
// Only the public entry point, `readQuestionFile`, is used, so the
// test holds for whatever reader stands behind it.

const OPTIONS = "A) 3\nB) 4\nC) 5\n";

/** One file per shape: [format, bank, maker of a file of about n characters]. */
const FILES: readonly [string, QuestionFormat, "gre" | "sat", (n: number) => string][] = [
  [
    "CSV, many rows",
    "csv",
    "gre",
    (n) =>
      `externalId,type,prompt,topic,difficulty,optionA,optionB,optionC,optionD,optionE,optionF,answer\n${Array.from(
        { length: Math.ceil(n / 60) },
        (_, i) => `q${i},multiple_choice,"What is ${i}, twice?",algebra,3,1,2,3,4,5,,B`,
      ).join("\n")}\n`,
  ],
  [
    "CSV, one quoted field full of escaped quotes",
    "csv",
    "gre",
    (n) =>
      `externalId,type,prompt,topic,difficulty,optionA,optionB,optionC,optionD,optionE,optionF,answer\nq1,multiple_choice,"${'say ""x"", '.repeat(Math.ceil(n / 12))}",algebra,3,1,2,3,4,5,,B\n`,
  ],
  [
    "JSON, many questions",
    "json",
    "gre",
    (n) =>
      JSON.stringify({
        questions: Array.from({ length: Math.ceil(n / 200) }, (_, i) => ({
          externalId: `q${i}`,
          type: "multiple_choice",
          prompt: `What is ${i}?`,
          topic: "algebra",
          difficulty: 3,
          options: ["A", "B", "C", "D", "E"].map((id) => ({ id, text: id })),
          answer: "B",
        })),
      }),
  ],
  [
    "JSON, one prompt full of escapes",
    "json",
    "gre",
    (n) =>
      `{"questions":[{"externalId":"q1","type":"multiple_choice","prompt":"${'\\"a\\\\ '.repeat(Math.ceil(n / 7))}","topic":"algebra","difficulty":3,"options":[{"id":"A","text":"1"},{"id":"B","text":"2"},{"id":"C","text":"3"},{"id":"D","text":"4"},{"id":"E","text":"5"}],"answer":"B"}]}`,
  ],
  [
    "NDJSON, many lines",
    "ndjson",
    "gre",
    (n) =>
      Array.from({ length: Math.ceil(n / 200) }, (_, i) =>
        JSON.stringify({
          externalId: `q${i}`,
          type: "multiple_choice",
          prompt: `What is ${i}?`,
          topic: "algebra",
          difficulty: 3,
          options: ["A", "B", "C", "D", "E"].map((id) => ({ id, text: id })),
          answer: "B",
        }),
      ).join("\n"),
  ],
  [
    "NDJSON, one huge line",
    "ndjson",
    "gre",
    (n) =>
      JSON.stringify({
        externalId: "q1",
        type: "multiple_choice",
        prompt: "x ".repeat(Math.ceil(n / 2)),
        topic: "algebra",
        difficulty: 3,
        options: ["A", "B", "C", "D", "E"].map((id) => ({ id, text: id })),
        answer: "B",
      }),
  ],
  [
    "GIFT, many questions",
    "gift",
    "gre",
    (n) =>
      Array.from(
        { length: Math.ceil(n / 50) },
        (_, i) => `::g${i}:: What is ${i} + 1? {\n ~1\n =2\n ~3\n}\n`,
      ).join("\n"),
  ],
  [
    "GIFT, one prompt full of escapes",
    "gift",
    "gre",
    (n) => `::g1:: ${"\\{a\\} \\~ \\= ".repeat(Math.ceil(n / 14))}? {\n ~1\n =2\n ~3\n}\n`,
  ],
  [
    "GIFT, one question with very many options",
    "gift",
    "gre",
    (n) => `::g1:: Pick one {\n =right\n${" ~wrong\n".repeat(Math.ceil(n / 8))}}\n`,
  ],
  [
    "Aiken, many questions",
    "aiken",
    "sat",
    (n) =>
      Array.from(
        { length: Math.ceil(n / 40) },
        (_, i) => `What is ${i}?\n${OPTIONS}ANSWER: B\n`,
      ).join("\n"),
  ],
  [
    "Aiken, one huge prompt line",
    "aiken",
    "sat",
    (n) => `${"What is it? ".repeat(Math.ceil(n / 12))}\n${OPTIONS}ANSWER: B\n`,
  ],
  [
    "Moodle XML, many questions",
    "xml",
    "gre",
    (n) =>
      `<?xml version="1.0"?>\n<quiz>\n${Array.from(
        { length: Math.ceil(n / 260) },
        (_, i) =>
          `<question type="multichoice"><questiontext format="html"><text><![CDATA[<p>What is <b>${i}</b>?</p>]]></text></questiontext><answer fraction="100" format="html"><text>1</text></answer><answer fraction="0" format="html"><text>2</text></answer></question>\n`,
      ).join("")}</quiz>\n`,
  ],
  [
    "Moodle XML, one question with a huge embedded image",
    "xml",
    "gre",
    (n) =>
      `<?xml version="1.0"?>\n<quiz>\n<question type="truefalse"><questiontext format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/a.png">]]></text><file name="a.png" path="/" encoding="base64">\n${"QUJD\n".repeat(Math.ceil(n / 5))}</file></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>\n</quiz>\n`,
  ],
  [
    "Moodle XML, one HTML prompt full of tags and handlers to sanitise",
    "xml",
    "gre",
    (n) =>
      `<?xml version="1.0"?>\n<quiz>\n<question type="truefalse"><questiontext format="html"><text><![CDATA[${'<p onclick="x()"><b>a</b><script>x()</script><a href="javascript:x()">l</a></p>'.repeat(Math.ceil(n / 80))}]]></text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>\n</quiz>\n`,
  ],
  [
    "JSON, options in a prompt whose last line is one long run of spaces",
    "json",
    "gre",
    (n) =>
      JSON.stringify({
        questions: [
          {
            externalId: "q1",
            prompt: `Pick one\nA) 1\nB) x${" ".repeat(n)}y`,
            topic: "algebra",
            difficulty: 3,
            answer: "B",
          },
        ],
      }),
  ],
  [
    "JSON, one markdown prompt full of raw HTML",
    "json",
    "gre",
    (n) =>
      JSON.stringify({
        questions: [
          {
            externalId: "q1",
            type: "multiple_choice",
            format: "markdown",
            prompt: "<b>x</b> [a](javascript:y) ".repeat(Math.ceil(n / 28)),
            topic: "algebra",
            difficulty: 3,
            options: ["A", "B"].map((id) => ({ id, text: id })),
            answer: "B",
          },
        ],
      }),
  ],
];

async function readEverything(text: string, format: QuestionFormat, bank: "gre" | "sat") {
  let rows = 0;
  try {
    for await (const _row of readQuestionFile([text], { bank, format })) rows++;
  } catch {
    // A file-level error ends the read; its cost is measured all the same.
  }
  return rows;
}

describe("question files are read with work linear in their size", () => {
  for (const [name, format, bank, make] of FILES) {
    it(name, async () => {
      const growth = await workGrowth(make, (text) => readEverything(text, format, bank), {
        start: 4096,
        maxSize: 1 << 22,
      });
      expect(growth.ratio, growth.describe).toBeLessThan(MAX_GROWTH);
    });
  }
});

/**
 * Shapes that make careless sanitisers slow: deep nesting, endless attributes,
 * unclosed tags. A third field starts the measure at that size: htmlparser2's
 * cost in the depth is a memmove, cheap enough to read near 2 per doubling
 * below 128K characters and 5-6 from there up.
 */
const HTML_SHAPES: readonly (readonly [string, (n: number) => string, number?])[] = [
  ["deeply nested allowed tags", (n) => `${"<b><i>".repeat(n / 6)}x`, 1 << 17],
  // sanitize-html rewrites `<![CDATA[` before it parses: the depth check must read it the same.
  ["deep nesting inside a CDATA opener", (n) => `<![CDATA[${"<b><i>".repeat(n / 6)}x]]>`, 1 << 17],
  ["deeply nested dropped tags", (n) => `${"<script><div>".repeat(n / 13)}x`],
  ["one tag with endless attributes", (n) => `<p ${'onclick="x" a="b" '.repeat(n / 20)}>x</p>`],
  ["an unclosed comment", (n) => `<!--${"-".repeat(n)}`],
  ["an unclosed attribute quote", (n) => `<img src="${"a".repeat(n)}`],
  ["many javascript: links", (n) => '<a href="javascript:x()">l</a>'.repeat(n / 30)],
];

describe("question text is made safe with work linear in its size", () => {
  for (const [name, make, start = 4096] of HTML_SHAPES) {
    it(`HTML: ${name}`, async () => {
      const growth = await workGrowth(
        (n) => make(n),
        (html) => sanitizeQuestionHtml(html),
        { start, maxSize: 1 << 21 },
      );
      expect(growth.ratio, growth.describe).toBeLessThan(MAX_GROWTH);
    });
  }
  it("markdown: raw HTML and script links everywhere", async () => {
    const growth = await workGrowth(
      (n) => "<b>x</b> [a]( javascript:y) ]( ".repeat(n / 32),
      (text) => neutraliseMarkdown(text),
      { start: 4096, maxSize: 1 << 22 },
    );
    expect(growth.ratio, growth.describe).toBeLessThan(MAX_GROWTH);
  });
});
