import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containsQuote, matchForm, quoteIndex } from "../src/ai/quote-match.js";

// matchForm squeezes separators a piece of about 16K characters at a time
// (V8's global replace has a cliff past 256K characters): the pieces must
// join into exactly what one replace over the whole text gives.

/** The definition matchForm implements, in one replace. */
function oneReplace(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

// 𠀀 (U+20000) is a letter outside the Basic Multilingual Plane that NFKC leaves alone:
// cut between its two halves, it would turn into separators.
const ATOMS = [
  "a",
  "Z",
  "4",
  "é",
  "𝐀",
  "𠀀",
  "😀",
  "-",
  " ",
  ", ",
  "—",
  "\n",
  "ﬁ",
  "½",
  "...",
  "...",
];

describe("matchForm", () => {
  it("keeps letters and digits of every script, lower-cased, one space for each separator run", () => {
    expect(matchForm("  Light ENERGY, turned—into… chemical energy!! ")).toBe(
      "light energy turned into chemical energy",
    );
    expect(matchForm("x = 42; 𝐀𝐁 ﬁne")).toBe("x 42 ab fine");
  });

  it("gives what one replace over the whole text gives, at every size and where pieces meet", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ATOMS), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.nat({ max: 16_500 }),
        (atoms, times, offset) => {
          // A long text made of a short pattern, shifted so a piece boundary lands anywhere in it.
          const text = "a".repeat(offset) + atoms.join("").repeat(times);
          expect(matchForm(text)).toBe(oneReplace(text));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a separator run across a piece boundary is one space, and an all-separator text is empty", () => {
    const text = `${"a".repeat(16_383)}${" -".repeat(20_000)}b`;
    expect(matchForm(text)).toBe(`${"a".repeat(16_383)} b`);
    expect(matchForm(" -—".repeat(50_000))).toBe("");
  });

  it("finds a quote past the first piece, and refuses one whose words are out of order", () => {
    const source = `${"filler words here. ".repeat(5_000)}Light energy becomes chemical energy.`;
    expect(containsQuote(quoteIndex(source), "light energy ... chemical energy")).toBe(true);
    expect(containsQuote(quoteIndex(source), "chemical energy ... light energy")).toBe(false);
  });
});
