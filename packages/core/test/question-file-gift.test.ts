import { describe, expect, it } from "vitest";
import type { QuestionRow } from "../src/index.js";
import { chunks, firstRowBeforeTail, readAll, summary } from "./support/question-files.js";

const gre = { bank: "gre", format: "gift" } as const;
const sat = { bank: "sat", format: "gift" } as const;
const question = (row: QuestionRow | undefined) => (row?.ok ? row.question : row?.errors);

describe("GIFT question files", () => {
  it("multiple choice: = marks the answer, options lettered in order, #### is the explanation", async () => {
    const rows = await readAll(
      ["// [id:g1]\n::g1:: What is 2 + 3? {\n  ~4\n  =5 # right\n  ~6\n  ####Add them.\n}\n"],
      gre,
    );
    expect(rows).toEqual([
      {
        index: 0,
        line: 2,
        externalId: "g1",
        ok: true,
        format: "plain",
        question: {
          externalId: "g1",
          bank: "gre",
          type: "multiple_choice",
          prompt: "What is 2 + 3?",
          topic: "general",
          difficulty: 3,
          explanation: "Add them.",
          options: [
            { id: "A", text: "4" },
            { id: "B", text: "5" },
            { id: "C", text: "6" },
          ],
          answer: "B",
        },
      },
    ]);
  });

  it("true/false becomes a two-option multiple choice", async () => {
    const rows = await readAll(
      ["::t:: Seven is prime. {TRUE}\n\n::f:: Nine is prime. {F#It is 3 x 3.}\n"],
      sat,
    );
    expect(rows.map(question)).toMatchObject([
      {
        type: "multiple_choice",
        options: [
          { id: "A", text: "True" },
          { id: "B", text: "False" },
        ],
        answer: "A",
      },
      { type: "multiple_choice", answer: "B" },
    ]);
  });

  it("multiple answers with percentage weights become a multi-select of the positive ones", async () => {
    const rows = await readAll(["::m:: Primes? {~%50%2 ~%50%3 ~%-50%4 ~%-50%6}\n"], gre);
    expect(question(rows[0])).toMatchObject({ type: "multi_select", answer: ["A", "B"] });
  });

  it("short answers: SAT grid-in accepted answers, GRE one numeric entry", async () => {
    const text = "::s:: Three quarters as a number? {=3/4 =0.75}\n";
    expect(question((await readAll([text], sat))[0])).toMatchObject({
      type: "grid_in",
      answer: ["3/4", "0.75"],
    });
    expect(question((await readAll([text], gre))[0])).toMatchObject({
      type: "numeric_entry",
      answer: "3/4",
    });
    const differ = await readAll(["::d:: Either? {=1 =2}\n"], gre);
    expect(summary(differ)).toEqual([
      [1, undefined, ": A GRE numeric entry has one answer; these short answers differ in value."],
    ]);
  });

  it("numerical: a tolerance or a range becomes a GRE numeric entry's tolerance; SAT grid-ins are exact", async () => {
    const rows = await readAll(
      ["::a:: Pi? {#3.14:0.01}\n\n::b:: Between? {#1..2}\n\n::c:: Exact {#-8}\n"],
      gre,
    );
    expect(rows.map(question)).toMatchObject([
      { type: "numeric_entry", answer: "3.14", tolerance: 0.01 },
      { type: "numeric_entry", answer: "1.5", tolerance: 0.5 },
      { type: "numeric_entry", answer: "-8" },
    ]);
    expect(rows[2]?.ok && "tolerance" in rows[2].question).toBe(false);
    const satRows = await readAll(["::x:: Exact {#-8}\n\n::y:: Pi? {#3.14:0.01}\n"], sat);
    expect(summary(satRows)).toEqual([
      [1, expect.stringMatching(/^q-/), "ok"],
      [3, undefined, ": SAT grid-ins are exact: remove the tolerance or range."],
    ]);
  });

  it("categories set the topic of the questions after them; metadata comments fill in the rest", async () => {
    const text = [
      "$CATEGORY: $course$/top/GRE/Algebra",
      "",
      "// @difficulty: 5",
      "// @tags: hard, algebra",
      "// @standard: GRE.Q.ALG",
      "::a:: One? {=1 ~2}",
      "",
      "::b:: Two? {=2 ~1}",
      "",
      "$CATEGORY: Geometry",
      "// @topic: circles",
      "::c:: Three? {=3 ~1}",
    ].join("\n");
    expect((await readAll([text], gre)).map(question)).toMatchObject([
      { topic: "Algebra", difficulty: 5, tags: ["hard", "algebra"], standardId: "GRE.Q.ALG" },
      { topic: "Algebra", difficulty: 3 },
      { topic: "circles" },
    ]);
  });

  it("takes defaults for topic and difficulty from the caller", async () => {
    const rows = await readAll(["::a:: One? {=1 ~2}\n"], {
      ...gre,
      defaults: { topic: "warm-up", difficulty: 1 },
    });
    expect(question(rows[0])).toMatchObject({ topic: "warm-up", difficulty: 1 });
  });

  it("missing-word questions put a blank where the answers were", async () => {
    const rows = await readAll(
      ["::w:: The slope of y = 5x is {=5 ~1} here.\n\n::p:: It ends {=now ~later}.\n"],
      gre,
    );
    expect(rows.map((r) => r.ok && r.question.prompt)).toEqual([
      "The slope of y = 5x is _____ here.",
      "It ends _____.",
    ]);
  });

  it("honours escapes, ids questions without an id by their content, and takes format markers off", async () => {
    const rows = await readAll(["[html]Is 2 \\= 2 \\{really\\}? {=yes \\~ sure ~no}\n"], gre);
    expect(rows[0]?.ok && rows[0].format).toBe("html");
    expect(question(rows[0])).toMatchObject({
      externalId: expect.stringMatching(/^q-[0-9a-f]{20}$/),
      prompt: "Is 2 = 2 {really}?",
      options: [{ text: "yes ~ sure" }, { text: "no" }],
    });
  });

  it("an unclosed { rejects that question alone; the next one is read", async () => {
    const text = "::a:: Broken {=1 ~2\n\n::b:: Fine {=1 ~2}\n";
    expect(summary(await readAll([text], gre))).toEqual([
      [1, undefined, ": The answer block { is never closed with }."],
      [3, expect.stringMatching(/^q-/), "ok"],
    ]);
  });

  it.each([
    ["matching", "::m:: Match {=a -> 1 =b -> 2}", /Matching questions/],
    ["essay", "::e:: Discuss. {}", /Essay questions/],
    ["description", "::d:: Just some text", /descriptions are not questions/],
    [
      "text short answer",
      "::s:: Capital of France? {=Paris}",
      /Text short answers are not supported/,
    ],
    ["partial credit", "::p:: Best? {=A ~%50%B ~C}", /Partial credit \(%50%\)/],
    ["weights not adding to 100", "::w:: Which? {~%50%A ~%40%B ~C}", /add up to 90%/],
    ["two = answers with wrong ones", "::t:: Which? {=A =B ~C}", /More than one = answer/],
    ["no right answer", "::n:: Which? {~A ~B}", /No right answer/],
    ["two answer blocks", "::b:: A {=1 ~2} and {=3 ~4}", /More than one answer block/],
    ["an unclosed title", "::t Which? {=1 ~2}", /title:: is not closed/],
    ["an unknown metadata key", "// @level: 3\n::k:: Which? {=1 ~2}", /unknown @level/],
  ])("rejects %s with a reason", async (_, text, message) => {
    const rows = await readAll([`${text}\n`], gre);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ok).toBe(false);
    expect(rows[0]?.ok === false && rows[0].errors[0]?.message).toMatch(message);
  });

  it("comments and blank lines around questions do not count as questions; lines stay true", async () => {
    const text =
      "// header comment\n\n\n// about a\n::a:: One? {=1 ~2}\n// trailing\n\n\n::b:: Two? {=2 ~1}\n";
    expect(summary(await readAll([text], gre))).toEqual([
      [5, expect.stringMatching(/^q-/), "ok"],
      [9, expect.stringMatching(/^q-/), "ok"],
    ]);
  });

  it("reads the same rows whatever the chunk boundaries, and streams", async () => {
    const text = Array.from({ length: 12 }, (_, i) => `::q${i}:: Q ${i}? {=${i} ~${i + 1}}\n`).join(
      "\n",
    );
    const whole = await readAll([text], gre);
    expect(whole).toHaveLength(12);
    for (const size of [1, 13]) expect(await readAll(chunks(text, size), gre)).toEqual(whole);
    const streamed = await firstRowBeforeTail(
      "::a:: One? {=1 ~2}\n\n",
      "::b:: Two? {=2 ~1}\n",
      gre,
    );
    expect(streamed.firstArrivedBeforeTail).toBe(true);
    expect(streamed.rows).toHaveLength(2);
  });
});
