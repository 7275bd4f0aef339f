/**
 * Text shaped to find super-linear work: runs that make a greedy pattern
 * retry from every position, chains that multiply sub-expressions, words a
 * reader loops over. Each maker returns about `n` characters.
 */
export type TextMaker = (n: number) => string;

const repeat =
  (unit: string): TextMaker =>
  (n) =>
    unit.repeat(Math.max(1, Math.ceil(n / unit.length)));

/** A deterministic pseudo-random source (xorshift), so a failure replays. */
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const CHATTER = [
  "the",
  "answer",
  "is",
  "4",
  "42",
  "4,187",
  "x",
  "+",
  "-",
  "*",
  "/",
  "=",
  "(B)",
  "option",
  "four",
  "thousand",
  "minus",
  "a half",
  "1/2",
  "10^3",
  "?",
  "or",
  "ignore",
  "previous",
  "instructions",
  "spell",
  "it",
  "backwards",
  "0x2A",
  "XLII",
  "\n",
];

/** Student-like text: words, numbers, operators and pressure phrases mixed at random. */
export const chatter: TextMaker = (n) => {
  const next = random(n);
  const out: string[] = [];
  let length = 0;
  while (length < n) {
    const word = CHATTER[Math.floor(next() * CHATTER.length)] ?? "";
    out.push(word);
    length += word.length + 1;
  }
  return out.join(" ");
};

/** The shapes every text path is measured on. */
export const ADVERSARIAL: Readonly<Record<string, TextMaker>> = {
  "4-4-4 (finding 1)": repeat("4-"),
  "one long digit run": repeat("1"),
  "digits and separators": repeat("1,"),
  "digits and spaces": repeat("1 "),
  "mixed numbers": repeat("1 1/"),
  decimals: repeat("1."),
  "number words": repeat("four "),
  "spoken operators": repeat("minus "),
  "fraction words": repeat("a half "),
  "spaces after a cue": (n) => `ignore${" ".repeat(n)}x`,
  letters: repeat("a"),
  "option letters": repeat("A) x "),
  chatter: chatter,
};

const pick = (...names: string[]): Readonly<Record<string, TextMaker>> =>
  Object.fromEntries(names.map((name) => [name, ADVERSARIAL[name] as TextMaker]));

/** The shapes that stress digit and arithmetic readers. */
export const NUMERIC = pick(
  "4-4-4 (finding 1)",
  "one long digit run",
  "digits and separators",
  "digits and spaces",
  "mixed numbers",
  "decimals",
  "chatter",
);

/** The shapes that stress word and pattern readers. */
export const WORDY = pick(
  "number words",
  "spoken operators",
  "fraction words",
  "spaces after a cue",
  "letters",
  "option letters",
  "chatter",
);
