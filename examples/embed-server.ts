// The API server embedded in this process, on PGlite in memory, driven by the
// SDK: nothing to install or start, nothing left behind.
//
//   npx tsx --conditions=@skillbridge/source examples/embed-server.ts

import { randomBytes } from "node:crypto";
import {
  assertTenantSafety,
  bundledPGliteSnapshot,
  createServices,
  migrate,
  openDatabase,
  withPlatform,
} from "@skillbridge/core";
import { SkillBridge } from "@skillbridge/sdk";
import { createServer, serverConfig, startServer } from "@skillbridge/server";

// Keep the server's access log quiet unless asked for.
process.env.LOG_LEVEL ??= "warn";

// The built package carries a migrated database: memory starts from it in under a
// second, where initdb and every migration take several (from the sources: the latter).
const db = await openDatabase({ memory: true, snapshot: bundledPGliteSnapshot() });
const applied = (await migrate(db)).flatMap((report) => report.applied).length;
await assertTenantSafety(db);

const root = { email: "root@embedded.example", password: randomBytes(12).toString("base64url") };
await withPlatform(db, (trx) =>
  createServices().platformUsers.create(trx, {
    ...root,
    name: "Embedded Root",
    role: "platform_admin",
  }),
);

const app = createServer({
  db,
  config: serverConfig({ jwtSecret: randomBytes(32).toString("base64url") }),
});
const running = await startServer({
  app,
  port: 0,
  handleSignals: false,
  onClose: () => db.close(),
});
console.log(
  `server on ${running.url} (${db.engine}, in memory, ${applied === 0 ? "started migrated" : `${applied} migrations applied`})`,
);

try {
  const platform = new SkillBridge({ baseUrl: running.url });
  await platform.auth.login(root);
  const adminPassword = randomBytes(12).toString("base64url");
  const { academy, admin } = await platform.academies.create({
    slug: "embedded",
    name: "Embedded Academy",
    admin: { email: "ada@embedded.example", name: "Ada Admin", password: adminPassword },
  });
  console.log(`academy ${academy.slug}: admin ${admin.email}`);

  const client = new SkillBridge({ baseUrl: running.url });
  await client.auth.login({ academy: "embedded", email: admin.email, password: adminPassword });
  const teacher = await client.users.create({
    email: "ines@embedded.example",
    name: "Ines Instructor",
    role: "instructor",
    password: randomBytes(12).toString("base64url"),
  });
  await client.courses.create({ title: "SAT Math", instructorId: teacher.id });
  await client.courses.create({ title: "GRE Verbal", instructorId: teacher.id });
  const courses = await client.courses.list().toArray({ limit: 10 });
  console.log(`courses: ${courses.map((c) => c.title).join(", ")}`);
  const me = await client.auth.me();
  console.log(`me: ${me.user.name} (${me.user.role}) of ${me.academy?.name}`);
} finally {
  await running.close();
  console.log("server stopped, database closed");
}
