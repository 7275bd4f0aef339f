import { sql } from "kysely";
import type { CatalogConstraint } from "../../catalog/keys.js";
import type { CatalogPolicy } from "../../catalog/policies.js";
import { rows } from "../../catalog/sql.js";
import { academyIdOfSchema, dedicatedSchemaName } from "../../placement/schema-name.js";
import { TENANT_MIGRATION_TABLE } from "../../placement/tenant-schema-state.js";
import { TENANT_TABLES } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition, AuditContext } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";
import { isolated } from "../savepoint.js";

const identity = {
  id: "schemas.dedicated",
  title:
    "Dedicated-schema academies: each schema has the shared schema's tables, forced RLS, policies, keys and migrations",
};
const find = finder(identity);

/** A policy as text with its schema left out, so copies in two schemas compare equal. */
function shape(policy: CatalogPolicy): string {
  const strip = (e: string | null) => (e ?? "").replaceAll(`${policy.schema}.`, "");
  return [
    policy.name,
    policy.command,
    policy.permissive,
    [...policy.roles].sort().join(","),
    strip(policy.using),
    strip(policy.check),
  ].join("|");
}

/**
 * A key as text without its schema: type, columns, and for a foreign key what it
 * references — a tenant table of the same schema, or a named platform table.
 */
function keyShape(key: CatalogConstraint): string {
  const target = key.references;
  const tenantRef =
    target !== null &&
    target.schema === key.schema &&
    TENANT_TABLES.some((t) => t === target.table);
  const ref = target
    ? `->${tenantRef ? "" : `${target.schema}.`}${target.table}(${target.columns.join(",")})`
    : "";
  return `${key.type}(${key.columns.join(",")})${ref}`;
}

/** Live or soft-deleted academies placed in a dedicated schema (their rows are there either way). */
async function placedAcademies(ctx: AuditContext): Promise<string[]> {
  const read = await isolated(ctx.db, () =>
    rows(
      ctx.db,
      sql<{ id: string }>`select id from public.academies where placement = 'schema' order by id`,
    ),
  );
  return read.ok ? read.value.map((r) => r.id) : [];
}

/** Applied tenant migrations of a schema, or null when it has no migration table. */
async function appliedIn(ctx: AuditContext, schema: string): Promise<string[] | null> {
  if (!ctx.catalog.tables.some((t) => t.schema === schema && t.name === TENANT_MIGRATION_TABLE)) {
    return null;
  }
  const read = await isolated(ctx.db, () =>
    rows(
      ctx.db,
      sql<{
        name: string;
      }>`select name from ${sql.table(`${schema}.${TENANT_MIGRATION_TABLE}`)} order by name`,
    ),
  );
  return read.ok ? read.value.map((r) => r.name) : null;
}

/**
 * `academies.placement = 'schema'` puts an academy in `academy_<id hex>`
 * (docs/tenancy.md, "Placement") with the same DDL and policies. Every
 * application schema besides `public` that holds a copy of a tenant table is
 * audited as a dedicated schema and compared with `public`: its tables, RLS
 * enabled and forced, policies, keys and applied tenant migrations. Each
 * academy placed in a schema must have it; a schema named for an academy that
 * is not placed there is a stray. (The per-table checks read every schema
 * too; `data.misplaced-rows` reads the rows.)
 */
export const dedicatedSchemas: AuditCheckDefinition = {
  ...identity,
  async run(ctx) {
    const { catalog } = ctx;
    const listed = new Set<string>(TENANT_TABLES);
    const schemaPlaced = catalog.placements.get("schema") ?? 0;
    const placed = await placedAcademies(ctx);
    const schemas = [
      ...new Set(
        catalog.tables
          .filter((t) => t.schema !== "public" && listed.has(t.name))
          .map((t) => t.schema),
      ),
    ].sort();
    const present = new Set(schemas);
    const findings = [];
    if (schemaPlaced > 0 && schemas.length === 0) {
      findings.push(
        find(
          "high",
          "academies.placement",
          `${count(schemaPlaced, "live academy", "live academies")} with placement 'schema', but no schema besides public holds tenant tables: their rows cannot be where the placement says.`,
          "Run `skillbridge db migrate` (it creates and migrates each dedicated schema), or move those academies back with `skillbridge tenants move SLUG --to shared`.",
        ),
      );
    }
    for (const id of placed) {
      const schema = dedicatedSchemaName(id);
      if (present.has(schema)) continue;
      findings.push(
        find(
          "high",
          schema,
          `Academy ${id} is placed in schema ${schema}, which holds no tenant tables: its transactions fall through to public's tables.`,
          "Run `skillbridge db migrate` to create and migrate it.",
        ),
      );
    }
    const placedSet = new Set(placed);
    const policiesOf = (schema: string, table: string) =>
      catalog.policies
        .filter((p) => p.schema === schema && p.table === table)
        .map(shape)
        .sort();
    const keysOf = (schema: string, table: string) =>
      catalog.constraints
        .filter((k) => k.schema === schema && k.table === table)
        .map(keyShape)
        .sort();
    const publicMigrations = await appliedIn(ctx, "public");
    for (const schema of schemas) {
      const owner = academyIdOfSchema(schema);
      if (owner !== null && !placedSet.has(owner)) {
        findings.push(
          find(
            "medium",
            schema,
            `Named as academy ${owner}'s dedicated schema, but that academy is not placed there: no transaction reads it, and rows in it are outside every academy's view.`,
            "If it holds rows, move them back by hand or drop the schema once `data.misplaced-rows` shows it empty; `skillbridge tenants move` never leaves one behind.",
          ),
        );
      }
      for (const table of TENANT_TABLES) {
        const copy = catalog.tables.find((t) => t.schema === schema && t.name === table);
        const original = catalog.tables.find((t) => t.schema === "public" && t.name === table);
        const object = `${schema}.${table}`;
        if (!copy) {
          findings.push(
            find(
              "high",
              object,
              `The dedicated schema ${schema} lacks tenant table ${table}: an academy placed there cannot hold its rows (its queries fall through to public.${table}).`,
              `Apply the tenant migrations to schema ${schema} (\`skillbridge db migrate\`).`,
            ),
          );
          continue;
        }
        if (!copy.rls || !copy.forced) {
          findings.push(
            find(
              "high",
              object,
              `Row-level security is ${copy.rls ? "not forced" : "disabled"} in the dedicated copy: defence in depth requires the same forced RLS as public.${table}.`,
              `alter table ${object} enable row level security; alter table ${object} force row level security;`,
            ),
          );
        }
        const expected = policiesOf("public", table);
        const actual = policiesOf(schema, table);
        if (expected.join("\n") !== actual.join("\n")) {
          findings.push(
            find(
              "medium",
              object,
              `Its policies differ from public.${table}'s (${count(actual.length, "policy", "policies")} against ${expected.length}): the schemas must carry the same DDL and policies.`,
              `Re-create the policies of ${object} from the tenant migration (tenantInitDdl("${schema}")).`,
            ),
          );
        }
        if (original && keysOf("public", table).join("\n") !== keysOf(schema, table).join("\n")) {
          findings.push(
            find(
              "medium",
              object,
              `Its keys differ from public.${table}'s: primary, unique and composite foreign keys must be the same in every schema.`,
              `Compare \\d ${object} with \\d public.${table} and restore the keys from the tenant migrations.`,
            ),
          );
        }
      }
      const applied = await appliedIn(ctx, schema);
      if (publicMigrations !== null && applied !== null) {
        const missing = publicMigrations.filter((m) => !applied.includes(m));
        if (missing.length > 0) {
          findings.push(
            find(
              "medium",
              schema,
              `Behind public by ${count(missing.length, "tenant migration")} (${missing.join(", ")}).`,
              "Run `skillbridge db migrate`.",
            ),
          );
        }
      }
    }
    if (schemas.length === 0 && schemaPlaced === 0 && placed.length === 0) {
      return ran(
        identity,
        "not in use: no academy has placement 'schema' and no schema besides public holds tenant tables",
        findings,
      );
    }
    return ran(
      identity,
      `${count(schemas.length, "dedicated schema")} compared with public (${count(placed.length, "academy", "academies")} placed in one)`,
      findings,
    );
  },
};
