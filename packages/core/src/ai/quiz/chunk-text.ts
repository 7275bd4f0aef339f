/** A piece of the source small enough for one model call. */
export interface TextChunk {
  /** Position in the whole document's chunk list (before sampling). */
  readonly index: number;
  readonly text: string;
}

export interface ChunkOptions {
  /** Characters per chunk (~4 characters a token; the default is ~1,500 tokens). */
  readonly chunkChars?: number;
  /** Chunks sent to the model at most; a longer document is sampled evenly. */
  readonly maxChunks?: number;
}

export const DEFAULT_CHUNK_CHARS = 6_000;
export const DEFAULT_MAX_CHUNKS = 8;

/**
 * Text as the chunker and the grounding check expect it: Unix line ends, no
 * control characters, single spaces, words hyphenated across a line break
 * joined, at most one blank line between paragraphs.
 */
export function normaliseSourceText(text: string): string {
  const spaced = text
    .replace(/\r\n?/g, "\n")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/\u00ad/g, "")
    .replace(/[\t\u00a0]/g, " ")
    .replace(/([a-z])-\n([a-z])/g, "$1$2")
    .replace(/[ ]{2,}/g, " ");
  // Spaces at line ends, line by line: a pattern matching every line break
  // (` *\n *`) made V8 build its result from millions of pieces, far past linear.
  return spaced
    .split("\n")
    .map((line) => (line.startsWith(" ") ? line.slice(1) : line).replace(/ $/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Sentences, keeping their end punctuation; a fallback for paragraphs longer than a chunk. */
export function splitSentences(text: string): string[] {
  return (
    text
      .match(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)/g)
      ?.map((s) => s.trim())
      .filter(Boolean) ?? []
  );
}

function pieces(paragraph: string, size: number): string[] {
  if (paragraph.length <= size) return [paragraph];
  const out: string[] = [];
  for (const sentence of splitSentences(paragraph)) {
    for (let i = 0; i < sentence.length; i += size) out.push(sentence.slice(i, i + size));
  }
  return out;
}

/**
 * Splits text into chunks of whole paragraphs (whole sentences when a
 * paragraph is too long), then keeps at most `maxChunks` of them, spread
 * evenly over the document so a long book is sampled from start to end
 * rather than read only at its beginning.
 *
 * @example
 * const { chunks, total } = chunkText(text, { chunkChars: 6000, maxChunks: 8 });
 */
export function chunkText(
  text: string,
  options: ChunkOptions = {},
): { chunks: TextChunk[]; total: number } {
  const size = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
  const max = options.maxChunks ?? DEFAULT_MAX_CHUNKS;
  const all: string[] = [];
  let current = "";
  for (const paragraph of text.split(/\n\s*\n/)) {
    for (const piece of pieces(paragraph.trim(), size)) {
      if (!piece) continue;
      if (current && current.length + piece.length + 2 > size) {
        all.push(current);
        current = "";
      }
      current = current ? `${current}\n\n${piece}` : piece;
    }
  }
  if (current) all.push(current);
  const chosen =
    all.length <= max
      ? all.map((_, i) => i)
      : Array.from({ length: max }, (_, i) =>
          max === 1 ? 0 : Math.round((i * (all.length - 1)) / (max - 1)),
        );
  return {
    chunks: [...new Set(chosen)].map((index) => ({ index, text: all[index] ?? "" })),
    total: all.length,
  };
}
