import { z } from "zod";
import type { ChatMessage } from "./llm-provider.js";

/**
 * The JSON side of `LlmProvider.json`, shared by both providers: the
 * instruction that asks for one JSON object (Groq's `json_object` mode also
 * requires the word "JSON" in the prompt), parsing and zod validation, and the
 * follow-up message of the one repair attempt.
 */

/** The schema as JSON Schema, when zod can express it (transforms cannot be). */
function describeSchema(schema: z.ZodType): string | undefined {
  try {
    return JSON.stringify(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));
  } catch {
    return undefined;
  }
}

/** The messages with a JSON instruction added to the system message (or a new one). */
export function withJsonInstruction(
  messages: readonly ChatMessage[],
  schema: z.ZodType,
): ChatMessage[] {
  const described = describeSchema(schema);
  const instruction =
    "Respond with one JSON object and nothing else." +
    (described ? ` It must match this JSON Schema: ${described}` : "");
  const first = messages[0];
  if (first?.role === "system") {
    return [
      { role: "system", content: `${first.content}\n\n${instruction}` },
      ...messages.slice(1),
    ];
  }
  return [{ role: "system", content: instruction }, ...messages];
}

export type JsonParse<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly problem: string };

/** Parses a model's text as JSON and validates it; a fenced ```json block is accepted. */
export function parseJsonOutput<T>(schema: z.ZodType<T>, text: string): JsonParse<T> {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(text);
  let value: unknown;
  try {
    value = JSON.parse(fenced?.[1] ?? text);
  } catch {
    return { ok: false, problem: "The answer was not valid JSON." };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 8)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  return { ok: false, problem: `The JSON did not match the schema: ${issues}.` };
}

/** The conversation of the repair attempt: the invalid answer, then what was wrong with it. */
export function repairMessages(
  messages: readonly ChatMessage[],
  invalid: string,
  problem: string,
): ChatMessage[] {
  return [
    ...messages,
    { role: "assistant", content: invalid.slice(0, 8_000) },
    {
      role: "user",
      content: `${problem} Reply again with only the corrected JSON object.`,
    },
  ];
}
