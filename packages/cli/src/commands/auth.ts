import type { Academy, User } from "@skillbridge/sdk";
import { SkillBridge } from "@skillbridge/sdk";
import { readLogin, removeLogin, writeLogin } from "../config-store.js";
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
  const email = await session.prompt.text(input.email, "--email", "Email:");
  const password = input.passwordStdin
    ? await readStdin(session.io.stdin)
    : await session.prompt.secret(undefined, "--password-stdin", "Password:");
  if (!password) throw new CliError("The password is empty.");
  const client = new SkillBridge({ baseUrl: apiUrl });
  const response = await session.task("Signing in", () =>
    client.auth.login(
      input.academy ? { academy: input.academy, email, password } : { email, password },
    ),
  );
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

/** `skillbridge logout`: forgets the stored token. */
export async function logout(session: Session): Promise<CommandOutput<{ loggedOut: boolean }>> {
  const had = readLogin(session.io.env);
  const removed = removeLogin(session.io.env);
  return {
    data: { loggedOut: removed },
    view: {
      kind: "summary",
      title: removed ? `Logged out of ${had?.apiUrl ?? "the server"}` : "Not logged in",
      fields: [],
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
