import type { User } from "../contracts/index.js";

/**
 * A user whose password matched, with the credential versions read in the
 * same statement as the hash: what their token is signed under, so a change
 * committed after that read revokes it.
 */
export interface Authenticated {
  readonly user: User;
  readonly credentials: { readonly user: number; readonly academy?: number };
}
