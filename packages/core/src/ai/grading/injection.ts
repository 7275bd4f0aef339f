/**
 * Text in a submission that addresses the grader rather than the problem:
 * attempts to steer an AI grade. Seen, the suggestion's confidence drops to
 * the bottom of the queue so an instructor looks first; the words are not
 * removed, so the instructor sees them too.
 */
const PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rubric|rules|prompt)\b/i,
  /\b(give|award|assign|grant)\b.{0,30}\b(full|maximum|max|perfect|all(?: the)?|100 ?%?|10\/10)\b.{0,20}\b(marks?|points?|score|grade|credit)\b/i,
  /\b(grader|grading (ai|model|system)|ai|assistant|language model|llm|chatgpt|system prompt)\b.{0,40}\b(must|should|will|please|give|award)\b/i,
  /\byou are (now )?(a|an|the) (grader|teacher|assistant|ai)\b/i,
  /\bthis (submission|answer|essay) (deserves|gets|earns) (full|maximum|perfect)/i,
];

export function addressesTheGrader(content: string): boolean {
  return PATTERNS.some((pattern) => pattern.test(content));
}
