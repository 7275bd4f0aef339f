import {
  AcademyRoleSchema,
  EmailSchema,
  NameSchema,
  PlatformRoleSchema,
  type User,
} from "@skillbridge/core/contracts";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import { validateWith } from "../../prompter.js";
import type { Session } from "../../session.js";
import { actInAcademy } from "../act-in-academy.js";
import { academyBySlug, generatePassword } from "../shared.js";

export interface UsersCreateInput {
  /** A platform user (platform_admin or content_manager) instead of an academy's. */
  readonly platform?: boolean | undefined;
  readonly academy?: string | undefined;
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  readonly role?: string | undefined;
  readonly password?: string | undefined;
  readonly reason?: string | undefined;
}

export interface UsersCreateResult {
  readonly user: User;
  readonly generatedPassword: string | null;
}

/**
 * `skillbridge users create --platform --role content_manager`: a platform
 * user through `POST /admin/users` (platform admins only). A content manager
 * is the least-privilege importer: the shared bank, and no academy.
 */
async function platformUserCreate(
  session: Session,
  input: UsersCreateInput,
): Promise<CommandOutput<UsersCreateResult>> {
  const { prompt } = session;
  if (input.academy !== undefined || input.reason !== undefined)
    throw new CliError("--platform users belong to no academy: drop --academy and --reason.");
  prompt.requireAll([
    [input.role, "--role", "platform_admin or content_manager"],
    [input.email, "--email", "email"],
    [input.name, "--name", "name"],
  ]);
  const role = await prompt.text(
    input.role,
    "--role",
    "Role (platform_admin, content_manager):",
    validateWith(PlatformRoleSchema),
  );
  if (!PlatformRoleSchema.safeParse(role).success)
    throw new CliError(
      `--role must be platform_admin or content_manager with --platform; got "${role}".`,
    );
  const email = await prompt.text(input.email, "--email", "Email:", validateWith(EmailSchema));
  const name = await prompt.text(input.name, "--name", "Name:", validateWith(NameSchema));
  const generatedPassword = input.password === undefined ? generatePassword() : null;
  const { client } = await session.connect();
  const user = await client.platformUsers.create({
    email,
    name,
    role: role as "content_manager",
    password: input.password ?? generatedPassword ?? "",
  });
  return {
    data: { user, generatedPassword },
    quiet: [user.id, ...(generatedPassword ? [generatedPassword] : [])].join("\t"),
    view: {
      kind: "summary",
      title: `Created platform ${user.role} ${user.email}`,
      fields: [
        ["id", user.id],
        ["name", user.name],
        ...(generatedPassword ? ([["password", generatedPassword]] as const) : []),
      ],
      secret: ["password"],
      notes: [
        ...(generatedPassword ? ["The password is shown once: hand it over now."] : []),
        ...(user.role === "content_manager"
          ? [
              "A content manager may import, retire and read the shared bank, and nothing about academies.",
            ]
          : []),
      ],
    },
  };
}

/** `skillbridge users create`: a user in an academy (a platform admin through the audited platform route). */
export async function usersCreate(
  session: Session,
  input: UsersCreateInput,
): Promise<CommandOutput<UsersCreateResult>> {
  if (input.platform) return platformUserCreate(session, input);
  const { prompt } = session;
  prompt.requireAll([
    [input.role, "--role", "admin, instructor, student or parent"],
    [input.email, "--email", "email"],
    [input.name, "--name", "name"],
    ...(session.actsAsPlatformUser
      ? ([[input.academy, "--academy", "the academy's slug"]] as const)
      : []),
  ]);
  const role = await prompt.text(
    input.role,
    "--role",
    "Role (admin, instructor, student, parent):",
    validateWith(AcademyRoleSchema),
  );
  if (!AcademyRoleSchema.safeParse(role).success) {
    throw new CliError(`--role must be admin, instructor, student or parent; got "${role}".`);
  }
  const email = await prompt.text(input.email, "--email", "Email:", validateWith(EmailSchema));
  const name = await prompt.text(input.name, "--name", "Name:", validateWith(NameSchema));
  const generatedPassword = input.password === undefined ? generatePassword() : null;
  const body = {
    email,
    name,
    role: role as User["role"] & "admin",
    password: input.password ?? generatedPassword ?? "",
  };
  let user: User;
  let slug: string;
  const { client } = await session.connect();
  if ((await client.auth.me()).academy === null) {
    // A platform admin creates the user as themself (audit-logged as academy.users.create):
    // an impersonation cannot create users, whose passwords would outlive it (#18).
    const academySlug = await session.prompt.text(input.academy, "--academy", "Academy slug:");
    const academy = await academyBySlug(client, academySlug);
    user = await client.academies.createUser(academy.id, body);
    slug = academy.slug;
  } else {
    const access = await actInAcademy(
      session,
      input.academy,
      input.reason ?? "skillbridge CLI: users create",
    );
    user = await access.client.users.create(body);
    slug = access.academy.slug;
  }
  return {
    data: { user, generatedPassword },
    // For scripts: the user's id, and the password when it was generated.
    quiet: [user.id, ...(generatedPassword ? [generatedPassword] : [])].join("\t"),
    view: {
      kind: "summary",
      title: `Created ${user.role} ${user.email} in ${slug}`,
      fields: [
        ["id", user.id],
        ["name", user.name],
        ...(generatedPassword ? ([["password", generatedPassword]] as const) : []),
      ],
      secret: ["password"],
      notes: generatedPassword ? ["The password is shown once: hand it over now."] : [],
    },
  };
}
