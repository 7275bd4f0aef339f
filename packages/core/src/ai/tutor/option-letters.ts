import { normaliseText } from "./text-normalise.js";

const ORDINALS = [
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
];

/**
 * Option letters a text points at, in the forms people use to name an option
 * of a choice question: "(B)", "B)", "option b", "answer: C", a capital
 * standing alone ("B is right", not the article "A good…", never "I"), "the
 * second option", "option 2".
 */
export function optionLettersIn(text: string): Set<string> {
  const normal = normaliseText(text);
  const found = new Set<string>();
  for (const m of normal.matchAll(/[([]\s*([A-Ja-j])\s*[)\]]/g))
    found.add((m[1] ?? "").toUpperCase());
  for (const m of normal.matchAll(
    /\b(?:option|choice|answer|letter|pick|choose|select|go with)\s*(?:is|was|would be|number)?\s*[:#-]?\s*["'“‘]?([A-Ja-j])\b(?!['’]\w)/gi,
  )) {
    const letter = (m[1] ?? "").toUpperCase();
    // "answer is a…" is an article unless the letter stands alone at the end or before punctuation.
    if (letter === "A" || letter === "I") {
      const after = normal.slice((m.index ?? 0) + m[0].length);
      if (/^\s+[a-z]/.test(after)) continue;
    }
    found.add(letter);
  }
  // A capital standing alone: "B is right", "it's C." (not the article "A good…", not "I").
  for (const m of normal.matchAll(/(?<![\w'’-])([B-HJ])(?![\w'’-])/g)) found.add(m[1] ?? "");
  for (const m of normal.matchAll(/(?<![\w'’-])A(?![\w'’-])(?!\s+[a-z])/g)) found.add(m[0]);
  if (/(?<![\w'’-])A\s+(?:is|was|would|should|seems|looks|fits|works|matches)\b/.test(normal))
    found.add("A");
  for (const m of normal.matchAll(/(?<![\w'’-])([A-J])[).:](?=\s|$)/g)) found.add(m[1] ?? "");
  const lower = normal.toLowerCase();
  ORDINALS.forEach((ordinal, index) => {
    if (new RegExp(`\\b${ordinal}\\s+(?:option|choice|answer|one)\\b`).test(lower))
      found.add("ABCDEFGHIJ"[index] ?? "");
  });
  for (const m of lower.matchAll(/\b(?:option|choice)\s*(?:number\s*|#\s*)?(\d{1,2})\b/g)) {
    found.add("ABCDEFGHIJ"[Number(m[1]) - 1] ?? "");
  }
  found.delete("");
  return found;
}
