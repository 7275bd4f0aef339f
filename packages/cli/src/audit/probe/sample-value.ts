import { randomBytes } from "node:crypto";
import { deref, isSchema, type JsonSchema, nonNull } from "./json-schema.js";

export interface SampleContext {
  readonly components: Readonly<Record<string, unknown>>;
  /** The uuid a field gets (by its property name). */
  uuidFor(field: string | undefined): string;
}

const token = () => randomBytes(4).toString("hex");

function sampleString(schema: JsonSchema, field: string | undefined, ctx: SampleContext): string {
  switch (schema.format) {
    case "uuid":
      return ctx.uuidFor(field);
    case "email":
      return `probe-${token()}@audit-fixture.invalid`;
    case "date-time":
      return new Date(Date.now() + 7 * 86_400_000).toISOString();
    case "date":
      return new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    case "uri":
    case "url":
      return "https://audit-fixture.invalid/probe";
    default:
      break;
  }
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  let text = /password/i.test(field ?? "") ? `Probe-${token()}-${token()}` : "isolation probe";
  if (typeof schema.pattern === "string") {
    const pattern = new RegExp(schema.pattern);
    text =
      [text, `audit-probe-${token()}`, "probe", "abc", "a1", "x"].find((t) => pattern.test(t)) ??
      text;
  }
  if (text.length < min) text = text.padEnd(min, "x");
  return text.length > max ? text.slice(0, Math.max(max, min)) : text;
}

function sampleNumber(schema: JsonSchema): number {
  const integer = schema.type === "integer";
  let value: number;
  if (typeof schema.minimum === "number") value = schema.minimum;
  else if (typeof schema.exclusiveMinimum === "number")
    value = schema.exclusiveMinimum + (integer ? 1 : 0.5);
  else value = 1;
  if (typeof schema.maximum === "number" && value > schema.maximum) value = schema.maximum;
  return integer ? Math.ceil(value) : value;
}

/**
 * A value that satisfies `schema`, as small as it can be: required properties
 * only (or, for a body of optional fields such as a PATCH, its first field
 * that is not an id), defaults and first enum values, minimal lengths and
 * numbers. Ids come from `ctx.uuidFor`, so a probe decides whose ids a body
 * carries. It cannot know cross-field rules; a refused body makes that call
 * inconclusive, never a finding.
 */
export function sampleValue(
  raw: JsonSchema,
  ctx: SampleContext,
  field?: string,
  depth = 0,
): unknown {
  const schema = nonNull(raw, ctx.components);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.allOf)) {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    let merged: JsonSchema = {};
    for (const part of schema.allOf.filter(isSchema).map((s) => deref(s, ctx.components))) {
      merged = { ...merged, ...part };
      Object.assign(properties, part.properties);
      if (Array.isArray(part.required)) required.push(...(part.required as string[]));
    }
    return sampleValue({ ...merged, properties, required }, ctx, field, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (depth > 8) return null;
  switch (type) {
    case "object": {
      const properties = (isSchema(schema.properties) ? schema.properties : {}) as Record<
        string,
        JsonSchema
      >;
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      let names = required.filter((n) => n in properties);
      if (names.length === 0) {
        const first = Object.keys(properties).find(
          (n) => nonNull(properties[n] ?? {}, ctx.components).format !== "uuid",
        );
        names = first ? [first] : [];
      }
      return Object.fromEntries(
        names.map((n) => [n, sampleValue(properties[n] ?? {}, ctx, n, depth + 1)]),
      );
    }
    case "array": {
      const count = typeof schema.minItems === "number" ? schema.minItems : 0;
      const items = isSchema(schema.items) ? schema.items : {};
      return Array.from({ length: count }, () => sampleValue(items, ctx, field, depth + 1));
    }
    case "string":
      return sampleString(schema, field, ctx);
    case "integer":
    case "number":
      return sampleNumber(schema);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return null;
  }
}
