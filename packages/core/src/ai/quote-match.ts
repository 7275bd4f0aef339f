/**
 * Whether a model's "quote" really is in a text. Models drop punctuation,
 * change case and curl quotes, so matching is on words: letters and digits
 * (any script), lower-cased, NFKC-normalised, everything else a single
 * space. An elided quote ("first part ... second part") matches when its
 * parts appear in that order. What this refuses is a paraphrase or an
 * invention: the words themselves must be there, in sequence.
 */

const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Characters one replace call is given at most (see `squeezeSeparators`). */
const PIECE = 1 << 14;

/** Every run of separators in `piece` as one space: `replace(SEPARATORS, " ")`, by split and join. */
function squeezePiece(piece: string): string {
  // The same string as the replace, without its cost: on "a) x a) x …" the
  // replace held 85-170 MB of heap for 0.5-2M characters and grew 4.4-5.2
  // times per doubling on one machine (2026-12-07); split and join stayed
  // linear at a seventh of its time.
  return piece.split(SEPARATORS).join(" ");
}

/**
 * `text.replace(SEPARATORS, " ")`, a piece at a time. V8's global replace
 * has a cliff: on "4-4-4-…" it took 6.6 ms for 256K characters and 81 ms
 * for 512K (the growth test read 4.7 per doubling in CI), then grew
 * linearly again. Pieces of about 16K characters stay below it. A piece
 * ends right after a letter or digit of the Basic Multilingual Plane, so no
 * separator run (it would become two spaces) and no surrogate pair (a
 * letter outside that plane, which a lone half is not) is cut in two.
 */
function squeezeSeparators(text: string): string {
  if (text.length <= PIECE) return squeezePiece(text);
  const pieces: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + PIECE, text.length);
    while (end < text.length && !WORD_CHAR.test(text[end - 1] ?? "")) end += 1;
    pieces.push(squeezePiece(text.slice(start, end)));
    start = end;
  }
  return pieces.join("");
}

/** Letters and digits only, lower-cased, single-spaced: the form quotes are compared in. */
export function matchForm(text: string): string {
  return squeezeSeparators(text.normalize("NFKC").toLowerCase()).trim();
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
