import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { QuestionBank } from "../../contracts/index.js";
import { QuestionFileError } from "../../errors.js";
import type { SourceRow } from "../rows.js";
import type { FormatDefaults } from "./gift.js";
import type { XmlElement } from "./moodle-xml-element.js";
import { moodleQuestionRow } from "./moodle-xml-question.js";

/**
 * Whether a file's first text is XML: an XML declaration or a `<quiz>` root,
 * after any blank space and comments. (Moodle writes `<?xml version="1.0"
 * encoding="UTF-8"?>` then `<quiz>`.)
 */
export function looksLikeXml(head: string): boolean {
  // The first 4 KiB are enough to tell, and keep the test's work small whatever the file.
  return /^\s*(?:<\?xml[\s?]|(?:<!--[\s\S]*?-->\s*)*<quiz[\s>])/.test(head.slice(0, 4096));
}

/**
 * Moodle XML (`<quiz><question type="…">…</question>…</quiz>`, what Moodle's
 * question bank exports by default), read with saxes, a streaming parser:
 * the text arrives in blocks and only the question being read is kept as a
 * small tree, so a 100 MB export is never held whole. `<question
 * type="category">` sets the topic of the questions after it. Each question
 * becomes a row (see `moodle-xml-question.ts` for the mapping); a document
 * that is not well-formed XML, or whose root is not `<quiz>`, is a
 * {@link QuestionFileError} with the line.
 *
 * Entities are XML's five and character references only: saxes does not
 * read DTDs, so no external entity is ever fetched and none can expand.
 */
export async function* parseMoodleXmlQuestions(
  blocks: AsyncIterable<string>,
  options: { readonly bank: QuestionBank; readonly defaults?: Partial<FormatDefaults> },
): AsyncGenerator<SourceRow, void, undefined> {
  const parser = new SaxesParser<{ readonly xmlns: false; readonly position: true }>({
    xmlns: false,
    position: true,
  });
  const ready: SourceRow[] = [];
  const state = {
    depth: 0,
    index: 0,
    topic: undefined as string | undefined,
    stack: [] as XmlElement[],
  };

  parser.on("opentag", (tag: SaxesTagPlain) => {
    state.depth++;
    if (state.depth === 1 && tag.name !== "quiz") {
      throw new QuestionFileError(
        `This is not a Moodle XML question file: its root element is <${tag.name}>, not <quiz>.`,
        parser.line,
      );
    }
    const inQuestion = state.stack.length > 0;
    if (!inQuestion && !(state.depth === 2 && tag.name === "question")) return;
    const element: XmlElement = {
      name: tag.name,
      attributes: tag.attributes,
      children: [],
      text: [],
      line: parser.line,
    };
    state.stack.at(-1)?.children.push(element);
    state.stack.push(element);
  });
  const onText = (text: string) => {
    state.stack.at(-1)?.text.push(text);
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    state.depth--;
    const element = state.stack.pop();
    if (!element || state.stack.length > 0) return;
    const result = moodleQuestionRow(element, {
      bank: options.bank,
      topic: state.topic,
      defaults: options.defaults ?? {},
      index: state.index,
    });
    if (result.kind === "category") {
      state.topic = result.topic;
      return;
    }
    state.index++;
    ready.push(result.row);
  });

  const feed = (write: () => void) => {
    try {
      write();
    } catch (cause) {
      if (cause instanceof QuestionFileError) throw cause;
      throw new QuestionFileError(
        `This is not well-formed XML: ${xmlMessage(cause)}`,
        parser.line,
        { cause },
      );
    }
  };

  for await (const block of blocks) {
    feed(() => parser.write(block));
    // Rows finished by this block go out before the next block is read.
    yield* ready.splice(0);
  }
  feed(() => parser.close());
  yield* ready.splice(0);
}

/** saxes prefixes its messages with `line:column: `; the file error names the line itself. */
function xmlMessage(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.replace(/^[^:]*:\d+:\d+: /, "");
}
