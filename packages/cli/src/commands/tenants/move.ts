import { type MoveAcademyResponse, PlacementSchema } from "@skillbridge/core/contracts";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { academyBySlug } from "../shared.js";

export interface TenantsMoveInput {
  readonly to?: string | undefined;
}

/** A move copies every row of the academy in one transaction: allow it time (30 minutes). */
const MOVE_TIMEOUT_MS = 30 * 60_000;

/**
 * `skillbridge tenants move SLUG --to schema|shared`: moves the academy's rows
 * to a dedicated schema or back to the shared one, through the API (so it
 * works remotely too): one transaction that copies, verifies row counts and
 * checksums per table, switches the placement and removes the old rows. Asks
 * to type the slug back, or `--yes`; without a terminal and without `--yes`
 * it refuses.
 */
export async function tenantsMove(
  session: Session,
  slug: string,
  input: TenantsMoveInput,
): Promise<CommandOutput<MoveAcademyResponse>> {
  const to = input.to;
  if (to === undefined) throw new CliError("Missing --to (schema or shared).");
  const placement = PlacementSchema.safeParse(to);
  if (!placement.success) throw new CliError(`--to must be "schema" or "shared"; got "${to}".`);
  const { client } = await session.connect();
  const academy = await academyBySlug(client, slug);
  if (academy.placement === placement.data) {
    throw new CliError(`Academy "${slug}" is already placed in '${placement.data}'.`);
  }
  await session.prompt.confirmTyped(
    session.options.yes,
    slug,
    `Move academy "${slug}" (${academy.name}) from '${academy.placement}' to '${placement.data}'? Its requests wait while its rows are copied.`,
  );
  const moved = await session.task(`Moving academy ${slug} to '${placement.data}'`, () =>
    client.academies.move(
      academy.id,
      { to: placement.data },
      { timeoutMs: MOVE_TIMEOUT_MS, maxRetries: 0 },
    ),
  );
  const rows = moved.tables.reduce((n, t) => n + t.rows, 0);
  return {
    data: moved,
    view: {
      kind: "summary",
      title: `Moved academy ${slug} from '${moved.from}' to '${moved.to}'`,
      fields: [
        ["id", moved.academy.id],
        ["placement", moved.academy.placement],
        ["rows", rows.toLocaleString("en")],
        ["took", `${moved.durationMs} ms`],
      ],
      table: {
        kind: "table",
        columns: [
          { key: "table", label: "TABLE" },
          { key: "rows", label: "ROWS" },
        ],
        rows: moved.tables.map((t) => ({ table: t.table, rows: String(t.rows) })),
        empty: "",
      },
      notes: ["Row counts and checksums matched in both schemas before the old rows were removed."],
    },
  };
}
