import type { QuestionBank } from "../../contracts/index.js";
import { QuestionFileError } from "../../errors.js";
import { externalIdOf, position, type SourceRow } from "../rows.js";
import { jsonProblem } from "./ndjson.js";

/**
 * The canonical JSON file, `{ "questions": [ {...}, ... ] }`, read as a
 * stream: a small scanner finds where each element of `questions` starts and
 * ends (tracking strings, escapes, nesting and line numbers), and only that
 * element's text is parsed. Memory holds one question, not the file, and each
 * row knows the line its `{` is on. Top-level members besides `questions` may
 * be `bank` (must match the import's; without one, it names the bank, and the
 * questions after it carry it) and `$schema`; anything else, or broken
 * structure between questions, is a file-level error. A question whose own
 * text is not valid JSON is rejected alone.
 */
export async function* parseJsonQuestions(
  blocks: AsyncIterable<string>,
  options: { readonly bank?: QuestionBank | undefined },
): AsyncGenerator<SourceRow, void, undefined> {
  const scanner = new Scanner();
  let index = 0;
  let fileBank: QuestionBank | undefined;
  for await (const block of blocks) {
    for (const event of scanner.feed(block)) {
      if (event.kind === "member") {
        fileBank = checkMember(event.key, event.text, event.line, options.bank) ?? fileBank;
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(event.text);
      } catch (error) {
        yield {
          ...position(index++, event.line),
          ok: false,
          errors: [{ path: "", message: jsonProblem(error) }],
        };
        continue;
      }
      // The file's top-level bank goes with each question that does not name its own.
      if (
        fileBank !== undefined &&
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        !("bank" in value)
      )
        value = { ...value, bank: fileBank };
      yield { ...position(index++, event.line, externalIdOf(value)), ok: true, value };
    }
  }
  scanner.end();
}

/** Checks a top-level member; returns the file's bank when it states one and none was asked for. */
function checkMember(
  key: string,
  text: string,
  line: number,
  bank: QuestionBank | undefined,
): QuestionBank | undefined {
  if (key === "$schema") return undefined;
  if (key !== "bank") {
    throw new QuestionFileError(
      `Unknown top-level field "${key}": a question file is { "questions": [...] } (with an optional "bank").`,
      line,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (bank === undefined && (value === "sat" || value === "gre")) return value;
  if (value !== bank) {
    throw new QuestionFileError(
      bank === undefined
        ? `"bank" must be "sat" or "gre"; got ${JSON.stringify(value ?? text)}.`
        : `The file is for bank ${JSON.stringify(value ?? text)} but is imported into "${bank}".`,
      line,
    );
  }
  return undefined;
}

type ScanEvent =
  | { readonly kind: "element"; readonly text: string; readonly line: number }
  | { readonly kind: "member"; readonly key: string; readonly text: string; readonly line: number };

/** Where the scanner is between values; values themselves are captured whole. */
type State =
  | "start"
  | "key-or-close"
  | "key"
  | "colon"
  | "array"
  | "element-or-close"
  | "element"
  | "after-element"
  | "after-member"
  | "done";

type Capture = "key" | "member" | "element";

const CLOSER: Readonly<Record<string, string>> = { "{": "}", "[": "]" };
const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";

/**
 * Splits the top level of a question file into keys, member values and
 * question texts; see `parseJsonQuestions`. Blocks may be cut anywhere.
 */
class Scanner {
  #state: State = "start";
  #line = 1;
  #sawQuestions = false;
  #key = "";
  // The value being captured: what it is, its text so far, its first line, and its syntax state.
  #capture: Capture | undefined;
  #kind: "string" | "container" | "primitive" = "primitive";
  #text = "";
  #startLine = 0;
  #stack: string[] = [];
  #inString = false;
  #escaped = false;

  feed(block: string): ScanEvent[] {
    const events: ScanEvent[] = [];
    let i = 0;
    while (i < block.length) {
      if (this.#capture) {
        i = this.#continue(block, i, events);
        continue;
      }
      const c = block.charAt(i);
      if (isSpace(c)) {
        if (c === "\n") this.#line++;
        i++;
        continue;
      }
      if (this.#state === "key-or-close" && c === '"') this.#state = "key";
      if (this.#state === "element-or-close") {
        if (c === "]") {
          this.#state = "after-member";
          i++;
          continue;
        }
        this.#state = "element";
      }
      if (this.#state === "key" || this.#state === "element") {
        // The value starts here; capturing reads it from this very character.
        this.#begin(c);
        continue;
      }
      this.#structure(c);
      i++;
    }
    return events;
  }

  end(): void {
    if (this.#capture || this.#state !== "done") {
      const where =
        this.#capture === "element"
          ? ` (the question starting on line ${this.#startLine} is incomplete)`
          : "";
      throw new QuestionFileError(`The JSON ends before it is complete${where}.`, this.#line);
    }
    if (!this.#sawQuestions) throw new QuestionFileError('The file has no "questions" array.');
  }

  #fail(message: string): never {
    throw new QuestionFileError(message, this.#line);
  }

  #structure(c: string): void {
    switch (this.#state) {
      case "start":
        if (c !== "{") this.#fail('A JSON question file is an object: { "questions": [...] }.');
        this.#state = "key-or-close";
        return;
      case "key-or-close":
        if (c !== "}") this.#fail("Expected a field name in quotes.");
        this.#state = "done";
        return;
      case "colon":
        if (c !== ":") this.#fail(`Expected ":" after "${this.#key}".`);
        if (this.#key !== "questions") {
          this.#capture = "member";
          this.#kind = "primitive";
          this.#text = "";
          this.#startLine = 0;
          return;
        }
        if (this.#sawQuestions) this.#fail('"questions" appears twice.');
        this.#sawQuestions = true;
        this.#state = "array";
        return;
      case "array":
        if (c !== "[") this.#fail('"questions" must be an array: "questions": [ {...}, ... ].');
        this.#state = "element-or-close";
        return;
      case "after-element":
        if (c === ",") this.#state = "element";
        else if (c === "]") this.#state = "after-member";
        else this.#fail('Expected "," or "]" after a question.');
        return;
      case "after-member":
        if (c === ",") this.#state = "key";
        else if (c === "}") this.#state = "done";
        else this.#fail('Expected "," or "}" after a field.');
        return;
      case "key":
      case "element":
      case "element-or-close":
        return;
      case "done":
        this.#fail("Unexpected text after the end of the JSON.");
    }
  }

  /** Starts capturing the value whose first character is `c` (not consumed). */
  #begin(c: string): void {
    if (this.#state === "key" && c !== '"') this.#fail("Expected a field name in quotes.");
    this.#capture = this.#state === "key" ? "key" : "element";
    this.#text = "";
    this.#startLine = this.#line;
    this.#kind = c === '"' ? "string" : CLOSER[c] ? "container" : "primitive";
    this.#stack = [];
    this.#inString = false;
    this.#escaped = false;
  }

  /** Reads on through the captured value; returns where it stopped in `block`. */
  #continue(block: string, from: number, events: ScanEvent[]): number {
    let i = from;
    if (this.#startLine === 0) {
      // A member value: skip the space after ":" before it starts.
      while (i < block.length && isSpace(block.charAt(i))) {
        if (block.charAt(i) === "\n") this.#line++;
        i++;
      }
      if (i === block.length) return i;
      const c = block.charAt(i);
      this.#startLine = this.#line;
      this.#kind = c === '"' ? "string" : CLOSER[c] ? "container" : "primitive";
      this.#stack = [];
      this.#inString = false;
      this.#escaped = false;
    }
    const start = i;
    for (; i < block.length; i++) {
      const c = block.charAt(i);
      if (this.#inString) {
        if (c === "\n") this.#fail("A string runs over a line break.");
        if (this.#escaped) this.#escaped = false;
        else if (c === "\\") this.#escaped = true;
        else if (c === '"') {
          this.#inString = false;
          if (this.#stack.length === 0) return this.#finish(block, start, i + 1, events);
        }
        continue;
      }
      if (c === '"') {
        this.#inString = true;
        continue;
      }
      if (this.#kind === "primitive") {
        if (c === "," || c === "}" || c === "]" || isSpace(c))
          return this.#finish(block, start, i, events);
        continue;
      }
      if (c === "\n") this.#line++;
      const closer = CLOSER[c];
      if (closer) {
        this.#stack.push(closer);
        continue;
      }
      if (c === "}" || c === "]") {
        if (this.#stack.pop() !== c) this.#fail(`Unexpected "${c}": brackets do not match.`);
        if (this.#stack.length === 0) return this.#finish(block, start, i + 1, events);
      }
    }
    this.#text += block.slice(start, i);
    return i;
  }

  #finish(block: string, start: number, end: number, events: ScanEvent[]): number {
    const text = this.#text + block.slice(start, end);
    const capture = this.#capture;
    this.#capture = undefined;
    this.#text = "";
    if (text.length === 0) this.#fail("Expected a value.");
    if (capture === "key") {
      try {
        this.#key = JSON.parse(text) as string;
      } catch {
        this.#fail("A field name is not a valid JSON string.");
      }
      this.#state = "colon";
    } else if (capture === "element") {
      events.push({ kind: "element", text, line: this.#startLine });
      this.#state = "after-element";
    } else {
      events.push({ kind: "member", key: this.#key, text, line: this.#startLine });
      this.#state = "after-member";
    }
    return end;
  }
}
