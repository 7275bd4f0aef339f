import type { Academy } from "@skillbridge/sdk";
import type { CommandOutput, SummaryView } from "../../output/view.js";
import type { Session } from "../../session.js";
import { academyBySlug, academyStatus, formatDate } from "../shared.js";

export function academySummary(title: string, academy: Academy): SummaryView {
  return {
    kind: "summary",
    title,
    fields: [
      ["slug", academy.slug],
      ["name", academy.name],
      ["status", academyStatus(academy)],
      ["placement", academy.placement],
      ["created", formatDate(academy.createdAt)],
      ...(academy.deletedAt ? ([["deleted", formatDate(academy.deletedAt)]] as const) : []),
      ["id", academy.id],
    ],
  };
}

/** `skillbridge tenants show SLUG`: one academy, live or soft-deleted. */
export async function tenantsShow(session: Session, slug: string): Promise<CommandOutput<Academy>> {
  const { client } = await session.connect();
  const academy = await academyBySlug(client, slug, { deleted: "include" });
  return { data: academy, view: academySummary(`Academy ${academy.slug}`, academy) };
}
