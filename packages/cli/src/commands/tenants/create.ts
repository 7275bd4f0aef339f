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
  const generatedPassword = input.adminPassword === undefined ? generatePassword() : null;
  const password = input.adminPassword ?? generatedPassword ?? "";

  const { client } = await session.connect();
  const created = await session.task(`Creating academy ${slug}`, () =>
    client.academies.create({
      slug,
      name,
      placement: placement as Placement,
      admin: { email: adminEmail, name: adminName, password },
    }),
  );
  const data: TenantsCreateResult = { ...created, generatedPassword };
  return {
    data,
    view: {
      kind: "summary",
      title: `Created academy ${created.academy.slug}`,
      fields: [
        ["id", created.academy.id],
        ["name", created.academy.name],
        ["placement", created.academy.placement],
        ["admin", `${created.admin.name} <${created.admin.email}>`],
        ...(generatedPassword ? ([["password", generatedPassword]] as const) : []),
      ],
      secret: ["password"],
      notes: generatedPassword
        ? ["The admin's password is shown once: hand it over now; it is not stored anywhere."]
        : [],
    },
  };
}
