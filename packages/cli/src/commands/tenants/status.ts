import type { Academy } from "@skillbridge/sdk";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { academyBySlug } from "../shared.js";
import { academySummary } from "./show.js";

/** `skillbridge tenants suspend SLUG`: its users get 403 until it is restored. */
export async function tenantsSuspend(
  session: Session,
  slug: string,
): Promise<CommandOutput<Academy>> {
  const { client } = await session.connect();
  const academy = await academyBySlug(client, slug);
  if (academy.status === "suspended") {
    throw new CliError(
      `Academy "${slug}" is already suspended.`,
      `Restore it with \`skillbridge tenants restore ${slug}\`.`,
    );
  }
  const updated = await client.academies.update(academy.id, { status: "suspended" });
  return { data: updated, view: academySummary(`Suspended academy ${slug}`, updated) };
}

/**
 * `skillbridge tenants restore SLUG`: brings back a soft-deleted academy and
 * reactivates a suspended one, so the academy is usable again either way.
 */
export async function tenantsRestore(
  session: Session,
  slug: string,
): Promise<CommandOutput<Academy>> {
  const { client } = await session.connect();
  let academy = await academyBySlug(client, slug, { deleted: "include" });
  if (!academy.deletedAt && academy.status === "active") {
    throw new CliError(`Academy "${slug}" is active; there is nothing to restore.`);
  }
  if (academy.deletedAt) academy = await client.academies.restore(academy.id);
  if (academy.status === "suspended") {
    academy = await client.academies.update(academy.id, { status: "active" });
  }
  return { data: academy, view: academySummary(`Restored academy ${slug}`, academy) };
}
