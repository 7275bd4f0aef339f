import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The embedded server's signing secret: generated once, kept in the data dir
 * with mode 0600, so tokens survive restarts without anyone configuring a
 * secret. Deployments set `SKILLBRIDGE_JWT_SECRET` instead.
 *
 * @example
 * const secret = process.env.SKILLBRIDGE_JWT_SECRET ?? loadOrCreateSigningSecret(".skillbridge");
 */
export function loadOrCreateSigningSecret(dataDir: string): string {
  const file = join(dataDir, "jwt-secret");
  try {
    const secret = readFileSync(file, "utf8").trim();
    // Tighten a file someone loosened: the secret mints every academy's tokens.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    if (secret.length >= 43) return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
