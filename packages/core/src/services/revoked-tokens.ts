import { sql } from "kysely";
import type { PlatformDb } from "../tenancy/context.js";

/**
 * Tokens signed out before they expire (`POST /auth/logout`), by `jti`, in
 * the database so that every server process refuses them (the per-request
 * re-check reads this table in the same statement as the user). A row is
 * kept until its token would have expired anyway, then swept.
 */
export class RevokedTokenService {
  /**
   * Revokes one token; revoking it again is a no-op. Each call also sweeps
   * rows of tokens expired for over a minute (verification allows a few
   * seconds of clock skew; past that, the signature check refuses them).
   */
  async revoke(
    trx: PlatformDb,
    token: {
      readonly tokenId: string;
      readonly academyId: string | null;
      readonly expiresAt: Date;
    },
  ): Promise<void> {
    await trx
      .insertInto("revoked_tokens")
      .values({ jti: token.tokenId, academy_id: token.academyId, expires_at: token.expiresAt })
      .onConflict((oc) => oc.column("jti").doNothing())
      .execute();
    await trx
      .deleteFrom("revoked_tokens")
      .where("expires_at", "<", sql<Date>`now() - interval '1 minute'`)
      .execute();
  }
}
