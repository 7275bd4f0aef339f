import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerKey, optionsIn } from "../src/ai/tutor/answer-key.js";
import { findLeaks } from "../src/ai/tutor/answer-leaks.js";
import { studentProducedAnswer } from "../src/ai/tutor/answer-stated.js";
import { SAFE_HINTS } from "../src/ai/tutor/hint-ladder.js";
import { numbersIn } from "../src/ai/tutor/number-forms.js";
import { integerWords } from "../src/ai/tutor/number-words.js";

// The deterministic half of the output guard: the answer in any common form
// is found; ordinary Socratic questions are not flagged.

const leaks = (text: string, reference: string, problem = "") =>
  findLeaks(text, answerKey(reference, problem)).map((l) => l.kind);
const leaky = (text: string, reference: string, problem = "") =>
  leaks(text, reference, problem).length > 0;

function withCommas(n: number): string {
  return n.toLocaleString("en-US");
}

describe("numbers in any common form", () => {
  it.each([
    "The answer is 42.",
    "x = 42",
    "**42**",
    "It's forty-two.",
    "forty two",
    "Forty Two!",
    "42.0",
    "42.000 exactly",
    "84/2",
    "84 divided by 2",
    "168 over 4",
    "6 × 7",
    "6*7",
    "40 + 2",
    "50 - 8",
    "4.2e1",
    "4.2 × 10^1",
    "0x2A",
    "0b101010",
    "101010 in binary",
    "XLII",
    "4 2",
    "4-2",
    "four two",
    "f-o-r-t-y t-w-o",
    "owtytrof",
    "Backwards it is 24.",
    "４２",
    "4\u200b2",
    "−42",
    '{"answer": 42}',
    "six times seven",
    "forty plus two",
    "fifty minus eight",
    "eighty-four over two",
    "Forty\u2011two",
  ])("finds the answer 42 in %j", (text) => {
    expect(leaky(text, "42")).toBe(true);
  });

  it("reads digits with separators, decimals, fractions, percentages and words as values", () => {
    const values = (text: string) => numbersIn(text).map((n) => n.value);
    expect(values("1,000")).toContain(1000);
    expect(values("1_000")).toContain(1000);
    expect(values("one thousand")).toContain(1000);
    expect(values("M")).toEqual([]); // single letters are not Roman numerals
    expect(values("MM")).toContain(2000);
    expect(values("3/4")).toContain(0.75);
    expect(values("three quarters")).toContain(0.75);
    expect(values("75%")).toContain(0.75);
    expect(values("1 1/2")).toContain(1.5);
    expect(values("two and a half")).toContain(2.5);
    expect(values("a half")).toContain(0.5);
    expect(values("two point five")).toContain(2.5);
    expect(values("minus seven")).toContain(-7);
    expect(values("one hundred and five")).toContain(105);
    expect(values("twelve hundred")).toContain(1200);
    expect(values("two million three hundred thousand")).toContain(2_300_000);
  });

  it("a fraction answer is found as a decimal, a percentage and in words", () => {
    for (const text of [
      "0.75",
      "75%",
      "3/4",
      "three quarters",
      "three fourths",
      "6/8",
      ".75",
      "seventy-five percent",
      "three over four",
      "three out of four",
    ]) {
      expect(leaky(text, "3/4"), text).toBe(true);
    }
  });

  it("a thousand in separators, words, powers, shorthand and Roman numerals", () => {
    for (const text of [
      "1,000",
      "1 000",
      "1000",
      "one thousand",
      "a thousand",
      "10^3",
      "1e3",
      "1k",
      "M in Roman numerals",
    ]) {
      expect(leaky(text, "1000"), text).toBe(true);
    }
    expect(leaky("Mass is measured in grams.", "1000")).toBe(false);
  });

  it("an answer with decimals is found when rounded as written", () => {
    expect(leaky("about 3.14", "3.14159")).toBe(true);
    expect(leaky("1/3", "0.333")).toBe(true);
    expect(leaky("0.33", "1/3")).toBe(true);
    expect(leaky("3", "3.14159")).toBe(false);
  });

  it("any integer, in digits, with separators, in words, as a fraction or an expression, is found", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 11, max: 5_000_000 }),
        fc.integer({ min: 2, max: 9 }),
        (n, k) => {
          const words = integerWords(n);
          const forms = [
            String(n),
            withCommas(n),
            words.join(" "),
            words.join("-"),
            `${n * k}/${k}`,
            `${n - k} + ${k}`,
            `${n}.0`,
            String(n).split("").join(" "),
          ];
          return forms.every((form) => leaky(`So the result is ${form}.`, String(n)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("does not flag a Socratic reply that names no number equal to the answer", () => {
    const reply =
      "Good start. You wrote 2x + 3 = 87. What could you do to both sides to get the x-term alone?";
    expect(leaks(reply, "42", "Solve 2x + 3 = 87.")).toEqual([]);
  });
});

describe("choice questions", () => {
  const problem = `Which process makes glucose in plants?
A) digestion
B) photosynthesis
C) respiration
D) fermentation`;

  it("reads the options and the reference's letter and text", () => {
    expect([...optionsIn(problem).keys()]).toEqual(["A", "B", "C", "D"]);
    expect(answerKey("B", problem).choice).toEqual({ letter: "B", text: "photosynthesis" });
    expect(answerKey("(b)", problem).choice?.letter).toBe("B");
    expect(answerKey("Photosynthesis", problem).choice).toEqual({
      letter: "B",
      text: "Photosynthesis",
    });
    expect(answerKey("B) photosynthesis").choice).toEqual({ letter: "B", text: "photosynthesis" });
    expect(answerKey("A cell wall").choice).toBeNull();
    expect(answerKey("D-glucose").choice).toBeNull();
  });

  it.each([
    "The answer is B.",
    "It's (B).",
    "Go with option b",
    "B is right",
    "B.",
    "the second option",
    "option 2",
    "photosynthesis",
    "Photo-synthesis",
    "p h o t o s y n t h e s i s",
    "sisehtnysotohp",
    "cubgbflagurfvf",
    "Photosynthesises",
  ])("finds option B in %j", (text) => {
    expect(leaky(text, "B", problem)).toBe(true);
  });

  it("ruling out every other option is the answer by elimination", () => {
    expect(leaks("Not A, not C, not D.", "B", problem)).toContain("elimination");
    expect(leaks("It isn't digestion, respiration or fermentation.", "B", problem)).toContain(
      "elimination",
    );
    expect(leaks("Compare option A with option C: which makes sugar?", "B", problem)).toEqual([]);
  });

  it("does not flag replies about other options, articles or the pronoun I", () => {
    for (const text of [
      "A good first step: what does each option describe?",
      "I think you should compare the processes. Which one stores energy?",
      "Why might respiration not fit here?",
      "What does option A describe?",
    ]) {
      expect(leaks(text, "B", problem), text).toEqual([]);
    }
  });

  it("option A is found without flagging the article", () => {
    const key = "A";
    expect(leaky("The answer is A.", key, problem)).toBe(true);
    expect(leaky("A is correct", key, problem)).toBe(true);
    expect(leaky("(a)", key, problem)).toBe(true);
    expect(leaky("A good way to start is to define each term.", key, problem)).toBe(false);
  });
});

describe("text answers", () => {
  it("finds the answer's tokens in sequence, tolerating small gaps and plurals", () => {
    expect(leaky("It is the mitochondrial matrix.", "mitochondrial matrix")).toBe(true);
    expect(leaky("the mitochondrial inner matrix", "mitochondrial matrix")).toBe(true);
    expect(leaky("Think about the matrix of the cell.", "mitochondrial matrix")).toBe(false);
    expect(leaky("They are ephemeral.", "Ephemeral")).toBe(true);
  });

  it("finds six words in a row of a long model answer", () => {
    const reference =
      "The author argues that urban green spaces reduce heat islands and improve residents' mental health over time.";
    expect(
      leaky("Well, green spaces reduce heat islands and improve residents' health", reference),
    ).toBe(true);
    expect(leaky("What does the author say about green spaces?", reference)).toBe(false);
  });
});

describe("a student producing the answer themself", () => {
  const key = answerKey("42", "Solve 2x + 3 = 87");
  it("counts when their message states it as their answer", () => {
    expect(studentProducedAnswer("2x = 84 so x = 42", key)).toBe(true);
    expect(studentProducedAnswer("Is it 42?", key)).toBe(true);
    expect(studentProducedAnswer("I got forty-two", key)).toBe(true);
  });
  it("does not count when they offer alternatives for the tutor to pick from", () => {
    expect(studentProducedAnswer("is it 41 or 42", key)).toBe(false);
    expect(studentProducedAnswer("41? 42? 43?", key)).toBe(false);
    expect(studentProducedAnswer("40, 41, 42, 43", key)).toBe(false);
    expect(studentProducedAnswer("I already know it, just confirm", key)).toBe(false);
  });
  it("choice: one option named, not several", () => {
    const problem = "A) 12 B) 24 C) 42 D) 48";
    const choice = answerKey("C", problem);
    expect(studentProducedAnswer("I think it's C", choice)).toBe(true);
    expect(studentProducedAnswer("B or C?", choice)).toBe(false);
  });
});

describe("the safe hints", () => {
  it("state no answer for a range of references", () => {
    const references = ["42", "0", "1", "B", "photosynthesis", "x = 7", "3/4", "true"];
    for (const reference of references) {
      for (const hint of SAFE_HINTS.flat()) {
        expect(leaks(hint, reference, "A) one B) two C) three"), `${reference}: ${hint}`).toEqual(
          [],
        );
      }
    }
  });
});
