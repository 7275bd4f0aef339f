import { describe, expect, it } from "vitest";
import { expressionValues, numbersIn } from "../src/ai/tutor/number-forms.js";
import { wordNumbers } from "../src/ai/tutor/number-words.js";
import { optionLettersIn } from "../src/ai/tutor/option-letters.js";
import { asksForHelp, detectPressure } from "../src/ai/tutor/pressure.js";
import { normaliseText, wordTokens } from "../src/ai/tutor/text-normalise.js";
import { NUMERIC, WORDY } from "./support/adversarial-text.js";
import { expectLinear } from "./support/tutor-growth.js";
import { MAX_GROWTH, workGrowth } from "./support/work-growth.js";

// Bounded work on every input (#18): one 1,600-character tutor message cost
// 29 s and stalled every academy. Each function on the tutor's path, fed
// text of length n and then 2n in every adversarial shape, must cost at most
// about twice as much (time(2n)/time(n) under 3, CPU time, best of repeats).

// The guard's two rules are measured in linear-work-tutor-guard.test.ts
// (findLeaks) and linear-work-answer-stated.test.ts (studentProducedAnswer),
// the answer key and a whole turn in linear-work-tutor-turn.test.ts, so the
// growth files share the cores evenly.

describe("the measure itself", () => {
  // What a regression would look like: the rest of the text rescanned from every position
  // (finding 1's shape: every contiguous run read again).
  const quadratic = (text: string) => {
    let sum = 0;
    for (let i = 0; i < text.length; i += 1) {
      for (let j = i; j < text.length; j += 1) sum += text.charCodeAt(j);
    }
    return sum;
  };
  const linear = (text: string) => text.split("-").length;

  it("tells a quadratic path from a linear one", async () => {
    const make = (n: number) => "4-".repeat(n / 2);
    // A quadratic path reads about 4 on a quiet machine; a neighbour's burst during the
    // smaller run can pull one reading under 3 (2.92 once in a full run), so it gets three
    // single measures of one pair each (workGrowth's retries and further pairs keep the lowest
    // reading, which suits a linear path: here they would only look for a reason to pass).
    const once = { start: 256, maxSize: 1 << 20, attempts: 1, pairs: 1 };
    let slow = await workGrowth(make, quadratic, once);
    for (let i = 0; i < 2 && slow.ratio < MAX_GROWTH; i++) {
      const again = await workGrowth(make, quadratic, once);
      if (again.ratio > slow.ratio) slow = again;
    }
    const fast = await workGrowth(make, linear, { start: 256, maxSize: 1 << 20 });
    expect(slow.ratio, slow.describe).toBeGreaterThanOrEqual(MAX_GROWTH);
    expect(fast.ratio, fast.describe).toBeLessThan(MAX_GROWTH);
  });
});

describe("the tutor's text paths do work linear in the message", () => {
  it("expressionValues: the arithmetic reader of finding 1", async () => {
    await expectLinear("expressionValues", expressionValues);
  });

  it("numbersIn and the number-word reader", async () => {
    await expectLinear("numbersIn", numbersIn);
    await expectLinear("wordNumbers", (text) => wordNumbers(text.toLowerCase()), WORDY);
  });

  it("pressure, help and option-letter patterns, text normalising", async () => {
    await expectLinear("detectPressure", detectPressure, WORDY);
    await expectLinear("asksForHelp", asksForHelp, WORDY);
    await expectLinear("optionLettersIn", optionLettersIn, { ...WORDY, ...NUMERIC });
    await expectLinear("normaliseText", normaliseText, NUMERIC);
    await expectLinear("wordTokens", wordTokens, WORDY);
  });
});
