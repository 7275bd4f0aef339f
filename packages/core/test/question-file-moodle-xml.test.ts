import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type QuestionRow, readQuestionFile } from "../src/index.js";
import { chunks, fileError, readAll } from "./support/question-files.js";

// Moodle XML, the format Moodle's question bank exports by default (#20).
// Every fixture here is written for this test in the shape Moodle writes.

const SAMPLES = join(import.meta.dirname, "../../../examples/question-banks");
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/** A Moodle XML file around the given `<question>` elements. */
const quiz = (...questions: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n${questions.join("\n")}\n</quiz>\n`;

const category = (path: string) =>
  `<question type="category"><category><text>${path}</text></category></question>`;

/** A question of `type` with a question text and the given inner XML. */
const question = (type: string, inner: string, text = "<p>What is it?</p>", format = "html") =>
  `<question type="${type}">
  <name><text>A title that is never a key</text></name>
  <questiontext format="${format}"><text><![CDATA[${text}]]></text></questiontext>
  ${inner}
</question>`;

const answer = (fraction: number, text: string, extra = "") =>
  `<answer fraction="${fraction}" format="html"><text><![CDATA[${text}]]></text>${extra}</answer>`;

const read = (xml: string, bank: "sat" | "gre" = "gre") => readAll([xml], { bank, format: "xml" });

function only(rows: QuestionRow[]) {
  expect(rows).toHaveLength(1);
  return rows[0] as QuestionRow;
}

function valid(row: QuestionRow) {
  if (!row.ok) throw new Error(`rejected: ${JSON.stringify(row.errors)}`);
  return row.question;
}

function reasons(row: QuestionRow): string {
  if (row.ok) throw new Error("expected a rejection");
  return row.errors.map((e) => e.message).join(" | ");
}

describe("Moodle XML files", () => {
  it("reads the sample files: every question imports, none is rejected", async () => {
    const sat = await readAll(join(SAMPLES, "sat.xml"), { bank: "sat" });
    expect(sat.map((r) => [r.ok, r.externalId, r.line])).toEqual([
      [true, "sat-xml-slope-graph", 14],
      [true, "sat-xml-parallel", 54],
      [true, "sat-xml-solve-x", 81],
      [true, "sat-xml-half", 102],
    ]);
    const gre = await readAll(join(SAMPLES, "gre.xml"), { bank: "gre" });
    expect(gre.every((r) => r.ok)).toBe(true);
    expect(gre.map((r) => (r.ok ? r.question.type : "rejected"))).toEqual([
      "multi_select",
      "numeric_entry",
      "numeric_entry",
    ]);
  });

  it("single-answer multichoice becomes multiple choice, with idnumber as externalId, tags, and the category's topic", async () => {
    const q = valid(
      only(
        await read(
          quiz(
            category("$course$/top/GRE/Algebra//Functions"),
            question(
              "multichoice",
              `<idnumber>alg-1</idnumber><single>true</single>
               ${answer(0, "<p>1</p>")}${answer(100, "<p>2</p>")}${answer(0, "<p>3</p>")}
               <tags><tag><text>linear</text></tag><tag><text>linear</text></tag><tag><text>easy</text></tag></tags>`,
            ),
          ),
        ),
      ),
    );
    expect(q).toMatchObject({
      externalId: "alg-1",
      type: "multiple_choice",
      format: "html",
      topic: "Algebra/Functions",
      difficulty: 3,
      prompt: "<p>What is it?</p>",
      options: [
        { id: "A", text: "<p>1</p>" },
        { id: "B", text: "<p>2</p>" },
        { id: "C", text: "<p>3</p>" },
      ],
      answer: "B",
      tags: ["linear", "easy"],
    });
  });

  it("multiple-answer multichoice becomes multi-select: the answers with a positive grade are right", async () => {
    const q = valid(
      only(
        await read(
          quiz(
            question(
              "multichoice",
              `<single>false</single>${answer(50, "a")}${answer(-100, "b")}${answer(50, "c")}${answer(0, "d")}`,
            ),
          ),
        ),
      ),
    );
    expect(q).toMatchObject({ type: "multi_select", answer: ["A", "C"] });
  });

  it("refuses a single-answer multichoice with no 100% answer, or with two", async () => {
    const none = only(
      await read(quiz(question("multichoice", `${answer(50, "a")}${answer(50, "b")}`))),
    );
    expect(reasons(none)).toMatch(/No answer is worth 100%/);
    const two = only(
      await read(quiz(question("multichoice", `${answer(100, "a")}${answer(100, "b")}`))),
    );
    expect(reasons(two)).toMatch(/2 answers are each worth 100%/);
  });

  it("truefalse becomes a True/False multiple choice; general feedback is the explanation", async () => {
    const q = valid(
      only(
        await read(
          quiz(
            question(
              "truefalse",
              `<generalfeedback format="html"><text>Because.</text></generalfeedback>
               ${answer(0, "true")}${answer(100, "false")}`,
            ),
          ),
        ),
      ),
    );
    expect(q).toMatchObject({
      type: "multiple_choice",
      options: [
        { id: "A", text: "True" },
        { id: "B", text: "False" },
      ],
      answer: "B",
      explanation: "Because.",
    });
  });

  it("numerical: a tolerance in the GRE bank, several answers of one value, exact grid-ins in the SAT bank", async () => {
    const tolerance = valid(
      only(
        await read(
          quiz(
            question(
              "numerical",
              `${answer(100, "3.14", "<tolerance>0.01</tolerance>")}${answer(0, "*")}${answer(50, "3", "<tolerance>0.5</tolerance>")}`,
            ),
          ),
        ),
      ),
    );
    expect(tolerance).toMatchObject({ type: "numeric_entry", answer: "3.14", tolerance: 0.01 });
    const same = valid(
      only(await read(quiz(question("numerical", `${answer(100, "0.5")}${answer(100, ".50")}`)))),
    );
    expect(same).toMatchObject({ type: "numeric_entry", answer: "0.5" });
    expect(same).not.toHaveProperty("tolerance");
    const differ = only(
      await read(quiz(question("numerical", `${answer(100, "2")}${answer(100, "3")}`))),
    );
    expect(reasons(differ)).toMatch(/one right answer; this question has several \(2, 3\)/);
    const grid = valid(
      only(
        await read(quiz(question("numerical", `${answer(100, "2")}${answer(100, "3")}`)), "sat"),
      ),
    );
    expect(grid).toMatchObject({ type: "grid_in", answer: ["2", "3"], section: "math" });
    const inexact = only(
      await read(
        quiz(question("numerical", answer(100, "2", "<tolerance>0.1</tolerance>"))),
        "sat",
      ),
    );
    expect(reasons(inexact)).toMatch(/SAT grid-ins are exact/);
  });

  it("shortanswer with numbers becomes a grid-in or numeric entry; with words, a clear reason", async () => {
    const sat = valid(
      only(
        await read(
          quiz(question("shortanswer", `${answer(100, "3/4")}${answer(100, "0.75")}`)),
          "sat",
        ),
      ),
    );
    expect(sat).toMatchObject({ type: "grid_in", answer: ["3/4", "0.75"] });
    const words = only(
      await read(quiz(question("shortanswer", `${answer(100, "Paris")}${answer(0, "*")}`))),
    );
    expect(reasons(words)).toMatch(/Short answers must be numbers.*"Paris" is not/);
  });

  it("refuses every type SkillBridge cannot hold, each with its reason and its line, and goes on", async () => {
    const rows = await read(
      quiz(
        question("essay", "<responseformat>editor</responseformat>"),
        question("matching", "<subquestion><text>a</text></subquestion>"),
        question("description", ""),
        question("multianswer", ""),
        question("ddwtos", ""),
        question("calculated", ""),
        question("ordering", ""),
        question("somethingnew", ""),
        question("truefalse", `${answer(100, "true")}${answer(0, "false")}`),
      ),
    );
    expect(rows.map((r) => (r.ok ? "ok" : reasons(r)))).toEqual([
      expect.stringMatching(/^Essay questions are marked by hand/),
      "Matching questions have no SAT or GRE type.",
      "A description is text, not a question: there is nothing to answer.",
      "Embedded answers (Cloze) questions have no SAT or GRE type.",
      "Drag and drop into text questions have no SAT or GRE type.",
      expect.stringMatching(/^Calculated questions/),
      "Ordering questions have no SAT or GRE type.",
      'Moodle question type "somethingnew" has no SAT or GRE type.',
      "ok",
    ]);
    expect(rows.map((r) => r.line)).toEqual([3, 8, 13, 18, 23, 28, 33, 38, 43]);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("maps each text format: html, moodle_auto_format, plain_text and markdown", async () => {
    const formats = await read(
      quiz(
        question("truefalse", answer(100, "true") + answer(0, "false"), "<b>x</b>", "html"),
        question(
          "truefalse",
          answer(100, "true") + answer(0, "false"),
          "x < y",
          "moodle_auto_format",
        ),
        question("truefalse", answer(100, "true") + answer(0, "false"), "x < z", "plain_text"),
        question("truefalse", answer(100, "true") + answer(0, "false"), "**x**", "markdown"),
        question("truefalse", answer(100, "true") + answer(0, "false"), "x", "wiki_like"),
      ),
    );
    expect(formats.slice(0, 4).map((r) => valid(r).format)).toEqual([
      "html",
      "plain",
      "plain",
      "markdown",
    ]);
    expect(valid(formats[1] as QuestionRow).prompt).toBe("x < y");
    expect(reasons(formats[4] as QuestionRow)).toMatch(/Unknown text format "wiki_like"/);
  });

  it("one format per question: plain answers beside an HTML question text are escaped into HTML", async () => {
    const q = valid(
      only(
        await read(
          quiz(
            question(
              "multichoice",
              `<answer fraction="100" format="plain_text"><text>a &lt; b</text></answer>
               <answer fraction="0" format="plain_text"><text>a &gt; b</text></answer>`,
            ),
          ),
        ),
      ),
    );
    expect(q).toMatchObject({
      format: "html",
      options: [
        { id: "A", text: "a &lt; b" },
        { id: "B", text: "a &gt; b" },
      ],
    });
    const mixed = only(
      await read(
        quiz(
          question(
            "multichoice",
            `<answer fraction="100" format="markdown"><text>*a*</text></answer>${answer(0, "b")}`,
          ),
        ),
      ),
    );
    expect(reasons(mixed)).toMatch(/mixes HTML and markdown/);
  });

  it("keeps embedded images with the question as data URIs: never a broken @@PLUGINFILE@@ link", async () => {
    const q = valid(
      only(
        await read(
          quiz(
            question(
              "truefalse",
              `<generalfeedback format="html"><text><![CDATA[<img src="@@PLUGINFILE@@/sub/b.gif">]]></text>
                 <file name="b.gif" path="/sub/" encoding="base64">R0lGODlhAQABAAAAACw=</file></generalfeedback>
               ${answer(100, "true")}${answer(0, "false")}`,
              '<p><img src="@@PLUGINFILE@@/my%20graph.png" alt="graph"></p>',
            ).replace(
              "</questiontext>",
              `<file name="my graph.png" path="/" encoding="base64">\n${PNG.slice(0, 40)}\n${PNG.slice(40)}\n</file></questiontext>`,
            ),
          ),
        ),
      ),
    );
    expect(q.prompt).toBe(`<p><img src="data:image/png;base64,${PNG}" alt="graph" /></p>`);
    expect(q.explanation).toBe('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" />');
    expect(JSON.stringify(q)).not.toContain("@@PLUGINFILE@@");

    const missing = only(
      await read(
        quiz(
          question(
            "truefalse",
            `${answer(100, "true")}${answer(0, "false")}`,
            '<img src="@@PLUGINFILE@@/gone.png">',
          ),
        ),
      ),
    );
    expect(reasons(missing)).toBe('The text refers to the file "gone.png", which is not in it.');
    const pdf = only(
      await read(
        quiz(
          question(
            "truefalse",
            `${answer(100, "true")}${answer(0, "false")}`,
            '<a href="@@PLUGINFILE@@/notes.pdf">notes</a>',
          ).replace(
            "</questiontext>",
            '<file name="notes.pdf" path="/" encoding="base64">JVBERi0=</file></questiontext>',
          ),
        ),
      ),
    );
    expect(reasons(pdf)).toMatch(/"notes.pdf" is not a png, jpeg, gif, webp or bmp image/);
  });

  it("sanitises HTML from the file: no script, no event handler, no javascript: link", async () => {
    const q = valid(
      only(
        await read(
          quiz(
            question(
              "truefalse",
              `${answer(100, "true")}${answer(0, "false")}`,
              '<p onclick="steal()">Is <b>2</b> prime?<script>steal()</script><img src="x" onerror="steal()"><a href="javascript:steal()">link</a></p><iframe src="https://evil.example"></iframe><style>p{}</style>',
            ),
          ),
        ),
      ),
    );
    expect(q.prompt).toBe("<p>Is <b>2</b> prime?<a>link</a></p>");
  });

  it("without an idnumber the externalId comes from the whole content, not the title", async () => {
    const make = (right: string) =>
      question(
        "multichoice",
        `${answer(right === "a" ? 100 : 0, "a")}${answer(right === "b" ? 100 : 0, "b")}`,
      );
    const rows = await read(quiz(make("a"), make("b"), make("a")));
    const ids = rows.map((r) => r.externalId);
    expect(ids[0]).toMatch(/^moodle-[0-9a-f]{16}$/);
    expect(ids[1]).not.toBe(ids[0]);
    // The same question twice is the same id: the later one is reported as a repeat.
    expect(ids[2]).toBe(ids[0]);
    expect(reasons(rows[2] as QuestionRow)).toMatch(/already used on line 3/);
    // A new category (topic) or feedback is the same question, to be updated, not a new one.
    const moved = await read(
      quiz(
        category("$course$/top/Other"),
        make("a").replace(
          "</question>",
          '<generalfeedback format="html"><text>Why.</text></generalfeedback></question>',
        ),
      ),
    );
    expect(moved.map((r) => r.externalId)).toEqual([ids[0]]);
  });

  it("is recognised by its .xml extension, and by its content in a stream or a .txt file", async () => {
    const xml = quiz(question("truefalse", `${answer(100, "true")}${answer(0, "false")}`));
    expect((await readAll([xml], { bank: "gre" })).map((r) => r.ok)).toEqual([true]);
    expect((await readAll([`\n\n  <quiz>${xml.split("<quiz>")[1]}`], { bank: "gre" })).length).toBe(
      1,
    );
    const { error } = await fileError(["What is 2?\nA) 1\nB) 2\nANSWER: B\n"], { bank: "gre" });
    expect(error.message).toMatch(/Name the format/);
  });

  it("consumes a stream chunk by chunk: a question is yielded before the rest of the file is read", async () => {
    const one = question("truefalse", `${answer(100, "true")}${answer(0, "false")}`);
    let pulled = 0;
    const total = 200;
    async function* source() {
      yield '<?xml version="1.0"?>\n<quiz>\n';
      for (let i = 0; i < total; i++) {
        pulled++;
        yield `${one.replace("What is it?", `What is ${i}?`)}\n`;
      }
      yield "</quiz>\n";
    }
    const seenAt: number[] = [];
    for await (const row of readQuestionFile(source(), {
      bank: "gre",
      format: "xml",
      lookahead: 0,
    })) {
      expect(row.ok).toBe(true);
      seenAt.push(pulled);
    }
    expect(seenAt).toHaveLength(total);
    // Each question comes out within a chunk of the one that finished it: nothing waits for the end.
    seenAt.forEach((at, i) => {
      expect(at).toBeLessThanOrEqual(i + 2);
    });
  });

  it("reads the same wherever the chunks end", async () => {
    const whole = await readAll(join(SAMPLES, "sat.xml"), { bank: "sat" });
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(join(SAMPLES, "sat.xml"));
    for (const size of [1, 7, 64]) {
      expect(await readAll(chunks(bytes, size), { bank: "sat", format: "xml" })).toEqual(whole);
    }
  });

  it("refuses XML that is not well-formed, or not a Moodle quiz, naming the line", async () => {
    const broken = await fileError([quiz(question("truefalse", "<answer fraction='100'>"))], {
      bank: "gre",
      format: "xml",
    });
    expect(broken.error.message).toMatch(/not well-formed XML/);
    expect(broken.error.line).toBeGreaterThan(1);
    const other = await fileError(['<?xml version="1.0"?>\n<html><body/></html>\n'], {
      bank: "gre",
      format: "xml",
    });
    expect(other.error.message).toMatch(
      /This is not a Moodle XML question file: its root element is <html>, not <quiz>\.$/,
    );
    expect(other.error.line).toBe(2);
  });

  it("expands no entity a document declares (no external or recursive entities)", async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<quiz>${question("truefalse", `<idnumber>&x;</idnumber>${answer(100, "true")}${answer(0, "false")}`)}</quiz>`;
    const { error } = await fileError([xml], { bank: "gre", format: "xml" });
    expect(error.message).toMatch(/not well-formed XML/);
  });
});
