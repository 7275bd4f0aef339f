import { describe, expect, it } from "vitest";
import { type QuestionRow, score } from "../src/index.js";
import { readAll } from "./support/question-files.js";

// GIFT as Moodle's qformat_gift reads it: the constructs real files (Moodle's
// exports, other tools' files) use, written here by hand.

const gre = { bank: "gre", format: "gift" } as const;
const sat = { bank: "sat", format: "gift" } as const;
const read = async (text: string, options: typeof gre | typeof sat = gre) =>
  readAll([`${text}\n`], options);
const only = async (text: string, options: typeof gre | typeof sat = gre) => {
  const rows = await read(text, options);
  expect(rows).toHaveLength(1);
  return rows[0] as QuestionRow;
};
const question = (row: QuestionRow) => {
  if (!row.ok) throw new Error(`rejected: ${JSON.stringify(row.errors)}`);
  return row.question;
};
const reason = (row: QuestionRow) => (row.ok ? "ok" : row.errors.map((e) => e.message).join(" | "));

describe("GIFT read as Moodle reads it", () => {
  it("takes format markers off answers and feedback and records the format", async () => {
    const row = await only(
      "[html]Which is <b>blue</b>? {~[html]red =[html]<i>blue</i> ####[html]<b>because</b>}",
    );
    expect(row.ok && row.format).toBe("html");
    expect(question(row)).toMatchObject({
      prompt: "Which is <b>blue</b>?",
      options: [
        { id: "A", text: "red" },
        { id: "B", text: "<i>blue</i>" },
      ],
      answer: "B",
      explanation: "<b>because</b>",
    });
    const plain = await only("Sky? {~[plain]green =[plain]blue ####[markdown]*why*}");
    expect(reason(plain)).toMatch(/question text is plain but markdown is named/);
    const moodle = await only("[moodle]Sky? {~green =blue}");
    expect(moodle.ok && moodle.format).toBe("plain");
    expect(question(moodle).prompt).toBe("Sky?");
  });

  it("reads numerical questions with ~ wrong answers, ignoring the wrong ones", async () => {
    const rows = await read(
      "// [id:n1]\nPi to 0? {#3:2~#Completely wrong}\n\n// [id:n2]\nYear? {#=1822 ~1821}\n\n// [id:n3]\nFeedback {#=1822:0 # right ~#Wrong}",
    );
    expect(
      rows.map((r) =>
        r.ok
          ? [
              r.question.externalId,
              r.question.answer,
              "tolerance" in r.question ? r.question.tolerance : 0,
            ]
          : reason(r),
      ),
    ).toEqual([
      ["n1", "3", 2],
      ["n2", "1822", 0],
      ["n3", "1822", 0],
    ]);
  });

  it("reads -> inside a multiple choice answer as text when the block has a ~; without one it is matching", async () => {
    const choice = await only("Which maps? {=f\\: A -> B ~f\\: B -> A}");
    expect(question(choice)).toMatchObject({
      type: "multiple_choice",
      options: [
        { id: "A", text: "f: A -> B" },
        { id: "B", text: "f: B -> A" },
      ],
      answer: "A",
    });
    expect(reason(await only("Match {=cat -> meow =dog -> woof}"))).toMatch(/Matching questions/);
  });

  it("keeps ranges and tolerances exact, and score() takes both ends of a range", async () => {
    const row = await only("// [id:pi]\nPi? {#3.141..3.142}");
    const q = question(row);
    expect(q).toMatchObject({ type: "numeric_entry", answer: "3.1415", tolerance: 0.0005 });
    expect(score(q, "3.141").correct).toBe(true);
    expect(score(q, "3.142").correct).toBe(true);
    expect(score(q, "3.1405").correct).toBe(false);
    expect(score(q, "3.1421").correct).toBe(false);
    const tolerance = question(await only("Root? {#1.4142:0.0001}"));
    expect(score(tolerance, "1.4143").correct).toBe(true);
    expect(score(tolerance, "1.4141").correct).toBe(true);
    expect(score(tolerance, "1.41409").correct).toBe(false);
    expect(reason(await only("Too fine {#1:0.12345678901234567891}"))).toMatch(
      /more digits than SkillBridge keeps/,
    );
    expect(reason(await only("Backwards {#5..1}"))).toMatch(/runs backwards/);
  });

  it("reads Moodle's // [id:] [tag:] comments as the externalId and tags", async () => {
    const row = await only(
      "// question: 12  name: Capital\n// [id:geo\\]1] [tag:europe] [tag:capitals]\n// @tags: easy-ones\n::Capital:: Seven? {=7 ~8}",
    );
    expect(row.externalId).toBe("geo]1");
    expect(question(row)).toMatchObject({
      externalId: "geo]1",
      tags: ["europe", "capitals", "easy-ones"],
    });
    expect(reason(await only("// [id:a]\n// @id: b\nTwo ids {=1 ~2}"))).toMatch(/2 ids/);
  });

  it("reads exponents and mixed numbers as the numbers they are", async () => {
    expect(question(await only("Thousand? {#1e3}"))).toMatchObject({ answer: "1000" });
    expect(question(await only("Thousand? {#1e3}", sat))).toMatchObject({
      type: "grid_in",
      answer: ["1000"],
    });
    expect(question(await only("Half more? {=1 1/2}"))).toMatchObject({
      type: "numeric_entry",
      answer: "3/2",
    });
    const grid = question(await only("Half more? {=1 1/2 =1.5}", sat));
    expect(grid).toMatchObject({ type: "grid_in", answer: ["3/2", "1.5"] });
    expect(score(grid, "3/2").correct).toBe(true);
  });

  it("takes titles of up to 255 characters, which name nothing", async () => {
    const title = "t".repeat(255);
    const a = await only(`::${title}:: One? {=1 ~2}`);
    expect(a.ok).toBe(true);
    expect(reason(await only(`::${title}x:: One? {=1 ~2}`))).toMatch(
      /256 characters; Moodle allows 255/,
    );
    // The same title on two different questions: two questions, not one overwriting the other.
    const twice = await read("::Q1:: One? {=1 ~2}\n\n::Q1:: Two? {=2 ~1}");
    expect(twice.map((r) => r.ok)).toEqual([true, true]);
    expect(twice[0]?.externalId).not.toBe(twice[1]?.externalId);
  });

  it.each([
    ["essay", "Discuss. {}", /Essay questions/],
    ["matching", "Pairs {=a -> 1 =b -> 2}", /Matching questions/],
    ["description", "Just some text", /descriptions are not questions/],
    ["cloze (several blocks)", "A {=1 ~2} and {=3 ~4}", /a cloze question/],
    [
      "text short answer",
      "Capital of France? {=Paris =paris}",
      /Text short answers are not supported/,
    ],
    ["numerical partial credit", "Year? {#=1822:0 =%50%1822:2}", /Partial credit \(%50%\)/],
  ])("refuses %s with a reason, alone", async (_, text, message) => {
    const rows = await read(`${text}\n\nNext {=1 ~2}`);
    expect(rows.map((r) => r.ok)).toEqual([false, true]);
    expect(reason(rows[0] as QuestionRow)).toMatch(message);
  });
});
