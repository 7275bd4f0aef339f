/**
 * Text as the guard reads it: Unicode compatibility forms folded (full-width
 * digits, ligatures), invisible characters that could split a word removed,
 * look-alike minus and multiplication signs made plain, superscript
 * exponents written with ^.
 */
const SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** "10³" is 10^3: NFKC alone would make it "103". */
function superscriptsAsPowers(text: string): string {
  return text.replace(/[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, (run) => {
    let out = "^";
    for (const c of run) {
      const digit = SUPERSCRIPT_DIGITS.indexOf(c);
      out += digit >= 0 ? String(digit) : c === "⁻" ? "-" : "+";
    }
    return out;
  });
}

export function normaliseText(text: string): string {
  return superscriptsAsPowers(text)
    .normalize("NFKC")
    .replace(/[\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/g, "")
    .replace(/[\u2212\u2012\u2013\u2014\uFE63\uFF0D]/g, "-")
    .replace(/[\u00D7\u2715\u2716\u22C5\u00B7]/g, " × ")
    .replace(/[\u00F7\u2215\u2044]/g, "/");
}

const DIACRITICS = /[\u0300-\u036f]/g;

/** Lowercase words and numbers, accents dropped: the unit of the token checks. */
export function wordTokens(text: string): string[] {
  return (
    normaliseText(text)
      .normalize("NFD")
      .replace(DIACRITICS, "")
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []
  );
}

/** A light stem, so "equations" and "equation" meet; short words stay as they are. */
export function stem(token: string): string {
  if (token.length > 4 && token.endsWith("ies")) return `${token.slice(0, -3)}y`;
  if (token.length > 4 && token.endsWith("es") && /(s|x|z|ch|sh)es$/.test(token))
    return token.slice(0, -2);
  if (token.length > 3 && token.endsWith("s") && !token.endsWith("ss")) return token.slice(0, -1);
  return token;
}

/** Words that carry no answer on their own. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an the of to in on at by for with and or but is are was were be been being it its this that " +
    "these those as from into than then so if not no do does did has have had i you he she we they " +
    "them his her their our your my me us which what who whom whose where when why how all any each " +
    "some such there here about over under up down out can could would should will shall may might must"
  ).split(" "),
);

export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

export function reverse(text: string): string {
  return [...text].reverse().join("");
}
