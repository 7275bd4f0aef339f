import { describe, expect, it } from "vitest";
import {
  chunks,
  fileError,
  firstRowBeforeTail,
  readAll,
  summary,
} from "./support/question-files.js";

const gre = { bank: "gre", format: "csv" } as const;
const sat = { bank: "sat", format: "csv" } as const;
const HEADER =
  "externalId,type,prompt,topic,difficulty,optionA,optionB,optionC,optionD,optionE,optionF,answer";

describe("CSV question files", () => {
  it("maps a row to the canonical question: options A-F, lists split on |", async () => {
    const rows = await readAll(
      [`${HEADER},tags\nc1,multi_select,Pick primes,primes,2,2,4,5,,,,A|C,"a|b\\|c"\n`],
      gre,
    );
    expect(rows).toEqual([
      {
        index: 0,
        line: 2,
        externalId: "c1",
        ok: true,
        question: {
          externalId: "c1",
          bank: "gre",
          type: "multi_select",
          prompt: "Pick primes",
          topic: "primes",
          difficulty: 2,
          tags: ["a", "b|c"],
          options: [
            { id: "A", text: "2" },
            { id: "B", text: "4" },
            { id: "C", text: "5" },
          ],
          answer: ["A", "C"],
        },
      },
    ]);
  });

  it("quoted fields hold commas, quotes and line breaks, and later rows keep their true line", async () => {
    const text = [
      HEADER,
      'c1,multiple_choice,"Which is right, A or B?",t,1,"say ""yes""",no,,,,,A',
      'c2,multiple_choice,"A prompt',
      'over two lines",t,1,x,y,,,,,B',
      "",
      "c3,multiple_choice,Plain,t,1,x,y,,,,,A",
    ].join("\n");
    const rows = await readAll([text], gre);
    expect(summary(rows)).toEqual([
      [2, "c1", "ok"],
      [3, "c2", "ok"],
      [6, "c3", "ok"],
    ]);
    expect(rows[0]?.ok && rows[0].question).toMatchObject({
      prompt: "Which is right, A or B?",
      options: [
        { id: "A", text: 'say "yes"' },
        { id: "B", text: "no" },
      ],
    });
    expect(rows[1]?.ok && rows[1].question.prompt).toBe("A prompt\nover two lines");
  });

  it("takes CRLF line ends and a UTF-8 byte order mark", async () => {
    const text = `\uFEFF${HEADER}\r\nc1,multiple_choice,"Two\r\nlines",t,1,x,y,,,,,A\r\nc2,multiple_choice,Q,t,1,x,y,,,,,B\r\n`;
    const rows = await readAll([text], gre);
    expect(summary(rows)).toEqual([
      [2, "c1", "ok"],
      [4, "c2", "ok"],
    ]);
    expect(rows[0]?.ok && rows[0].question.prompt).toBe("Two\nlines");
  });

  it("matches columns by name in any order, case and spelling (external_id, Option A)", async () => {
    const text =
      "Answer,External_ID,TYPE,prompt,topic,difficulty,Option A,option-b\nB,c1,multiple_choice,Q,t,2,x,y\n";
    expect(summary(await readAll([text], gre))).toEqual([[2, "c1", "ok"]]);
  });

  it("text completion: one blank takes A-E, two blanks A-C and D-F, three blanks A-C, D-F, G-I", async () => {
    const header =
      "externalId,type,prompt,topic,difficulty,optionA,optionB,optionC,optionD,optionE,optionF,optionG,optionH,optionI,answer";
    const text = [
      header,
      "t1,text_completion,One ___,v,2,a,b,c,d,e,,,,,C",
      "t2,text_completion,Two ___ ___,v,2,a,b,c,d,e,f,,,,A|F",
      "t3,text_completion,Three ___ ___ ___,v,2,a,b,c,d,e,f,g,h,i,B|D|I",
      "t4,text_completion,Two ___ ___,v,2,a,b,c,d,e,f,g,,,A|F",
      "t5,text_completion,One ___,v,2,a,b,c,,,,,,,A",
    ].join("\n");
    const rows = await readAll([text], gre);
    expect(summary(rows)).toEqual([
      [2, "t1", "ok"],
      [3, "t2", "ok"],
      [4, "t3", "ok"],
      [5, "t4", "optionG: optionG is set but 2 blanks use options A-F."],
      [6, "t5", "blanks.0.options: A one-blank text completion has exactly 5 options."],
    ]);
    expect(rows[2]?.ok && rows[2].question).toMatchObject({
      blanks: [
        { options: [{ id: "A" }, { id: "B" }, { id: "C" }] },
        { options: [{ id: "D" }, { id: "E" }, { id: "F" }] },
        { options: [{ id: "G" }, { id: "H" }, { id: "I" }] },
      ],
      answer: ["B", "D", "I"],
    });
  });

  it("every type has its columns: quantities, tolerance, sentences and grid-in answers", async () => {
    const text = [
      "externalId,type,prompt,topic,difficulty,quantityA,quantityB,tolerance,sentences,answer",
      "q,quantitative_comparison,x > 0,t,3,x,2x,,,B",
      "n,numeric_entry,About pi,t,3,,,0.01,,3.14",
      "s,select_in_passage,Pick one,t,3,,,,First.|Second.|Third.,2",
    ].join("\n");
    const rows = await readAll([text], gre);
    expect(rows.map((r) => (r.ok ? r.question : r.errors))).toMatchObject([
      { type: "quantitative_comparison", quantityA: "x", quantityB: "2x", answer: "B" },
      { type: "numeric_entry", answer: "3.14", tolerance: 0.01 },
      { type: "select_in_passage", sentences: ["First.", "Second.", "Third."], answer: 2 },
    ]);
    const grid = await readAll(
      ["externalId,type,prompt,topic,difficulty,answer\ng,grid_in,Q,t,2,1/3|.3333\n"],
      sat,
    );
    expect(grid[0]?.ok && grid[0].question.answer).toEqual(["1/3", ".3333"]);
  });

  it("rejects bad rows alone: extra cells, a gap in the options, a non-numeric difficulty", async () => {
    const text = [
      HEADER,
      "c1,multiple_choice,Q,t,1,x,y,,,,,A,extra",
      "c2,multiple_choice,Q,t,1,x,,z,,,,A",
      "c3,multiple_choice,Q,t,tough,x,y,,,,,A",
      "c4,multiple_choice,Q,t,1,x,y,,,,,A",
    ].join("\n");
    expect(summary(await readAll([text], gre))).toEqual([
      [2, undefined, ": This row has 13 cells but the header has 12 columns (an unquoted comma?)."],
      [3, "c2", "optionB: optionB is empty but a later option is set."],
      [4, "c3", "difficulty: difficulty must be a whole number 1-5, not text"],
      [5, "c4", "ok"],
    ]);
  });

  it("options on a type without options are refused as an unknown field", async () => {
    const text =
      "externalId,type,prompt,topic,difficulty,optionA,quantityA,quantityB,answer\nq,quantitative_comparison,P,t,2,x,a,b,A\n";
    expect(summary(await readAll([text], gre))).toEqual([
      [2, "q", 'options: Unknown field "options".'],
    ]);
  });

  it("reads the same rows whatever the chunk boundaries", async () => {
    const text = `${HEADER}\n${Array.from({ length: 20 }, (_, i) => `c${i},multiple_choice,"Q, ""${i}""\nmore",t,1,x,y,,,,,A`).join("\n")}\n`;
    const whole = await readAll([text], gre);
    expect(whole).toHaveLength(20);
    expect(whole.at(-1)?.line).toBe(40);
    for (const size of [1, 9, 250]) expect(await readAll(chunks(text, size), gre)).toEqual(whole);
  });

  it("streams: the first row arrives before the rest of the file is read", async () => {
    // csv-parse looks a few characters past a record's end before emitting it, and the text
    // source hands over whole lines, so the head holds a second complete row.
    const result = await firstRowBeforeTail(
      `${HEADER}\nc1,multiple_choice,Q,t,1,x,y,,,,,A\nc2,multiple_choice,Q,t,1,x,y,,,,,B\n`,
      "c3,multiple_choice,Q,t,1,x,y,,,,,A\n",
      gre,
    );
    expect(result.firstArrivedBeforeTail).toBe(true);
    expect(summary(result.rows)).toEqual([
      [2, "c1", "ok"],
      [3, "c2", "ok"],
      [4, "c3", "ok"],
    ]);
  });

  it.each([
    [
      "a stray quote after a closing quote",
      `${HEADER}\nc1,multiple_choice,Q,t,1,x,y,,,,,A\nc2,multiple_choice,"Q"x,t,1,x,y,,,,,A\n`,
      3,
      /Invalid Closing Quote/,
    ],
    [
      "a quote that is never closed",
      `${HEADER}\nc1,multiple_choice,Q,t,1,x,y,,,,,A\nc2,multiple_choice,"Q,t,1,x,y,,,,,A\nc3,a,b\n`,
      3,
      /Quote Not Closed/,
    ],
  ])(
    "%s is a file-level error naming the line, after the rows before it",
    async (_, text, line, message) => {
      const { error, rows } = await fileError([text], gre);
      expect(summary(rows)).toEqual([[2, "c1", "ok"]]);
      expect(error.line).toBe(line);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Check the quoting/);
    },
  );

  it.each([
    [
      "an unknown column",
      "externalId,type,prompt,topic,difficulty,answer,colour\n",
      /Unknown column "colour"/,
    ],
    ["a missing column", "externalId,type,topic,difficulty,answer\n", /Missing column prompt/],
    [
      "a column twice",
      "externalId,type,prompt,topic,difficulty,answer,Answer\n",
      /Column "answer" appears twice/,
    ],
    ["an empty file", "", /empty: it needs a header row/],
  ])("%s is a file-level error", async (_, text, message) => {
    const { error, rows } = await fileError([text], gre);
    expect(rows).toEqual([]);
    expect(error.message).toMatch(message);
  });
});
