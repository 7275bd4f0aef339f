import { randomUUID } from "node:crypto";
import { countSpareSchemas } from "@skillbridge/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// The server keeps spare dedicated schemas ready on PostgreSQL: onboarding
// into a schema (or a move into one) renames a spare, and the app makes the
// next one in the background.

const body = (placement: "schema" | "shared") => {
  const slug = `spare-${randomUUID().slice(0, 8)}`;
  return {
    slug,
    name: `Spare ${slug}`,
    placement,
    admin: { email: `admin@${slug}.example`, name: "Admin" },
  };
};

describe.each(ENGINES)("spare schemas in the server (%s)", (engine) => {
  let t: TestApp;
  let platform: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    platform = await t.platformToken();
  });
  afterAll(() => t.dispose());

  const schemaOids = async () => {
    const rows = await sql<{ name: string; oid: number }>`
      select nspname as name, oid::int as oid from pg_namespace
      where starts_with(nspname, 'skillbridge_spare_') or starts_with(nspname, 'academy_')`.execute(
      t.db.kysely,
    );
    return new Map(rows.rows.map((r) => [r.name, r.oid]));
  };

  const onboard = async (placement: "schema" | "shared") => {
    const response = await t.request("POST", "/api/v1/admin/academies", {
      token: platform,
      body: body(placement),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.academy as { id: string };
  };

  /** `place` puts an academy in a dedicated schema: it must be a spare renamed, and the pool refilled. */
  const expectSpareTaken = async (place: () => Promise<{ id: string }>) => {
    const spareOids = [...(await schemaOids())]
      .filter(([name]) => name.startsWith("skillbridge_spare_"))
      .map(([, oid]) => oid);
    const academy = await place();
    const oid = (await schemaOids()).get(`academy_${academy.id.replaceAll("-", "")}`);
    expect(spareOids).toContain(oid);
    await t.app.spares.idle();
    expect(await countSpareSchemas(t.db)).toBe(2);
  };

  it.runIf(engine === "postgres")(
    "a schema onboarding fills the pool in the background, and the next one renames a spare",
    async () => {
      expect(t.app.spares.size).toBe(2);
      // A shared onboarding leaves the pool alone.
      await onboard("shared");
      await t.app.spares.idle();
      expect(await countSpareSchemas(t.db)).toBe(0);

      await onboard("schema");
      await t.app.spares.idle();
      expect(await countSpareSchemas(t.db)).toBe(2);

      await expectSpareTaken(() => onboard("schema"));
    },
  );

  it.runIf(engine === "postgres")(
    "a move into a dedicated schema takes a spare too, and the pool is refilled",
    async () => {
      await t.app.spares.idle();
      const academy = await onboard("shared");
      await expectSpareTaken(async () => {
        const moved = await t.request("POST", `/api/v1/admin/academies/${academy.id}/move`, {
          token: platform,
          body: { to: "schema" },
        });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
        return academy;
      });
    },
  );

  it.runIf(engine === "pglite")(
    "on PGlite there is no pool (one connection): onboarding creates the schema as it goes",
    async () => {
      expect(t.app.spares.size).toBe(0);
      await onboard("schema");
      await t.app.spares.idle();
      expect(await countSpareSchemas(t.db)).toBe(0);
    },
  );
});
