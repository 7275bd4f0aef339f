import type { Academy } from "@skillbridge/sdk";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { academyBySlug } from "../shared.js";

export interface TenantsDeleteResult {
  readonly deleted: true;
  readonly academy: Academy;
}

/**
 * `skillbridge tenants delete SLUG`: a soft delete (its users get 401; `tenants
 * restore` undoes it), after typing the slug back or `--yes`.
 */
export async function tenantsDelete(
  session: Session,
  slug: string,
): Promise<CommandOutput<TenantsDeleteResult>> {
  const { client } = await session.connect();
  const academy = await academyBySlug(client, slug);
  await session.prompt.confirmTyped(
    session.options.yes,
    slug,
    `Delete academy "${slug}" (${academy.name})? Its users lose access until it is restored.`,
  );
  await client.academies.delete(academy.id);
  return {
    data: { deleted: true, academy },
    view: {
      kind: "summary",
      title: `Deleted academy ${slug}`,
      fields: [["id", academy.id]],
      notes: [`Soft delete: \`skillbridge tenants restore ${slug}\` brings it back.`],
    },
  };
}
