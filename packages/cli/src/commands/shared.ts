import { randomBytes } from "node:crypto";
import type { Academy, SkillBridge, User } from "@skillbridge/sdk";
import { CliError } from "../errors.js";

/**
 * A password for an account created without one: 24 URL-safe characters, 144
 * bits. Never starting with `-`, which a later command would read as a flag
 * (`--password -x…`); drawing again keeps every other first character equally likely.
 */
export function generatePassword(): string {
  for (;;) {
    const password = randomBytes(18).toString("base64url");
    if (!password.startsWith("-")) return password;
  }
}

/** Everything a paginated list yields, page after page. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * The academy with this slug: the live one, or with `deleted`, a soft-deleted one
 * (the newest, as a slug may have been reused after a deletion).
 */
export async function academyBySlug(
  client: SkillBridge,
  slug: string,
  options: { deleted?: "exclude" | "include" | "only" } = {},
): Promise<Academy> {
  const deleted = options.deleted ?? "exclude";
  const found = await collect(client.academies.list({ slug, deleted, limit: 100 }));
  const academy = found.find((a) => a.deletedAt === null) ?? found.at(-1);
  if (!academy) {
    throw new CliError(
      `No ${deleted === "only" ? "deleted " : ""}academy with slug "${slug}".`,
      "See `skillbridge tenants list`.",
    );
  }
  return academy;
}

/** A user of the academy by email, through the platform directory. */
export async function academyUserByEmail(
  client: SkillBridge,
  academy: Academy,
  email: string,
): Promise<User> {
  const { data } = await client.academies.users(academy.id, { email, limit: 1 }).firstPage();
  const user = data[0];
  if (!user) {
    throw new CliError(
      `No user ${email} in academy "${academy.slug}".`,
      `See \`skillbridge users list --academy ${academy.slug}\`.`,
    );
  }
  return user;
}

/**
 * An audit-log reason as the API takes it (3-500 characters once trimmed),
 * checked here so that a short one names `--reason` rather than a request body.
 */
export function checkReason(reason: string, flag = "--reason"): string {
  const length = reason.trim().length;
  if (length < 3 || length > 500)
    throw new CliError(
      `${flag} must be 3-500 characters (spaces at either end not counted); got ${length}.`,
    );
  return reason;
}

/** `15m`, `1h`, `900s` or `900` (seconds) → seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+)\s*(s|m|h)?$/.exec(text.trim());
  if (!match) throw new CliError(`${flag} must be a duration like 15m, 1h or 900s; got "${text}".`);
  const unit = match[2] ?? "s";
  return Number(match[1]) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
}

export function formatDate(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

export function academyStatus(academy: Academy): string {
  return academy.deletedAt ? "deleted" : academy.status;
}
