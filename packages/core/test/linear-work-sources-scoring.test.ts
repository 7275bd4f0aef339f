import { describe, expect, it } from "vitest";
import { addressesTheGrader } from "../src/ai/grading/injection.js";
import { chunkText, normaliseSourceText, splitSentences } from "../src/ai/quiz/chunk-text.js";
import { extractSourceText } from "../src/ai/quiz/extract-text.js";
import { markdownToText } from "../src/ai/quiz/plain-text.js";
import { containsQuote, quoteIndex } from "../src/ai/quote-match.js";
import {
  AcademyUserQuerySchema,
  QuestionListQuerySchema,
  UserListQuerySchema,
} from "../src/contracts/index.js";
import { readGridIn } from "../src/questions/grid-in.js";
import { parseNumber } from "../src/questions/numbers.js";
import { score } from "../src/questions/scoring.js";
import { createOfflineProvider } from "../src/services/offline-responders.js";
import { ADVERSARIAL, type TextMaker, WORDY } from "./support/adversarial-text.js";
import { MAX_GROWTH, workGrowth } from "./support/work-growth.js";

// Bounded work on every input (#18), beyond the tutor: quiz-generation text
// extraction and chunking, the grounding check of a model's quotes, the
// grader-injection patterns and the offline pre-grader over a submission,
// answer normalising and number parsing in scoring, and list filters.

const MARKDOWN: Readonly<Record<string, TextMaker>> = {
  ...WORDY,
  "unclosed emphasis": (n) => "**a".repeat(Math.ceil(n / 3)),
  "unclosed links": (n) => "[a](".repeat(Math.ceil(n / 4)),
  "unclosed tags": (n) => "<a".repeat(Math.ceil(n / 2)),
  "unclosed code": (n) => "`a".repeat(Math.ceil(n / 2)),
  underscores: (n) => "_a".repeat(Math.ceil(n / 2)),
  "hyphenated line ends": (n) => "a-\n".repeat(Math.ceil(n / 3)),
  "sentence ends": (n) => "a?".repeat(Math.ceil(n / 2)),
  "front matter never closed": (n) => `---\n${"a: b\n".repeat(Math.ceil(n / 5))}`,
  "comments never closed": (n) => "<!--".repeat(Math.ceil(n / 4)),
};

async function expectLinear(
  name: string,
  run: (text: string) => unknown,
  shapes: Readonly<Record<string, TextMaker>> = ADVERSARIAL,
  maxSize = 1 << 21,
) {
  const slow: string[] = [];
  for (const [shape, make] of Object.entries(shapes)) {
    const growth = await workGrowth(make, run, { start: 1024, maxSize });
    if (growth.ratio >= MAX_GROWTH) slow.push(`${name} on ${shape}: ${growth.describe}`);
  }
  expect(slow).toEqual([]);
}

describe("quiz generation's text paths", () => {
  it("Markdown and plain-text uploads are read in linear time", async () => {
    await expectLinear("markdownToText", markdownToText, MARKDOWN);
    await expectLinear(
      "extractSourceText(.md)",
      (text) =>
        extractSourceText({ fileName: "notes.md", bytes: Buffer.from(`# Notes\n\n${text}`) }).catch(
          () => undefined,
        ),
      MARKDOWN,
    );
  });

  it("normalising and chunking the source text", async () => {
    // Up to a million characters: an upload's text is at most a few.
    await expectLinear("normaliseSourceText", normaliseSourceText, MARKDOWN, 1 << 20);
    await expectLinear("splitSentences", splitSentences, MARKDOWN, 1 << 20);
    await expectLinear(
      "chunkText",
      (text) => chunkText(text, { chunkChars: 2_000 }),
      MARKDOWN,
      1 << 20,
    );
  });

  it("checking a model's quotes against the source", async () => {
    // Up to two million characters. This test found V8's global-replace cliff past 256K
    // characters (4.7 per doubling in CI), which matchForm now steps around.
    await expectLinear("containsQuote", (text) =>
      containsQuote(quoteIndex(text), "light energy ... chemical energy"),
    );
  });
});

describe("grading a submission", () => {
  it("the grader-injection patterns and the offline pre-grader", async () => {
    await expectLinear("addressesTheGrader", addressesTheGrader, {
      ...WORDY,
      "grader words": (n) => "give full ".repeat(Math.ceil(n / 10)),
      "ai words": (n) => "ai ".repeat(Math.ceil(n / 3)),
    });
    const offline = createOfflineProvider();
    await expectLinear(
      "offline pre-grade",
      (text) =>
        offline.json({ safeParse: (v: unknown) => ({ success: true, data: v }) } as never, {
          task: "grading.score",
          messages: [],
          facts: {
            content: text,
            referenceAnswer: "Photosynthesis makes glucose from light.",
            rubric: [{ id: "c1", description: "Names photosynthesis and glucose", points: 4 }],
          },
        }),
      WORDY,
    );
  });
});

const NUMBER_SHAPES: Readonly<Record<string, TextMaker>> = {
  "4-4-4": ADVERSARIAL["4-4-4 (finding 1)"] as TextMaker,
  "one long digit run": ADVERSARIAL["one long digit run"] as TextMaker,
  "digits and spaces": ADVERSARIAL["digits and spaces"] as TextMaker,
  "mixed numbers": ADVERSARIAL["mixed numbers"] as TextMaker,
  "spaces around a number": (n) => `${" ".repeat(n)}1/2${" ".repeat(n)}`,
  "digit and spaces": (n) => `1${" ".repeat(n)}x`,
};

describe("scoring and number parsing", () => {
  it("parseNumber and reading a grid-in", async () => {
    await expectLinear(
      "parseNumber",
      (text) => parseNumber(text, { exponent: true }),
      NUMBER_SHAPES,
      1 << 20,
    );
    await expectLinear("readGridIn", readGridIn, NUMBER_SHAPES, 1 << 20);
  });

  it("scoring a response of every text-bearing type", async () => {
    await expectLinear(
      "score(numeric_entry)",
      (text) => score({ type: "numeric_entry", answer: "3/4", tolerance: 0.01 }, text),
      NUMBER_SHAPES,
      1 << 20,
    );
    await expectLinear(
      "score(grid_in)",
      (text) => score({ type: "grid_in", answer: ["1/3"] }, text),
      NUMBER_SHAPES,
      1 << 20,
    );
    await expectLinear(
      "score(multi_select)",
      (text) => score({ type: "multi_select", answer: ["A", "C"] }, text.split(" ")),
      NUMBER_SHAPES,
      1 << 18,
    );
  });
});

const FILTER_SHAPES: Readonly<Record<string, TextMaker>> = {
  letters: ADVERSARIAL.letters as TextMaker,
  chatter: ADVERSARIAL.chatter as TextMaker,
  "an address without an @": (n) => "a.".repeat(Math.ceil(n / 2)),
  "an address with a long domain": (n) => `a@${"a.".repeat(Math.ceil(n / 2))}1`,
  "spaces around a topic": (n) => `${" ".repeat(n)}algebra${" ".repeat(n)}`,
};

describe("list filters", () => {
  it("a topic filter and a cursor are parsed and refused in linear time", async () => {
    await expectLinear(
      "QuestionListQuery.topic",
      (text) => QuestionListQuerySchema.safeParse({ topic: text }),
      FILTER_SHAPES,
      1 << 20,
    );
    await expectLinear(
      "cursor",
      (text) => QuestionListQuerySchema.safeParse({ cursor: text }),
      FILTER_SHAPES,
      1 << 20,
    );
  });

  it("email filters are parsed and refused in linear time", async () => {
    await expectLinear(
      "UserListQuery.email",
      (text) => UserListQuerySchema.safeParse({ email: text }),
      FILTER_SHAPES,
      1 << 20,
    );
    await expectLinear(
      "AcademyUserQuery.email",
      (text) => AcademyUserQuerySchema.safeParse({ email: text }),
      FILTER_SHAPES,
      1 << 20,
    );
  });
});
