import {
  readTenantSchemaStates,
  type TenantSchemaState,
  tenantMigrationNames,
} from "@skillbridge/core";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { openForOperatorJob, slugsById } from "./local.js";

export interface SchemaStatus {
  readonly schema: string;
  readonly kind: TenantSchemaState["kind"];
  readonly academyId: string | null;
  readonly academy: string | null;
  readonly version: string | null;
  readonly pending: readonly string[];
  readonly state: "up to date" | "behind" | "missing" | "stray";
}

export interface DbStatusResult {
  readonly database: string;
  /** The newest tenant migration this version knows. */
  readonly latest: string | null;
  readonly schemas: readonly SchemaStatus[];
  /** Schemas that `db migrate` would change. */
  readonly behind: readonly string[];
}

export function stateOf(s: TenantSchemaState): SchemaStatus["state"] {
  if (s.stray) return "stray";
  if (!s.exists && s.kind === "dedicated") return "missing";
  return s.pending.length > 0 ? "behind" : "up to date";
}

/**
 * `skillbridge db status`: each tenant schema's migration version (`public`
 * and every dedicated schema), read from the local database without changing
 * it. Exit 1 when a schema is behind, so scripts can gate on it.
 */
export async function dbStatus(session: Session): Promise<CommandOutput<DbStatusResult>> {
  const local = await openForOperatorJob(session, "db status");
  try {
    const states = await readTenantSchemaStates(local.db);
    const slugs = await slugsById(local);
    const latest = tenantMigrationNames().at(-1) ?? null;
    const schemas: SchemaStatus[] = states.map((s) => ({
      schema: s.schema,
      kind: s.kind,
      academyId: s.academyId,
      academy: s.academyId ? (slugs.get(s.academyId) ?? null) : null,
      version: s.version,
      pending: s.pending,
      state: stateOf(s),
    }));
    const behind = schemas
      .filter((s) => s.state === "behind" || s.state === "missing")
      .map((s) => s.schema);
    return {
      data: { database: local.description, latest, schemas, behind },
      view: {
        kind: "summary",
        title: `Tenant schemas of ${local.description}`,
        fields: [
          ["latest", latest ?? "-"],
          ["schemas", String(schemas.length)],
          ["behind", behind.length === 0 ? "none" : String(behind.length)],
        ],
        table: {
          kind: "table",
          columns: [
            { key: "schema", label: "SCHEMA" },
            { key: "academy", label: "ACADEMY" },
            { key: "version", label: "VERSION" },
            { key: "state", label: "STATE" },
          ],
          rows: schemas.map((s) => ({
            schema: s.schema,
            academy: s.kind === "shared" ? "(shared)" : (s.academy ?? "-"),
            version: s.version ?? "-",
            state: s.state === "behind" ? `behind (${s.pending.length})` : s.state,
          })),
          empty: "No migrations applied yet: run `skillbridge db migrate`.",
        },
        notes: behind.length > 0 ? ["`skillbridge db migrate` brings them up to date."] : [],
      },
      exitCode: behind.length > 0 ? 1 : 0,
    };
  } finally {
    await local.db.close();
  }
}
