import { spawn } from "node:child_process";
import type { Academy, User } from "@skillbridge/sdk";
import { CliError } from "../errors.js";
import type { CommandOutput } from "../output/view.js";
import type { Session } from "../session.js";
import { academyBySlug, academyUserByEmail, checkReason, parseDuration } from "./shared.js";

export interface ImpersonateInput {
  readonly academy?: string | undefined;
  readonly user?: string | undefined;
  readonly reason?: string | undefined;
  readonly ttl?: string | undefined;
  readonly exec?: string | undefined;
}

export interface ImpersonateResult {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly academy: Pick<Academy, "id" | "slug">;
  readonly user: User;
}

/** `--exec`: what ran and how it ended; the token stayed with the command, never printed. */
export interface ImpersonateExecResult extends Omit<ImpersonateResult, "accessToken"> {
  /** The command's exit code, which is also the CLI's. */
  readonly exitCode: number;
}

/**
 * Runs `command` in a shell with the impersonation's token and the server's
 * URL. With `stdoutTo`, the command's stdout goes there instead of ours
 * (`--json`: stdout carries our one document and nothing else).
 */
function runWithToken(
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  extra: Record<string, string>,
  stdoutTo?: NodeJS.WritableStream,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, {
      shell: true,
      stdio: stdoutTo ? ["inherit", "pipe", "inherit"] : "inherit",
      env: { ...env, ...extra },
    });
    if (stdoutTo) child.stdout?.pipe(stdoutTo, { end: false });
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
  });
}

/**
 * `skillbridge impersonate`: a short-lived token acting as an academy user,
 * written to the audit log with its reason. With `--exec`, runs a command with
 * `SKILLBRIDGE_TOKEN` (and `SKILLBRIDGE_API_URL`) set, keeping an embedded
 * server up while it runs.
 */
export async function impersonate(
  session: Session,
  input: ImpersonateInput & { readonly exec?: undefined },
): Promise<CommandOutput<ImpersonateResult>>;
export async function impersonate(
  session: Session,
  input: ImpersonateInput & { readonly exec: string },
): Promise<CommandOutput<ImpersonateExecResult>>;
export async function impersonate(
  session: Session,
  input: ImpersonateInput,
): Promise<CommandOutput<ImpersonateResult | ImpersonateExecResult>>;
export async function impersonate(
  session: Session,
  input: ImpersonateInput,
): Promise<CommandOutput<ImpersonateResult | ImpersonateExecResult>> {
  const { prompt } = session;
  prompt.requireAll([
    [input.academy, "--academy", "academy slug"],
    [input.user, "--user", "email of the user to act as"],
    [input.reason, "--reason", "why, for the audit log: 3-500 characters"],
  ]);
  const slug = await prompt.text(input.academy, "--academy", "Academy slug:");
  const email = await prompt.text(input.user, "--user", "Email of the user to act as:");
  const reason = checkReason(
    await prompt.text(input.reason, "--reason", "Reason (written to the audit log):"),
  );
  const ttlSeconds = parseDuration(input.ttl ?? "15m", "--ttl");
  if (ttlSeconds < 60 || ttlSeconds > 3600) {
    throw new CliError(`--ttl must be between 1m and 1h; got ${input.ttl}.`);
  }
  const connection = await session.connect();
  const { client } = connection;
  const academy = await academyBySlug(client, slug);
  const user = await academyUserByEmail(client, academy, email);
  const { accessToken, expiresIn } = await client.impersonations.create({
    academyId: academy.id,
    userId: user.id,
    reason,
    ttlSeconds,
  });
  const result: ImpersonateResult = {
    accessToken,
    expiresIn,
    academy: { id: academy.id, slug: academy.slug },
    user,
  };
  if (input.exec !== undefined) {
    const exitCode = await runWithToken(
      input.exec,
      session.io.env,
      { SKILLBRIDGE_TOKEN: accessToken, SKILLBRIDGE_API_URL: connection.apiUrl },
      session.options.json ? session.io.stderr : undefined,
    );
    const { accessToken: _token, ...ran } = result;
    return {
      data: { ...ran, exitCode },
      view: {
        kind: "summary",
        title: `Ran as ${user.email} (${user.role}) in ${academy.slug}`,
        fields: [["exit code", String(exitCode)]],
      },
    };
  }
  if (!session.io.stdout.isTTY || session.options.quiet) {
    // Piped: the token alone, for `TOKEN=$(skillbridge impersonate ...)`.
    return { data: result, view: { kind: "text", text: accessToken } };
  }
  return {
    data: result,
    view: {
      kind: "summary",
      title: `Acting as ${user.email} (${user.role}) in ${academy.slug}`,
      fields: [
        ["token", accessToken],
        ["expires in", `${Math.round(expiresIn / 60)} min`],
        ["reason", reason],
      ],
      notes: [
        connection.mode === "embedded"
          ? "Use it against `skillbridge serve` on this data dir: SKILLBRIDGE_TOKEN=<token> skillbridge --api-url <url> whoami"
          : "Use it: SKILLBRIDGE_TOKEN=<token> skillbridge whoami",
      ],
    },
  };
}
