import type { Academy, User } from "@skillbridge/sdk";
import { isSkillBridgeError, SkillBridge } from "@skillbridge/sdk";
import { readLogin, removeLogin, type StoredLogin, writeLogin } from "../config-store.js";
import { CliError } from "../errors.js";
import type { CommandOutput } from "../output/view.js";
import type { Session } from "../session.js";

export interface LoginInput {
  readonly email?: string | undefined;
  readonly academy?: string | undefined;
  /** Read the password from stdin (the flag for the password prompt). */
  readonly passwordStdin?: boolean | undefined;
}

export interface LoginResult {
  readonly apiUrl: string;
  readonly user: User;
  readonly expiresIn: number;
  readonly configFile: string;
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text.replace(/\r?\n$/, "");
}

/** `skillbridge login`: signs in to a remote server and keeps the token (0600). */
export async function login(
  session: Session,
  input: LoginInput,
): Promise<CommandOutput<LoginResult>> {
  const apiUrl = session.apiUrl;
  if (!apiUrl) {
    throw new CliError(
      "No server to log in to.",
      "Pass --api-url or set SKILLBRIDGE_API_URL; the local database needs no login.",
    );
  }
  session.prompt.requireAll([
    [input.email, "--email", "your email"],
    [input.passwordStdin ? true : undefined, "--password-stdin", "the password, on stdin"],
  ]);
  const email = await session.prompt.text(input.email, "--email", "Email:");
  const password = input.passwordStdin
    ? await readStdin(session.io.stdin)
    : await session.prompt.secret(undefined, "--password-stdin", "Password:");
  if (!password) throw new CliError("The password is empty.");
  const client = new SkillBridge({ baseUrl: apiUrl });
  const response = await session
    .task("Signing in", () =>
      client.auth.login(
        input.academy ? { academy: input.academy, email, password } : { email, password },
      ),
    )
    .catch((error: unknown) => {
      // The server answers a wrong email, password or academy with one 401, on purpose.
      if (isSkillBridgeError(error) && error.status === 401) {
        throw new CliError(
          `Wrong email or password${input.academy ? ` for academy "${input.academy}"` : " for a platform user"} at ${apiUrl}.`,
          input.academy
            ? "Check them, and the academy's slug."
            : "Check them; an academy user also needs --academy SLUG.",
        );
      }
      throw error;
    });
  const configFile = writeLogin(session.io.env, {
    apiUrl,
    token: response.accessToken,
    email: response.user.email,
    academy: input.academy ?? null,
    savedAt: new Date().toISOString(),
  });
  return {
    data: { apiUrl, user: response.user, expiresIn: response.expiresIn, configFile },
    view: {
      kind: "summary",
      title: `Logged in to ${apiUrl} as ${response.user.email}`,
      fields: [
        ["role", response.user.role],
        ...(input.academy ? ([["academy", input.academy]] as const) : []),
        ["expires in", `${Math.round(response.expiresIn / 60)} min`],
        ["saved to", configFile],
      ],
    },
  };
}

export interface LogoutResult {
  /** A stored login was removed. */
  readonly loggedOut: boolean;
  /** The server revoked the stored token (`POST /auth/logout`). */
  readonly revoked: boolean;
  /** Why the token could not be revoked, when a server was asked and did not revoke it. */
  readonly problem?: string;
}

/**
 * `skillbridge logout`: revokes the stored token on its server, then forgets
 * it. A token the server already refuses (expired, signed out, issued before
 * a password change) needs no revoking. An unreachable server does not keep
 * the login on this machine: it is forgotten anyway, and the output says the
 * token stays valid there until it expires.
 */
export async function logout(session: Session): Promise<CommandOutput<LogoutResult>> {
  let had: StoredLogin | undefined;
  try {
    had = readLogin(session.io.env);
  } catch {
    had = undefined; // An unreadable login file: nothing to revoke, only to remove.
  }
  let revoked = false;
  let problem: string | undefined;
  if (had) {
    const client = new SkillBridge({ baseUrl: had.apiUrl, token: had.token });
    try {
      await session.task("Signing out", () => client.auth.logout());
      revoked = true;
    } catch (error) {
      if (isSkillBridgeError(error) && error.status === 401) {
        revoked = true; // Already refused by the server: nothing left to revoke.
      } else {
        problem = `${had.apiUrl} did not revoke the token (${error instanceof Error ? error.message : String(error)}); it stays valid there until it expires.`;
      }
    }
  }
  const removed = removeLogin(session.io.env);
  return {
    data: { loggedOut: removed, revoked, ...(problem ? { problem } : {}) },
    view: {
      kind: "summary",
      title: removed ? `Logged out of ${had?.apiUrl ?? "the server"}` : "Not logged in",
      fields: problem
        ? [["warning", problem]]
        : revoked
          ? [["token", "revoked on the server"]]
          : [],
    },
  };
}

export interface WhoamiResult {
  readonly mode: "embedded" | "remote";
  readonly apiUrl: string;
  readonly user: User;
  readonly academy: Academy | null;
}

/** `skillbridge whoami`: who the CLI acts as, and where. */
export async function whoami(session: Session): Promise<CommandOutput<WhoamiResult>> {
  const connection = await session.connect();
  const me = await connection.client.auth.me();
  const where =
    connection.mode === "embedded"
      ? `embedded (${session.dataDir}, no login needed)`
      : connection.apiUrl;
  return {
    data: { mode: connection.mode, apiUrl: connection.apiUrl, user: me.user, academy: me.academy },
    view: {
      kind: "summary",
      title: `${me.user.name} <${me.user.email}>`,
      fields: [
        ["role", me.user.role],
        ["academy", me.academy ? me.academy.slug : "(platform)"],
        ["server", where],
      ],
    },
  };
}
