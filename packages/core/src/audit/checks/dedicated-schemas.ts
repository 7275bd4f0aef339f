import type { CatalogPolicy } from "../../catalog/policies.js";
import { TENANT_TABLES } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "schemas.dedicated",
  title: "Dedicated-schema academies: each schema has the shared schema's tables and policies",
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
 * `academies.placement = 'schema'` puts an academy in a schema of its own
 * with the same DDL and policies. No naming of those schemas is defined yet
 * (docs/tenancy.md), so every application schema besides `public` that holds
 * a copy of a tenant table counts as a dedicated schema; each is compared with
 * `public`. The per-table checks already cover them, as they read every schema.
 */
export const dedicatedSchemas: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const listed = new Set<string>(TENANT_TABLES);
    const schemaPlaced = catalog.placements.get("schema") ?? 0;
    const schemas = [
      ...new Set(
        catalog.tables
          .filter((t) => t.schema !== "public" && listed.has(t.name))
          .map((t) => t.schema),
      ),
    ].sort();
    const findings = [];
    if (schemaPlaced > 0 && schemas.length === 0) {
      findings.push(
        find(
          "high",
          "academies.placement",
          `${count(schemaPlaced, "live academy", "live academies")} with placement 'schema', but no schema besides public holds tenant tables: their rows cannot be where the placement says.`,
          "Run the tenant migrations for each dedicated schema, or set those academies' placement back to 'shared'.",
        ),
      );
    }
    const policiesOf = (schema: string, table: string) =>
      catalog.policies
        .filter((p) => p.schema === schema && p.table === table)
        .map(shape)
        .sort();
    for (const schema of schemas) {
      for (const table of TENANT_TABLES) {
        const copy = catalog.tables.find((t) => t.schema === schema && t.name === table);
        const object = `${schema}.${table}`;
        if (!copy) {
          findings.push(
            find(
              "high",
              object,
              `The dedicated schema ${schema} lacks tenant table ${table}: an academy placed there cannot hold its rows (or holds them elsewhere).`,
              `Apply the tenant migrations to schema ${schema}.`,
            ),
          );
          continue;
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
      }
    }
    if (schemas.length === 0 && schemaPlaced === 0) {
      return ran(
        identity,
        "not in use: no academy has placement 'schema' and no schema besides public holds tenant tables",
        findings,
      );
    }
    return ran(
      identity,
      `${count(schemas.length, "dedicated schema")} compared with public (${count(schemaPlaced, "academy", "academies")} placed in one)`,
      findings,
    );
  },
};
