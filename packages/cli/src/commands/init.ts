import { createServices, withPlatform } from "@skillbridge/core";
import { EmailSchema, type User } from "@skillbridge/core/contracts";
import { openLocalDatabase } from "../connection/local-database.js";
import { CliError } from "../errors.js";
import type { CommandOutput } from "../output/view.js";
import { validateWith } from "../prompter.js";
import type { Session } from "../session.js";
import { generatePassword } from "./shared.js";

export interface InitInput {
  readonly adminEmail?: string | undefined;
  readonly adminName?: string | undefined;
  readonly adminPassword?: string | undefined;
}

export interface InitResult {
  readonly database: string;
  /** Migrations this run applied (empty when the database was up to date). */
  readonly migrationsApplied: readonly string[];
  readonly admin: User;
  /** False when the admin already existed: re-running `init` changes nothing. */
  readonly created: boolean;
  readonly generatedPassword: string | null;
}

/**
 * `skillbridge init`: migrates the local database and creates the first
 * platform admin. It works on the database itself (there is no API to create
 * platform users), so it refuses to run against a remote server.
 */
export async function init(session: Session, input: InitInput): Promise<CommandOutput<InitResult>> {
  session.requireLocal("init", "prepares the local database");
  const email = await session.prompt.text(
    input.adminEmail,
    "--admin-email",
    "Platform admin's email:",
    validateWith(EmailSchema),
  );
  const local = await session.task("Migrating the local database", () =>
    openLocalDatabase({
      dataDir: session.dataDir,
      env: session.io.env,
      openDataDirs: session.io.openDataDirs,
    }),
  );
  try {
    const services = createServices(
      session.io.passwords ? { passwords: session.io.passwords } : {},
    );
    const generatedPassword = input.adminPassword === undefined ? generatePassword() : null;
    const { admin, created } = await withPlatform(local.db, async (trx) => {
      const existing = await services.platformUsers.findByEmail(trx, email);
      if (existing) return { admin: existing, created: false };
      const admin = await services.platformUsers.create(trx, {
        email,
        name: input.adminName ?? "Platform Admin",
        role: "platform_admin",
        password: input.adminPassword ?? generatedPassword ?? "",
      });
      return { admin, created: true };
    });
    const shownPassword = created ? generatedPassword : null;
    const data: InitResult = {
      database: local.description,
      migrationsApplied: local.applied,
      admin,
      created,
      generatedPassword: shownPassword,
    };
    return {
      data,
      view: {
        kind: "summary",
        title: created ? "Initialised SkillBridge" : "Already initialised: nothing changed",
        fields: [
          ["database", local.description],
          ["migrations", local.applied.length ? local.applied.join(", ") : "up to date"],
          ["platform admin", admin.email],
          ...(shownPassword ? ([["password", shownPassword]] as const) : []),
        ],
        secret: ["password"],
        notes: shownPassword
          ? ["The password is shown once. Next: `skillbridge serve`, then `skillbridge login`."]
          : [],
      },
    };
  } catch (error) {
    // A password the contract refuses (too short) is the user's to fix.
    if (error instanceof Error && "code" in error && error.code === "validation_failed") {
      throw new CliError(`Invalid admin: ${error.message}`);
    }
    throw error;
  } finally {
    await local.db.close();
  }
}
