/** A JSON Schema node of the OpenAPI document, walked as plain data. */
export type JsonSchema = { readonly [key: string]: unknown };

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows `$ref`s into `#/components/schemas` (siblings of a `$ref`, like `default`, are kept). */
export function deref(
  schema: JsonSchema,
  components: Readonly<Record<string, unknown>>,
): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < 20; hops++) {
    const name = current.$ref.replace(/^#\/components\/schemas\//, "");
    const target = components[name];
    const { $ref: _ref, ...siblings } = current;
    current = isSchema(target) ? { ...target, ...siblings } : siblings;
  }
  return current;
}

/** The non-null alternative of `anyOf`/`oneOf` (zod's `.nullable()`), or the schema itself. */
export function nonNull(
  schema: JsonSchema,
  components: Readonly<Record<string, unknown>>,
): JsonSchema {
  const resolved = deref(schema, components);
  const options = (resolved.anyOf ?? resolved.oneOf) as unknown;
  if (Array.isArray(options)) {
    const chosen = options
      .map((o) => (isSchema(o) ? deref(o, components) : {}))
      .find((o) => o.type !== "null");
    if (chosen) return chosen;
  }
  return resolved;
}

/** A uuid-typed string schema (possibly nullable). */
export function isUuid(schema: JsonSchema, components: Readonly<Record<string, unknown>>): boolean {
  return nonNull(schema, components).format === "uuid";
}
