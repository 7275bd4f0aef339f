/**
 * Whether a model's "quote" really is in a text. Models drop punctuation,
 * change case and curl quotes, so matching is on words: letters and digits
 * (any script), lower-cased, NFKC-normalised, everything else a single
 * space. An elided quote ("first part ... second part") matches when its
 * parts appear in that order. What this refuses is a paraphrase or an
 * invention: the words themselves must be there, in sequence.
 */

/** Letters and digits only, lower-cased, single-spaced: the form quotes are compared in. */
export function matchForm(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** A text prepared once for many quote checks. */
export interface QuoteIndex {
  readonly form: string;
}

export function quoteIndex(text: string): QuoteIndex {
  return { form: ` ${matchForm(text)} ` };
}

/** Parts of an elided quote, in match form; empty parts dropped. */
function parts(quote: string): string[] {
  return quote
    .split(/\.{3,}|…|\[\.\.\.\]/)
    .map(matchForm)
    .filter((part) => part.length > 0);
}

/**
 * True when every part of `quote` occurs in the text, whole words only, in
 * order. A quote with less than `minChars` letters and digits never matches.
 *
 * @example
 * containsQuote(quoteIndex("I subtracted 3: 2x = 84."), "subtracted 3, 2x = 84"); // true
 * containsQuote(quoteIndex("I subtracted 3."), "I divided by 2"); // false
 */
export function containsQuote(index: QuoteIndex, quote: string, minChars = 2): boolean {
  const wanted = parts(quote);
  if (wanted.join("").replace(/ /g, "").length < minChars) return false;
  let from = 0;
  for (const part of wanted) {
    const at = index.form.indexOf(` ${part} `, from);
    if (at < 0) return false;
    from = at + part.length + 1;
  }
  return true;
}
