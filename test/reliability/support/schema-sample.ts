import { randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Valid example values for any route's params, query or body, read from the
 * same zod contracts the server validates with (as JSON Schema). Attacks
 * start from a valid request and change one thing, so a refusal means the
 * server refused the attack, not a malformed request; and a route added
 * tomorrow is sampled without anyone writing a fixture for it.
 */

type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
};

/** What a leaf of a request is, so an attack knows what to put there. */
export type LeafKind =
  | "uuid"
  | "email"
  | "datetime"
  | "enum"
  | "slug"
  | "text"
  | "integer"
  | "number"
  | "boolean";

export interface Leaf {
  /** Property names (and array indexes) from the root. */
  readonly path: readonly (string | number)[];
  readonly kind: LeafKind;
}

export interface Shape {
  /** Top-level property names the schema declares. */
  readonly keys: ReadonlySet<string>;
  readonly leaves: readonly Leaf[];
}

function toJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

function resolver(root: JsonSchema) {
  return function resolve(node: JsonSchema): JsonSchema {
    let current = node;
    while (current.$ref) {
      const name = current.$ref.replace("#/$defs/", "");
      const target = root.$defs?.[name];
      if (!target) throw new Error(`unresolvable $ref ${current.$ref}`);
      current = target;
    }
    const alternatives = current.anyOf ?? current.oneOf;
    if (alternatives) {
      // Prefer a non-null alternative: a value exercises more than a null.
      const chosen =
        alternatives.map(resolve).find((alt) => alt.type !== "null") ?? alternatives[0];
      return chosen ? resolve(chosen) : current;
    }
    return current;
  };
}

function leafKind(node: JsonSchema): LeafKind {
  if (node.enum || node.const !== undefined) return "enum";
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
  if (type === "integer") return "integer";
  if (type === "number") return "number";
  if (type === "boolean") return "boolean";
  if (node.format === "uuid") return "uuid";
  if (node.format === "email") return "email";
  if (node.format === "date-time") return "datetime";
  if (node.pattern?.includes("[a-z0-9-]")) return "slug";
  return "text";
}

/** The leaves of a schema: every scalar a request can carry, with its path. */
export function shapeOf(schema: z.ZodType): Shape {
  const root = toJsonSchema(schema);
  const resolve = resolver(root);
  const leaves: Leaf[] = [];
  const walk = (node: JsonSchema, path: (string | number)[]) => {
    const n = resolve(node);
    const type = Array.isArray(n.type) ? n.type.find((t) => t !== "null") : n.type;
    if (type === "object" || n.properties) {
      for (const [key, child] of Object.entries(n.properties ?? {})) walk(child, [...path, key]);
      return;
    }
    if (type === "array") {
      if (n.items) walk(n.items, [...path, 0]);
      return;
    }
    leaves.push({ path, kind: leafKind(n) });
  };
  walk(root, []);
  const top = resolve(root);
  return { keys: new Set(Object.keys(top.properties ?? {})), leaves };
}

export interface SampleOptions {
  /** The id to put in a UUID field, by its name (`studentId`, `courseId`…). */
  readonly uuid: (field: string) => string;
}

const unique = () => randomBytes(4).toString("hex");

function scalar(node: JsonSchema, field: string, options: SampleOptions): unknown {
  if (node.default !== undefined) return node.default;
  switch (leafKind(node)) {
    case "enum":
      return node.enum?.[0] ?? node.const;
    case "uuid":
      return options.uuid(field);
    case "email":
      return `rel-${unique()}@example.com`;
    case "datetime":
      return new Date(Date.now() + 86_400_000).toISOString();
    case "slug":
      return `rel-${unique()}`;
    case "integer":
    case "number": {
      const low =
        node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : 1);
      const high = node.maximum ?? low + 10;
      return Math.min(Math.max(low, 1), high);
    }
    case "boolean":
      return false;
    case "text": {
      const base =
        field === "password" ? `pw-${unique()}-long-enough` : `Sample ${field} ${unique()}`;
      const min = node.minLength ?? 0;
      const padded = base.length >= min ? base : base.padEnd(min, "x");
      return node.maxLength !== undefined ? padded.slice(0, node.maxLength) : padded;
    }
  }
}

/** A valid value for `schema`. */
export function sample(schema: z.ZodType, options: SampleOptions): unknown {
  const root = toJsonSchema(schema);
  const resolve = resolver(root);
  const build = (node: JsonSchema, field: string): unknown => {
    const n = resolve(node);
    const type = Array.isArray(n.type) ? n.type.find((t) => t !== "null") : n.type;
    if (type === "object" || n.properties) {
      const out: Record<string, unknown> = {};
      // Optional fields too: every field a client may send is exercised.
      for (const [key, child] of Object.entries(n.properties ?? {})) out[key] = build(child, key);
      return out;
    }
    if (type === "array") {
      const count = Math.max(n.minItems ?? 0, 1);
      return Array.from({ length: count }, (_, i) => {
        const item = n.items ? build(n.items, field) : null;
        // Items of a list often need distinct ids (rubric criteria): suffix text ids.
        if (item && typeof item === "object" && "id" in item && typeof item.id === "string")
          return { ...item, id: `${item.id}-${i}` };
        return item;
      });
    }
    return scalar(n, field, options);
  };
  return build(root, "");
}

/** `value` with the leaf at `path` set to `leaf` (a deep copy). */
export function withLeaf(
  value: unknown,
  path: readonly (string | number)[],
  leaf: unknown,
): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = withLeaf(copy[head as number], rest, leaf);
    return copy;
  }
  const record = (value ?? {}) as Record<string, unknown>;
  return { ...record, [head]: withLeaf(record[head], rest, leaf) };
}

/** The value at `path`, if there is one. */
export function leafAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
