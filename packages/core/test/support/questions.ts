import type { QuestionInput } from "../../src/contracts/index.js";

/**
 * Valid question inputs, one per type, for tests. Ids are prefixed so tests
 * sharing a database do not collide. Content is written for these tests.
 */
export function greQuestions(prefix = "gre"): QuestionInput[] {
  const base = (n: string) => ({
    externalId: `${prefix}-${n}`,
    topic: "algebra",
    difficulty: 3,
  });
  return [
    {
      ...base("mc"),
      type: "multiple_choice",
      prompt: "If 2x + 1 = 9, what is x?",
      options: [
        { id: "A", text: "3" },
        { id: "B", text: "4" },
        { id: "C", text: "5" },
        { id: "D", text: "8" },
        { id: "E", text: "9" },
      ],
      answer: "B",
      explanation: "Subtract 1, then halve: x = 4.",
    },
    {
      ...base("ms"),
      type: "multi_select",
      prompt: "Which of these are prime? Select all that apply.",
      options: [
        { id: "A", text: "2" },
        { id: "B", text: "9" },
        { id: "C", text: "11" },
        { id: "D", text: "15" },
      ],
      answer: ["A", "C"],
    },
    {
      ...base("qc"),
      type: "quantitative_comparison",
      topic: "arithmetic",
      prompt: "x is a positive integer.",
      quantityA: "x + 1",
      quantityB: "x",
      answer: "A",
    },
    {
      ...base("ne"),
      type: "numeric_entry",
      topic: "arithmetic",
      prompt: "What fraction of 48 is 36?",
      answer: "3/4",
    },
    {
      ...base("tc"),
      type: "text_completion",
      topic: "vocabulary",
      prompt: "Her (i) _____ manner hid a (ii) _____ resolve.",
      blanks: [
        {
          options: [
            { id: "A", text: "placid" },
            { id: "B", text: "frantic" },
            { id: "C", text: "brusque" },
          ],
        },
        {
          options: [
            { id: "D", text: "flimsy" },
            { id: "E", text: "steely" },
            { id: "F", text: "wavering" },
          ],
        },
      ],
      answer: ["A", "E"],
    },
    {
      ...base("se"),
      type: "sentence_equivalence",
      topic: "vocabulary",
      prompt: "The critic's review was so _____ that the author stopped reading it.",
      options: [
        { id: "A", text: "scathing" },
        { id: "B", text: "glowing" },
        { id: "C", text: "withering" },
        { id: "D", text: "tepid" },
        { id: "E", text: "lengthy" },
        { id: "F", text: "balanced" },
      ],
      answer: ["A", "C"],
    },
    {
      ...base("sip"),
      type: "select_in_passage",
      topic: "reading",
      prompt: "Select the sentence that states the author's main claim.",
      sentences: [
        "Bridges were once built by trial and error.",
        "Modern engineering replaced guesswork with calculation.",
        "Even so, every new design is tested before it opens.",
      ],
      answer: 1,
    },
  ];
}

export function satQuestions(prefix = "sat"): QuestionInput[] {
  return [
    {
      externalId: `${prefix}-mc`,
      type: "multiple_choice",
      prompt: "What is the slope of y = 3x - 2?",
      topic: "linear-functions",
      difficulty: 1,
      options: [
        { id: "A", text: "-2" },
        { id: "B", text: "2" },
        { id: "C", text: "3" },
        { id: "D", text: "5" },
      ],
      answer: "C",
    },
    {
      externalId: `${prefix}-grid`,
      type: "grid_in",
      prompt:
        "A recipe uses 1 cup of sugar for 3 cups of flour. How many cups of sugar per cup of flour?",
      topic: "ratios",
      difficulty: 2,
      answer: ["1/3"],
      standardId: "SAT.PSDA.1",
      tags: ["ratios", "grid-in"],
    },
  ];
}
