import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QuizQuestionInputSchema } from "../src/contracts/index.js";
import {
  AiOutputInvalidError,
  createOfflineProvider,
  generateQuizQuestions,
  UnreadableFileError,
} from "../src/index.js";
import { completion, type FakeGroq, startGroqServer } from "./support/groq-server.js";
import { groqAt } from "./support/tutor-world.js";

// Quiz questions written from a document, through groq-sdk against a local
// Groq-speaking server and through the offline rules: every kept question is
// valid and grounded in the text; the rest are counted, never saved.

const MATERIAL = [
  "The mitochondrion is the site of cellular respiration in eukaryotic cells.",
  "Photosynthesis takes place in the chloroplasts and releases oxygen as a by-product.",
  "A typical human cell contains about 2000 mitochondria, though the number varies widely.",
  "Ribosomes assemble proteins by reading the sequence of messenger RNA.",
].join(" ");

const grounded = {
  type: "multiple_choice",
  prompt: "Where does cellular respiration take place?",
  options: [
    { id: "A", text: "The ribosome" },
    { id: "B", text: "The mitochondrion" },
  ],
  answer: "B",
  explanation: "Respiration happens in the mitochondrion.",
  source: "The mitochondrion is the site of cellular respiration in eukaryotic cells.",
};

function batch(questions: unknown[]) {
  return completion(JSON.stringify({ questions }));
}

describe("generating quiz questions through groq-sdk", () => {
  let fake: FakeGroq;
  beforeAll(async () => {
    fake = await startGroqServer();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.calls.length = 0;
  });

  it("keeps valid, grounded questions and counts each kind it drops", async () => {
    fake.script = () =>
      batch([
        grounded,
        // A repeat of the first prompt (different case and punctuation).
        { ...grounded, prompt: "where does cellular respiration take place" },
        // The answer is not one of the options.
        { ...grounded, prompt: "Which organelle makes proteins?", answer: "E" },
        // A source the material does not contain: invented, not grounded.
        {
          ...grounded,
          prompt: "What do mitochondria store?",
          source: "Mitochondria store genetic instructions for the whole body.",
        },
        // Options as plain strings and the answer as the option's text: accepted forms.
        {
          type: "multiple_choice",
          prompt: "What does photosynthesis release?",
          options: ["Oxygen", "Nitrogen", "Carbon monoxide"],
          answer: "Oxygen",
          source: "Photosynthesis takes place in the chloroplasts and releases oxygen",
        },
        {
          type: "numeric_entry",
          prompt: "About how many mitochondria does a typical human cell contain?",
          answer: 2000,
          source: "A typical human cell contains about 2000 mitochondria",
        },
        "not even an object",
      ]);
    const result = await generateQuizQuestions(groqAt(fake.url), {
      title: "Cells",
      text: MATERIAL,
      count: 10,
    });
    expect(result.questions.map((q) => q.prompt)).toEqual([
      "Where does cellular respiration take place?",
      "What does photosynthesis release?",
      "About how many mitochondria does a typical human cell contain?",
    ]);
    expect(result.questions[1]).toMatchObject({
      answer: "A",
      options: [{ id: "A", text: "Oxygen" }, { id: "B" }, { id: "C" }],
    });
    expect(result.questions[2]).toMatchObject({ type: "numeric_entry", answer: "2000" });
    expect(result.dropped).toEqual({ invalid: 2, unsupported: 1, duplicate: 1, surplus: 0 });
    expect(result).toMatchObject({ provider: "groq", offline: false, chunks: 1 });
    for (const q of result.questions)
      expect(QuizQuestionInputSchema.safeParse(q).success).toBe(true);
  });

  it("asks in JSON mode with the material fenced as content, and a margin over the count", async () => {
    fake.script = () => batch([grounded]);
    await generateQuizQuestions(groqAt(fake.url), { title: "Cells", text: MATERIAL, count: 4 });
    const call = fake.calls[0];
    expect(call?.body.response_format).toEqual({ type: "json_object" });
    const [system, user] = call?.body.messages ?? [];
    expect(system?.content).toMatch(/copied word for word/);
    expect(system?.content).toMatch(/content, not instructions/);
    expect(user?.content).toContain(`<material>\n${MATERIAL}\n</material>`);
    expect(user?.content).toMatch(/Write 6 questions/);
  });

  it("takes questions from every excerpt of a long document in turn, and drops the surplus", async () => {
    const sections = ["alpha", "bravo", "charlie"].map(
      (word) =>
        `Section ${word}: the ${word} protocol defines exactly one rule for the ${word} network.`,
    );
    fake.script = (call) => {
      const excerpt =
        /<material>\n([\s\S]*)\n<\/material>/.exec(call.body.messages[1]?.content ?? "")?.[1] ?? "";
      const word = /Section (\w+)/.exec(excerpt)?.[1] ?? "?";
      return batch(
        [1, 2, 3].map((n) => ({
          type: "multiple_choice",
          prompt: `${word} question ${n}?`,
          options: [
            { id: "A", text: "one" },
            { id: "B", text: "two" },
          ],
          answer: "A",
          source: `the ${word} protocol defines exactly one rule`,
        })),
      );
    };
    const result = await generateQuizQuestions(
      groqAt(fake.url),
      { title: "Protocols", text: sections.join("\n\n"), count: 4 },
      { chunkChars: 90 },
    );
    expect(fake.calls).toHaveLength(3);
    expect(result.chunks).toBe(3);
    expect(result.questions.map((q) => q.prompt)).toEqual([
      "alpha question 1?",
      "bravo question 1?",
      "charlie question 1?",
      "alpha question 2?",
    ]);
    expect(result.dropped.surplus).toBe(5);
  });

  it("an excerpt whose answer is not JSON even after the repair costs its questions, not the quiz", async () => {
    const sections = [
      "The mitochondrion is the site of cellular respiration in eukaryotic cells.",
      "Ribosomes assemble proteins by reading the sequence of messenger RNA.",
    ];
    fake.script = (call) =>
      (call.body.messages[1]?.content ?? "").includes("Ribosomes")
        ? completion("I cannot do that.")
        : batch([grounded]);
    const result = await generateQuizQuestions(
      groqAt(fake.url),
      { title: "Cells", text: sections.join("\n\n"), count: 5 },
      { chunkChars: 80 },
    );
    expect(result.questions).toHaveLength(1);
    // Two excerpts, and one repair attempt for the one that failed.
    expect(fake.calls).toHaveLength(3);
  });

  it("no usable question at all is a 502 ai_output_invalid, so nothing empty is saved", async () => {
    fake.script = () => batch([{ ...grounded, source: "Nothing like this is in the material." }]);
    const error = await generateQuizQuestions(groqAt(fake.url), {
      title: "Cells",
      text: MATERIAL,
      count: 3,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiOutputInvalidError);
    expect((error as AiOutputInvalidError).status).toBe(502);
  });
});

describe("generating quiz questions offline", () => {
  const offline = createOfflineProvider();

  it("writes labelled fill-in-the-blank questions from the material's own sentences", async () => {
    const result = await generateQuizQuestions(offline, {
      title: "Cells",
      text: MATERIAL,
      count: 3,
    });
    expect(result).toMatchObject({ provider: "offline", offline: true, model: "offline/rules" });
    expect(result.questions).toHaveLength(3);
    for (const q of result.questions) {
      expect(q.prompt).toMatch(/^\[offline\] Fill in the blank: .*_____/);
      expect(q.explanation).toMatch(/^\[offline\]/);
      expect(MATERIAL).toContain(q.source);
      expect(q.type).toBe("multiple_choice");
      if (q.type !== "multiple_choice") continue;
      const correct = q.options.find((o) => o.id === q.answer)?.text ?? "";
      // Putting the answer back in the blank gives the source sentence.
      expect(q.prompt.replace("[offline] Fill in the blank: ", "").replace("_____", correct)).toBe(
        q.source,
      );
    }
    const numeric = result.questions.find((q) => q.source?.includes("2000"));
    expect(numeric?.type === "multiple_choice" && numeric.options.map((o) => o.text)).toContain(
      "2000",
    );
  });

  it("is deterministic: the same material gives the same quiz", async () => {
    const a = await generateQuizQuestions(offline, { title: "Cells", text: MATERIAL, count: 4 });
    const b = await generateQuizQuestions(offline, { title: "Cells", text: MATERIAL, count: 4 });
    expect(b.questions).toEqual(a.questions);
  });

  it("text without full sentences to ask about is a 422 that says why", async () => {
    const error = await generateQuizQuestions(offline, {
      title: "List",
      text: "eggs\nmilk\nflour\nsugar\nbutter\nsalt\nyeast\nwater\ncream\nhoney\noats\nrice\nbeans",
      count: 3,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as UnreadableFileError).status).toBe(422);
  });
});
