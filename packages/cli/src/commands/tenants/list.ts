import type { Academy } from "@skillbridge/sdk";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { academyStatus, collect, formatDate } from "../shared.js";

export interface TenantsListInput {
  /** Include soft-deleted academies. */
  readonly all?: boolean | undefined;
}

/** `skillbridge tenants list`: every academy, all pages. */
export async function tenantsList(
  session: Session,
  input: TenantsListInput = {},
): Promise<CommandOutput<Academy[]>> {
  const { client } = await session.connect();
  const academies = await session.task("Listing academies", () =>
    collect(client.academies.list({ limit: 100, deleted: input.all ? "include" : "exclude" })),
  );
  return {
    data: academies,
    view: {
      kind: "table",
      columns: [
        { key: "slug", label: "slug" },
        { key: "name", label: "name" },
        { key: "status", label: "status" },
        { key: "placement", label: "placement" },
        { key: "created", label: "created" },
        { key: "id", label: "id" },
      ],
      rows: academies.map((a) => ({
        slug: a.slug,
        name: a.name,
        status: academyStatus(a),
        placement: a.placement,
        created: formatDate(a.createdAt),
        id: a.id,
      })),
      empty: "No academies yet. Create one with `skillbridge tenants create`.",
    },
  };
}
