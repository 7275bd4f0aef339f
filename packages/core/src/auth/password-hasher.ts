import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's scrypt recommendation (Password Storage Cheat Sheet): N=2^17, r=8, p=1. */
export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 64;
const SALT_LENGTH = 16;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(
      password.normalize("NFKC"),
      salt,
      KEY_LENGTH,
      { ...params, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * What `password_hash` holds for a user who has no password yet (an invited
 * first admin): not a hash, so no password verifies against it.
 */
export const NO_PASSWORD_YET = "!invited";

/**
 * scrypt password hashing. Hashes are self-describing
 * (`scrypt$N$r$p$salt$hash`), so the cost can rise without breaking old
 * hashes, and tests may hash cheaply while verification stays the same code.
 *
 * @example
 * const hasher = new PasswordHasher();
 * const stored = await hasher.hash("correct horse battery staple");
 * await hasher.verify("correct horse battery staple", stored); // true
 */
export class PasswordHasher {
  readonly #params: ScryptParams;
  #dummy: Promise<string> | undefined;

  constructor(params: ScryptParams = OWASP_SCRYPT) {
    this.#params = params;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await scrypt(password, salt, this.#params);
    const { N, r, p } = this.#params;
    return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split("$");
    // Not a hash (an invited admin's placeholder, say): the same work and the
    // same `false` as an unknown account, so timing does not single it out.
    if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash)
      return this.verifyNothing(password);
    const expected = Buffer.from(hash, "base64url");
    const key = await scrypt(password, Buffer.from(salt, "base64url"), {
      N: Number(n),
      r: Number(r),
      p: Number(p),
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /**
   * Spends the same work as a real verification and fails: used when the
   * account does not exist, so timing does not tell unknown emails apart.
   */
  async verifyNothing(password: string): Promise<false> {
    this.#dummy ??= this.hash("skillbridge-no-such-user");
    await this.verify(password, await this.#dummy);
    return false;
  }
}
