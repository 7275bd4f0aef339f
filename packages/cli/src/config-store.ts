import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { CliError } from "./errors.js";

/** What `skillbridge login` keeps: one server, one token (gh keeps one per host; we keep the last). */
const StoredLoginSchema = z.object({
  apiUrl: z.string().url(),
  token: z.string().min(1),
  email: z.string(),
  academy: z.string().nullable(),
  savedAt: z.string(),
});
export type StoredLogin = z.infer<typeof StoredLoginSchema>;

/** `$XDG_CONFIG_HOME/skillbridge` (default `~/.config/skillbridge`). */
export function configDir(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "skillbridge");
}

function loginFile(env: Readonly<Record<string, string | undefined>>): string {
  return join(configDir(env), "login.json");
}

export function readLogin(
  env: Readonly<Record<string, string | undefined>>,
): StoredLogin | undefined {
  const file = loginFile(env);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(
      `${file} is not valid JSON.`,
      "Run `skillbridge logout`, then log in again.",
    );
  }
  const result = StoredLoginSchema.safeParse(parsed);
  if (!result.success) {
    throw new CliError(
      `${file} is not a SkillBridge login.`,
      "Run `skillbridge logout`, then log in again.",
    );
  }
  return result.data;
}

/** Writes the login readable by its owner only (0600, in a 0700 directory): it holds a bearer token. */
export function writeLogin(
  env: Readonly<Record<string, string | undefined>>,
  login: StoredLogin,
): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = loginFile(env);
  writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // The mode option only applies when the file is created; an older file may be wider.
  chmodSync(file, 0o600);
  return file;
}

/** Removes the stored login; true when there was one. */
export function removeLogin(env: Readonly<Record<string, string | undefined>>): boolean {
  const file = loginFile(env);
  try {
    readFileSync(file);
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}
