import type { Academy, SkillBridge } from "@skillbridge/sdk";
import { CliError } from "../errors.js";
import type { Session } from "../session.js";
import { academyBySlug, checkReason } from "./shared.js";

/** Impersonations made by the CLI for one command live just long enough for it. */
const COMMAND_IMPERSONATION_SECONDS = 300;

export interface AcademyAccess {
  readonly academy: Academy;
  /** A client acting as an admin of that academy. */
  readonly client: SkillBridge;
  /** True when a platform admin acts through an (audit-logged) impersonation. */
  readonly impersonated: boolean;
}

/**
 * Acting inside an academy. An academy admin's own token is used as is (and
 * must belong to that academy). A platform admin acts through an explicit,
 * short, audit-logged impersonation of one of the academy's admins, carrying
 * `reason`, as DESIGN.md requires.
 */
export async function actInAcademy(
  session: Session,
  slug: string | undefined,
  reason: string,
): Promise<AcademyAccess> {
  const { client } = await session.connect();
  const me = await client.auth.me();
  if (me.academy) {
    if (me.user.role !== "admin") {
      throw new CliError(`Signed in as a ${me.user.role}; this needs an academy admin.`);
    }
    if (slug !== undefined && slug !== me.academy.slug) {
      throw new CliError(
        `Signed in to academy "${me.academy.slug}", not "${slug}".`,
        "Log in to that academy, or as a platform admin.",
      );
    }
    return { academy: me.academy, client, impersonated: false };
  }
  checkReason(reason);
  const academySlug = await session.prompt.text(slug, "--academy", "Academy slug:");
  const academy = await academyBySlug(client, academySlug);
  const { data } = await client.academies
    .users(academy.id, { role: "admin", limit: 1 })
    .firstPage();
  const admin = data[0];
  if (!admin) throw new CliError(`Academy "${academySlug}" has no admin to act as.`);
  const { accessToken } = await client.impersonations.create({
    academyId: academy.id,
    userId: admin.id,
    reason,
    ttlSeconds: COMMAND_IMPERSONATION_SECONDS,
  });
  return { academy, client: client.withToken(accessToken), impersonated: true };
}
