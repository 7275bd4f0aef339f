import { externalIdOf, position, type SourceRow } from "../rows.js";
import type { SourceLine } from "../text-source.js";

/** The reason `JSON.parse` gave, without the engine's "in JSON at position" noise. */
export function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Not valid JSON: ${message.replace(/\s*in JSON at position.*$/s, "")}.`;
}

/**
 * NDJSON (JSON Lines): one question object per line; blank lines are skipped.
 * A line that is not JSON is rejected on its own and the next line is read.
 */
export async function* parseNdjson(
  lines: AsyncIterable<SourceLine>,
): AsyncGenerator<SourceRow, void, undefined> {
  let index = 0;
  for await (const { text, line } of lines) {
    if (text.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield {
        ...position(index++, line),
        ok: false,
        errors: [{ path: "", message: jsonProblem(error) }],
      };
      continue;
    }
    yield { ...position(index++, line, externalIdOf(value)), ok: true, value };
  }
}
