import {
  dropStaleSpareSchemas,
  migratePlatform,
  runTenantMigrations,
  type TenantMigrationRun,
} from "@skillbridge/core";
import { CliError, EXIT } from "../../errors.js";
import { migrationReporter } from "../../output/migration-reporter.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { integerFlag, openForOperatorJob, slugsById } from "./local.js";

export interface DbMigrateInput {
  readonly concurrency?: string | undefined;
}

export interface DbMigrateOptions {
  /** Stops the run: no schema starts after it, those in flight finish (default: the first SIGINT or SIGTERM). */
  readonly signal?: AbortSignal | undefined;
}

export interface DbMigrateResult {
  readonly database: string;
  readonly platformApplied: readonly string[];
  readonly latest: string | null;
  readonly schemas: number;
  readonly upToDate: number;
  readonly migrated: TenantMigrationRun["migrated"];
  readonly failed: TenantMigrationRun["failed"];
  readonly interrupted: boolean;
  /** Schemas still behind after the run: rerun to continue. */
  readonly behind: readonly {
    readonly schema: string;
    readonly academy: string | null;
    readonly pending: readonly string[];
  }[];
}

/** An AbortSignal fired by the first SIGINT or SIGTERM (the listeners go when the run ends). */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const on = () => controller.abort();
  process.once("SIGINT", on);
  process.once("SIGTERM", on);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
    },
  };
}

/**
 * `skillbridge db migrate`: the platform migrations, then the tenant
 * migrations of `public` and of every dedicated schema, `--concurrency` at a
 * time, each schema in a transaction of its own — so a run that is stopped
 * (Ctrl-C: the schemas in flight finish) or killed leaves each schema migrated
 * or untouched, and the next run continues with the ones still behind.
 * Progress on stderr. Exit 1 if a schema failed or is still behind.
 */
export async function dbMigrate(
  session: Session,
  input: DbMigrateInput,
  options: DbMigrateOptions = {},
): Promise<CommandOutput<DbMigrateResult>> {
  const concurrency = integerFlag("--concurrency", input.concurrency, 2, 1, 32);
  const local = await openForOperatorJob(session, "db migrate");
  const interrupt = options.signal ? undefined : interruptSignal();
  const reporter = await migrationReporter(session.io, {
    enabled: !session.options.json && !session.options.quiet,
    color: session.options.color,
  });
  try {
    const platform = await migratePlatform(local.db).catch((error: Error) => {
      throw new CliError(`${local.description}: ${error.message}`);
    });
    const run = await runTenantMigrations(local.db, {
      concurrency,
      onEvent: reporter.onEvent,
      signal: options.signal ?? interrupt?.signal,
    });
    reporter.done();
    // Spare schemas a new tenant migration left behind go, as `migrate` at start-up does.
    if (run.failed.length === 0 && !run.interrupted) await dropStaleSpareSchemas(local.db);
    const slugs = await slugsById(local);
    const behind = run.behind.map((s) => ({
      schema: s.schema,
      academy: s.academyId ? (slugs.get(s.academyId) ?? null) : null,
      pending: s.pending,
    }));
    const data: DbMigrateResult = {
      database: local.description,
      platformApplied: platform.applied,
      latest: run.latest,
      schemas: run.total,
      upToDate: run.upToDate,
      migrated: run.migrated,
      failed: run.failed,
      interrupted: run.interrupted,
      behind,
    };
    const ok = run.failed.length === 0 && behind.length === 0;
    const notes = [
      ...run.failed.map((f) => `${f.schema} failed: ${f.error}`),
      ...(run.interrupted
        ? ["Interrupted: the schemas in flight finished; rerun to continue."]
        : []),
      ...(behind.length > 0 && !run.interrupted && run.failed.length === 0
        ? ["Some schemas are still behind: rerun `skillbridge db migrate`."]
        : []),
    ];
    return {
      data,
      view: {
        kind: "summary",
        title: ok
          ? `Migrated ${local.description}`
          : `Migration of ${local.description} is incomplete`,
        fields: [
          ["latest", run.latest ?? "-"],
          ["schemas", String(run.total)],
          ["already up to date", String(run.upToDate)],
          ["migrated now", String(run.migrated.length)],
          ["failed", String(run.failed.length)],
          ["still behind", String(behind.length)],
          ["concurrency", String(local.db.engine === "pglite" ? 1 : concurrency)],
        ],
        ...(behind.length > 0
          ? {
              table: {
                kind: "table" as const,
                columns: [
                  { key: "schema", label: "SCHEMA" },
                  { key: "academy", label: "ACADEMY" },
                  { key: "pending", label: "PENDING" },
                ],
                rows: behind.map((b) => ({
                  schema: b.schema,
                  academy: b.academy ?? "-",
                  pending: b.pending.join(", "),
                })),
                empty: "",
              },
            }
          : {}),
        notes,
      },
      ...(ok ? {} : { exitCode: run.interrupted ? EXIT.interrupted : EXIT.failure }),
    };
  } finally {
    reporter.done();
    interrupt?.dispose();
    await local.db.close();
  }
}
