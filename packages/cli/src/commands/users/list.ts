import { AcademyRoleSchema, type User } from "@skillbridge/core/contracts";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { actInAcademy } from "../act-in-academy.js";
import { academyBySlug, collect } from "../shared.js";

export interface UsersListInput {
  readonly academy?: string | undefined;
  readonly role?: string | undefined;
}

/** `skillbridge users list`: an academy's users, optionally one role. */
export async function usersList(
  session: Session,
  input: UsersListInput,
): Promise<CommandOutput<User[]>> {
  const role = input.role === undefined ? undefined : AcademyRoleSchema.safeParse(input.role);
  if (role && !role.success) {
    throw new CliError(`--role must be admin, instructor, student or parent; got "${input.role}".`);
  }
  const filter = { limit: 100, ...(role?.data ? { role: role.data } : {}) };
  const { client } = await session.connect();
  const me = await client.auth.me();
  let slug: string;
  let users: User[];
  if (me.academy) {
    // An academy admin lists their own academy.
    const access = await actInAcademy(session, input.academy, "");
    slug = access.academy.slug;
    users = await collect(access.client.users.list(filter));
  } else {
    // A platform admin reads the academy's directory; no impersonation needed to read it.
    const academySlug = await session.prompt.text(input.academy, "--academy", "Academy slug:");
    const academy = await academyBySlug(client, academySlug);
    slug = academy.slug;
    users = await collect(client.academies.users(academy.id, filter));
  }
  return {
    data: users,
    view: {
      kind: "table",
      columns: [
        { key: "email", label: "email" },
        { key: "name", label: "name" },
        { key: "role", label: "role" },
        { key: "id", label: "id" },
      ],
      rows: users.map((u) => ({ email: u.email, name: u.name, role: u.role, id: u.id })),
      empty: `No users in ${slug}${role?.data ? ` with role ${role.data}` : ""}.`,
    },
  };
}
