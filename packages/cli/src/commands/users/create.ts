import { AcademyRoleSchema, EmailSchema, NameSchema, type User } from "@skillbridge/core/contracts";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import { validateWith } from "../../prompter.js";
import type { Session } from "../../session.js";
import { actInAcademy } from "../act-in-academy.js";
import { generatePassword } from "../shared.js";

export interface UsersCreateInput {
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

/** `skillbridge users create`: a user in an academy (platform admins act through impersonation). */
export async function usersCreate(
  session: Session,
  input: UsersCreateInput,
): Promise<CommandOutput<UsersCreateResult>> {
  const { prompt } = session;
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
  const access = await actInAcademy(
    session,
    input.academy,
    input.reason ?? "skillbridge CLI: users create",
  );
  const user = await access.client.users.create({
    email,
    name,
    role: role as User["role"] & "admin",
    password: input.password ?? generatedPassword ?? "",
  });
  return {
    data: { user, generatedPassword },
    view: {
      kind: "summary",
      title: `Created ${user.role} ${user.email} in ${access.academy.slug}`,
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
