// A tour of SkillBridge's tenant isolation on the embedded database (PGlite in
// ./.skillbridge, or PostgreSQL when DATABASE_URL is set). It migrates, checks
// that the database is safe to serve, onboards two look-alike academies (once;
// re-running reuses them) and shows what each academy and each role can see.
//
//   npm start            (builds, then runs this file)
//   node examples/isolation-tour.mjs

import {
  assertTenantSafety,
  createServices,
  databaseOptionsFromEnv,
  migrate,
  openDatabase,
  withPlatform,
  withTenant,
} from "@skillbridge/core";

const db = await openDatabase(databaseOptionsFromEnv());
const services = createServices();

try {
  const applied = (await migrate(db)).flatMap((r) => r.applied.map((m) => `${r.scope}/${m}`));
  console.log(
    `database: ${db.engine}${applied.length ? `, applied ${applied.join(", ")}` : ", up to date"}`,
  );
  await assertTenantSafety(db);
  console.log(
    "safety check: tenant role has no BYPASSRLS, owns nothing; every tenant table has forced RLS\n",
  );

  const academies = [];
  for (const slug of ["tour-north", "tour-south"]) academies.push(await ensureAcademy(slug));

  for (const academy of academies) {
    const { users, admin } = academy;
    const view = async (label, actor) => {
      const ctx = { tenantId: academy.id, userId: actor.userId, role: actor.role };
      const [people, courses] = await withTenant(db, ctx, (trx) =>
        Promise.all([
          services.users.list(trx, actor, { limit: 100 }),
          services.courses.list(trx, actor, { limit: 100 }),
        ]),
      );
      console.log(
        `  ${label.padEnd(22)} users: ${people.data.map((u) => u.name).join(", ")}\n` +
          `  ${"".padEnd(22)} courses: ${courses.data.map((c) => c.title).join(", ") || "(none)"}`,
      );
    };
    console.log(`${academy.slug} (${academy.id})`);
    await view("admin", { userId: admin, role: "admin" });
    await view("instructor", { userId: users.instructor, role: "instructor" });
    await view("student (enrolled)", { userId: users.enrolled, role: "student" });
    await view("student (not enrolled)", { userId: users.other, role: "student" });
    console.log();
  }
  console.log("Same names, same titles in both academies: each sees only its own rows.");
} finally {
  await db.close();
}

async function ensureAcademy(slug) {
  const existing = await withPlatform(db, (trx) => services.academies.findBySlug(trx, slug));
  let id = existing?.id;
  if (!id) {
    const { academy } = await services.academies.onboard(
      db,
      { platformUserId: null },
      {
        slug,
        name: `Tour ${slug}`,
        admin: { email: "admin@example.com", name: "Ada Admin", password: "change-me-please" },
      },
    );
    id = academy.id;
  }
  const system = { tenantId: id, userId: null, role: "system" };
  return withTenant(db, system, async (trx) => {
    const byEmail = async (email) =>
      (await trx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst())
        ?.id;
    const admin = await byEmail("admin@example.com");
    const adminActor = { userId: admin, role: "admin" };
    const user = async (email, name, role) =>
      (await byEmail(email)) ??
      (
        await services.users.create(trx, adminActor, {
          email,
          name,
          role,
          password: "change-me-please",
        })
      ).id;
    const users = {
      instructor: await user("ines@example.com", "Ines Instructor", "instructor"),
      enrolled: await user("sam@example.com", "Sam Student", "student"),
      other: await user("olive@example.com", "Olive Student", "student"),
    };
    const course = await trx.selectFrom("courses").select("id").executeTakeFirst();
    if (!course) {
      const created = await services.courses.create(trx, adminActor, {
        title: "SAT Math",
        instructorId: users.instructor,
      });
      await services.enrollments.create(trx, adminActor, created.id, { studentId: users.enrolled });
    }
    return { id, slug, admin, users };
  });
}
