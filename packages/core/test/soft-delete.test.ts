import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, type SkillBridgeDatabase, withTenant } from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// A soft-deleted user leaves every default read at once: lists, gets and rosters.

describe.each(ENGINES)("soft-deleted students (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let a: SeededAcademy;
  const services = fastServices();

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    a = await seedAcademy(db, services, "deleted");
    await withTenant(db, { tenantId: a.academyId, userId: a.users.admin, role: "admin" }, (trx) =>
      services.users.delete(trx, a.actor("admin"), a.users.s3),
    );
  });
  afterAll(() => dispose());

  const asAdmin = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(db, { tenantId: a.academyId, userId: a.users.admin, role: "admin" }, fn);

  it("a deleted student is gone from the user list and answers 404", async () => {
    const page = await asAdmin((trx) => services.users.list(trx, a.actor("admin"), { limit: 100 }));
    expect(page.data.map((u) => u.id)).not.toContain(a.users.s3);
    expect(page.data.map((u) => u.id)).toContain(a.users.s1);
    await expect(
      asAdmin((trx) => services.users.get(trx, a.actor("admin"), a.users.s3)),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a deleted student leaves the course roster, and the others stay", async () => {
    const roster = await asAdmin((trx) =>
      services.enrollments.list(trx, a.actor("admin"), a.courses.c1, { limit: 100 }),
    );
    expect(roster.data.map((e) => e.studentId).sort()).toEqual([a.users.s1]);
  });

  it("a deleted student cannot be enrolled again", async () => {
    await expect(
      asAdmin((trx) =>
        services.enrollments.create(trx, a.actor("admin"), a.courses.c2, { studentId: a.users.s3 }),
      ),
    ).rejects.toMatchObject({ code: "validation_failed" });
  });
});
