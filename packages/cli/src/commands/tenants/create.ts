import {
  AcademySlugSchema,
  type CreateAcademyResponse,
  EmailSchema,
  NameSchema,
  type Placement,
  PlacementSchema,
} from "@skillbridge/core/contracts";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import { validateWith } from "../../prompter.js";
import type { Session } from "../../session.js";
import { generatePassword } from "../shared.js";

export interface TenantsCreateInput {
  readonly slug?: string | undefined;
  readonly name?: string | undefined;
  readonly adminEmail?: string | undefined;
  readonly adminName?: string | undefined;
  readonly adminPassword?: string | undefined;
  readonly placement?: string | undefined;
  /** Invite the first admin (a one-time token) instead of giving them a password. */
  readonly invite?: boolean | undefined;
}

export interface TenantsCreateResult extends CreateAcademyResponse {
  /** The admin's password when the CLI generated it: shown once, never stored. */
  readonly generatedPassword: string | null;
}

/** `skillbridge tenants create`: onboards an academy and its first admin in one call. */
export async function tenantsCreate(
  session: Session,
  input: TenantsCreateInput,
): Promise<CommandOutput<TenantsCreateResult>> {
  const { prompt } = session;
  const placement = input.placement ?? "shared";
  if (!PlacementSchema.safeParse(placement).success) {
    throw new CliError(`--placement must be "shared" or "schema"; got "${placement}".`);
  }
  prompt.requireAll([
    [input.slug, "--slug", "academy slug"],
    [input.name, "--name", "academy name"],
    [input.adminEmail, "--admin-email", "first admin's email"],
    [input.adminName, "--admin-name", "first admin's name"],
  ]);
  const slug = await prompt.text(
    input.slug,
    "--slug",
    "Academy slug (lowercase, e.g. north-prep):",
    validateWith(AcademySlugSchema),
  );
  const name = await prompt.text(input.name, "--name", "Academy name:", validateWith(NameSchema));
  const adminEmail = await prompt.text(
    input.adminEmail,
    "--admin-email",
    "First admin's email:",
    validateWith(EmailSchema),
  );
  const adminName = await prompt.text(
    input.adminName,
    "--admin-name",
    "First admin's name:",
    validateWith(NameSchema),
  );
  if (input.invite && input.adminPassword !== undefined) {
    throw new CliError(
      "--invite and --admin-password do not go together: an invited admin chooses their own password.",
    );
  }
  const generatedPassword =
    input.invite || input.adminPassword !== undefined ? null : generatePassword();
  const password = input.adminPassword ?? generatedPassword ?? undefined;

  const { client } = await session.connect();
  const created = await session.task(`Creating academy ${slug}`, () =>
    client.academies.create({
      slug,
      name,
      placement: placement as Placement,
      admin: {
        email: adminEmail,
        name: adminName,
        ...(password === undefined ? {} : { password }),
      },
    }),
  );
  const data: TenantsCreateResult = { ...created, generatedPassword };
  const invitation = created.invitation;
  const secret = generatedPassword ?? invitation?.token;
  return {
    data,
    // For scripts: the academy's id, then the generated password or the invitation token.
    quiet: [created.academy.id, ...(secret ? [secret] : [])].join("\t"),
    view: {
      kind: "summary",
      title: `Created academy ${created.academy.slug}`,
      fields: [
        ["id", created.academy.id],
        ["name", created.academy.name],
        ["placement", created.academy.placement],
        ["admin", `${created.admin.name} <${created.admin.email}>`],
        ...(generatedPassword ? ([["password", generatedPassword]] as const) : []),
        ...(invitation
          ? ([
              ["invitation", invitation.token],
              ["expires", invitation.expiresAt],
            ] as const)
          : []),
      ],
      secret: invitation ? ["invitation"] : ["password"],
      notes: generatedPassword
        ? ["The admin's password is shown once: hand it over now; it is not stored anywhere."]
        : invitation
          ? [
              `The invitation is shown once and works once, until it expires: the admin accepts it with POST /api/v1${invitation.acceptPath} {"password": "..."} (SDK: client.auth.acceptInvitation(token, password)).`,
            ]
          : [],
    },
  };
}
