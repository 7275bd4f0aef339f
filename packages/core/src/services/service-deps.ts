import type { PasswordHasher } from "../auth/password-hasher.js";
import type { CursorCodec } from "../pagination/cursor-codec.js";

/** What services need besides the scoped Kysely handle they are called with. */
export interface ServiceDeps {
  readonly passwords: PasswordHasher;
  readonly cursors: CursorCodec;
}

// A Date as it is (no copy first): a page of 20 rows converts 40 of them per request.
export const iso = (value: Date | string): string =>
  (value instanceof Date ? value : new Date(value)).toISOString();
export const isoOrNull = (value: Date | string | null): string | null =>
  value === null ? null : iso(value);
