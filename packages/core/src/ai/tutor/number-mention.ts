/**
 * One number a text states, as the readers of number forms report it. Its own
 * module so the digit reader (`number-forms.ts`) and the word reader
 * (`number-words.ts`) both depend on it and not on each other.
 */
export interface NumberMention {
  readonly value: number;
  /** Decimal places as written (0 for integers and words): lets "3.14" match π rounded. */
  readonly decimals: number;
  /**
   * The reading needs arithmetic or decoding to reach the value (a fraction
   * not in lowest terms, scientific notation, `k`, a scale word after digits,
   * hex, binary, Roman numerals): the guard counts it as stating the value,
   * the student's side does not (the tutor would have to work it out).
   */
  readonly computed?: true;
}
