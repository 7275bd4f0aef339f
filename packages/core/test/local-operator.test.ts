import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { OPERATOR_EMAIL, withPlatform } from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";

// The platform admin that stands for whoever holds the database (the CLI's
// embedded mode) has no password at all: nothing signs in as it, and making it
// hashes nothing (it used to hash a random password at the OWASP cost on every
// new data dir's first command).

describe.each(ENGINES)("the local operator on %s", (engine) => {
  it("is created once, stores no password hash, and no password signs in as it", async () => {
    const { db, dispose } = await openTestDatabase(engine);
    try {
      const services = fastServices();
      const first = await withPlatform(db, (trx) => services.platformUsers.ensureOperator(trx));
      const again = await withPlatform(db, (trx) => services.platformUsers.ensureOperator(trx));
      expect(again).toEqual(first);
      expect(first).toMatchObject({ email: OPERATOR_EMAIL, role: "platform_admin" });

      const stored = await sql<{ password_hash: string }>`
        select password_hash from platform_users where id = ${first.id}`.execute(db.kysely);
      const value = stored.rows[0]?.password_hash ?? "";
      expect(value).not.toMatch(/^scrypt\$/);
      for (const attempt of [value, "", "operator", "!invited"]) {
        const signedIn = await withPlatform(db, (trx) =>
          services.platformUsers.authenticate(trx, OPERATOR_EMAIL, attempt),
        );
        expect(signedIn, attempt).toBeUndefined();
      }
    } finally {
      await dispose();
    }
  });
});
