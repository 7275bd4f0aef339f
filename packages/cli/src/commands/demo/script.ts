import type { CreateQuizBody, QuestionInput } from "@skillbridge/sdk";

/**
 * The demo academy's cast and content: original, made-up SAT and GRE material.
 * Keys name people and things so the seeding and the views can refer to them.
 */

export const DEMO_SLUG = "demo-academy";
export const DEMO_NAME = "Demo Prep Academy";

export const PEOPLE = {
  admin: { email: "avery.admin@demo.skillbridge.invalid", name: "Avery Admin", role: "admin" },
  irene: {
    email: "irene.instructor@demo.skillbridge.invalid",
    name: "Irene Instructor",
    role: "instructor",
  },
  omar: { email: "omar.okafor@demo.skillbridge.invalid", name: "Omar Okafor", role: "instructor" },
  sam: { email: "sam.student@demo.skillbridge.invalid", name: "Sam Student", role: "student" },
  kim: { email: "kim.lee@demo.skillbridge.invalid", name: "Kim Lee", role: "student" },
  ana: { email: "ana.garcia@demo.skillbridge.invalid", name: "Ana Garcia", role: "student" },
  raj: { email: "raj.patel@demo.skillbridge.invalid", name: "Raj Patel", role: "student" },
  pat: { email: "pat.parent@demo.skillbridge.invalid", name: "Pat Student", role: "parent" },
} as const;

export type Person = keyof typeof PEOPLE;

/** Who plays each role in the four views. */
export const VIEWERS = {
  admin: "admin",
  instructor: "irene",
  student: "sam",
  parent: "pat",
} as const;
export type DemoRole = keyof typeof VIEWERS;
export const DEMO_ROLES = Object.keys(VIEWERS) as DemoRole[];

/** The parent follows Sam only. */
export const PARENT_LINKS: readonly [Person, Person][] = [["pat", "sam"]];

const rubric = (...criteria: [string, string, number][]) =>
  criteria.map(([id, description, points]) => ({ id, description, points }));

export const COURSES = [
  {
    key: "satMath",
    title: "SAT Math: Algebra and Advanced Math",
    description: "Linear equations, systems, quadratics and functions.",
    instructor: "irene",
    students: ["sam", "kim", "ana"],
    assignments: [
      {
        key: "linear",
        title: "Linear equations warm-up",
        instructions: "Solve 3x + 7 = 22 and explain each step.",
        maxPoints: 10,
        referenceAnswer: "5",
        rubric: rubric(
          ["setup", "Isolates the variable term correctly", 4],
          ["answer", "Reaches the right value", 4],
          ["explain", "Explains each step", 2],
        ),
      },
      {
        key: "systems",
        title: "Systems of equations",
        instructions: "Solve the system x + y = 10 and x - y = 4. Show your method.",
        maxPoints: 10,
        referenceAnswer: "x = 7, y = 3",
        rubric: rubric(
          ["method", "Chooses elimination or substitution and applies it", 5],
          ["answer", "Both values correct", 5],
        ),
      },
    ],
  },
  {
    key: "satReading",
    title: "SAT Reading and Writing",
    description: "Evidence, vocabulary in context, and transitions.",
    instructor: "irene",
    students: ["sam", "raj"],
    assignments: [
      {
        key: "evidence",
        title: "Command of evidence",
        instructions:
          "Pick the sentence from the passage that best supports the claim, and say why.",
        maxPoints: 8,
        referenceAnswer: "Sentence 3",
        rubric: rubric(
          ["choice", "Identifies the supporting sentence", 4],
          ["reason", "Justifies the choice with the passage", 4],
        ),
      },
    ],
  },
  {
    key: "greQuant",
    title: "GRE Quantitative Reasoning",
    description: "Quantitative comparison, numeric entry and data interpretation.",
    instructor: "omar",
    students: ["kim", "raj"],
    assignments: [
      {
        key: "comparison",
        title: "Quantitative comparison drill",
        instructions: "Compare Quantity A: 3/4 and Quantity B: 0.7. Which is greater?",
        maxPoints: 6,
        referenceAnswer: "A",
        rubric: rubric(
          ["answer", "Correct comparison", 3],
          ["reason", "Converts to a common form", 3],
        ),
      },
    ],
  },
] as const;

/** Who submits what, and the grade an instructor gave (null: waiting for grading). */
export const SUBMISSIONS: readonly {
  student: Person;
  assignment: string;
  content: string;
  grade: number | null;
  feedback?: string;
}[] = [
  {
    student: "sam",
    assignment: "linear",
    content: "3x = 15 after subtracting 7, so x = 5.",
    grade: 9,
    feedback: "Clear steps; name the inverse operation.",
  },
  {
    student: "kim",
    assignment: "linear",
    content: "x = 5 because 3 times 5 plus 7 is 22.",
    grade: 7,
    feedback: "Right answer; show the algebra, not only a check.",
  },
  {
    student: "ana",
    assignment: "linear",
    content: "I added 7 to 22 and divided by 3.",
    grade: null,
  },
  {
    student: "sam",
    assignment: "systems",
    content: "Adding the equations gives 2x = 14, x = 7, y = 3.",
    grade: null,
  },
  {
    student: "raj",
    assignment: "evidence",
    content: "Sentence 3, because it gives the data the claim rests on.",
    grade: 8,
    feedback: "Exactly.",
  },
  { student: "kim", assignment: "comparison", content: "3/4 = 0.75 > 0.7, so A.", grade: 6 },
  {
    student: "raj",
    assignment: "comparison",
    content: "B, since 0.7 has fewer digits.",
    grade: null,
  },
];

/** Students who asked the Socratic tutor for help, and their first message. */
export const TUTOR_SESSIONS: readonly { student: Person; assignment: string; message: string }[] = [
  { student: "sam", assignment: "systems", message: "I added the equations. What do I do next?" },
  { student: "ana", assignment: "linear", message: "Just tell me what x is." },
  {
    student: "raj",
    assignment: "comparison",
    message: "How do I compare a fraction and a decimal?",
  },
];

/** A published quiz on SAT Math, and what each student answered. */
export const QUIZ: {
  readonly course: string;
  readonly title: string;
  readonly questions: CreateQuizBody["questions"];
  /** Answers in question order. */
  readonly answers: Partial<Record<Person, readonly string[]>>;
} = {
  course: "satMath",
  title: "SAT Math checkpoint",
  questions: [
    {
      type: "multiple_choice",
      prompt: "If 2x + 3 = 11, what is x?",
      options: [
        { id: "A", text: "3" },
        { id: "B", text: "4" },
        { id: "C", text: "7" },
      ],
      answer: "B",
      topic: "linear equations",
      difficulty: 2,
    },
    {
      type: "numeric_entry",
      prompt: "What is the slope of the line through (0, 1) and (2, 5)?",
      answer: "2",
      topic: "linear functions",
      difficulty: 2,
    },
    {
      type: "multiple_choice",
      prompt: "Which value of x satisfies x^2 = 9 and x < 0?",
      options: [
        { id: "A", text: "-3" },
        { id: "B", text: "3" },
        { id: "C", text: "-9" },
      ],
      answer: "A",
      topic: "quadratics",
      difficulty: 3,
    },
  ],
  answers: {
    sam: ["B", "2", "B"],
    kim: ["B", "4/2", "A"],
    ana: ["A", "3", "B"],
  },
};

/** Words and their closest meanings, for the demo's reading and writing questions (made up here). */
const WORDS: readonly [string, string, string, string][] = [
  ["candid", "frank", "secretive", "hasty"],
  ["meticulous", "careful", "careless", "noisy"],
  ["ample", "plentiful", "scarce", "narrow"],
  ["obscure", "unclear", "famous", "bright"],
  ["resilient", "quick to recover", "fragile", "silent"],
  ["frugal", "thrifty", "wasteful", "cheerful"],
  ["concise", "brief", "wordy", "rude"],
  ["benevolent", "kind", "cruel", "tired"],
  ["tentative", "uncertain", "definite", "loud"],
  ["prolific", "productive", "idle", "shy"],
  ["lucid", "clear", "confusing", "heavy"],
  ["novel", "new", "ancient", "common"],
  ["mundane", "ordinary", "thrilling", "strange"],
  ["scrutinize", "examine closely", "ignore", "celebrate"],
  ["ambiguous", "open to more than one reading", "plain", "hostile"],
];

/**
 * The demo's bank questions, imported only when the shared bank is empty:
 * 15 SAT Reading and Writing and 15 SAT Math questions, three of each level
 * 1-5 (enough for a short SAT mock exam), with their sections.
 */
export const DEMO_BANK: readonly QuestionInput[] = [
  ...WORDS.map(
    ([word, right, wrong1, wrong2], i): QuestionInput => ({
      externalId: `demo-rw-${i + 1}`,
      type: "multiple_choice",
      section: "reading_writing",
      topic: "words in context",
      difficulty: 1 + Math.floor(i / 3),
      prompt: `As used in the text, which choice is closest in meaning to "${word}"?`,
      options: [
        { id: "A", text: wrong1 },
        { id: "B", text: right },
        { id: "C", text: wrong2 },
      ],
      answer: "B",
      explanation: `"${word}" means ${right}.`,
    }),
  ),
  ...Array.from({ length: 15 }, (_, i): QuestionInput => {
    const a = 3 + i * 2;
    const b = 4 + i * 5;
    return {
      externalId: `demo-math-${i + 1}`,
      type: "grid_in",
      topic: "linear equations",
      difficulty: 1 + Math.floor(i / 3),
      prompt: `If x - ${a} = ${b}, what is the value of x?`,
      answer: [String(a + b)],
      explanation: `Add ${a} to both sides: x = ${a + b}.`,
    };
  }),
];

/** Sam's practice: a set on SAT Math, answered this many questions in. */
export const PRACTICE = {
  student: "sam",
  bank: "sat",
  sections: ["math"],
  count: 5,
  answers: 3,
} as const;

/** Sam's short SAT mock exam. */
export const MOCK_EXAM = { student: "sam", exam: "sat", length: "short" } as const;
