// Runs the SkillBridge API server on the embedded database (PGlite in
// ./.skillbridge) or on PostgreSQL when DATABASE_URL is set.
//
//   npm run serve                      (builds, then runs this file)
//   PORT=8080 node examples/serve.mjs
//
// On first start it creates a platform admin (SKILLBRIDGE_ADMIN_EMAIL and
// SKILLBRIDGE_ADMIN_PASSWORD, or a generated password printed once).

import { randomBytes } from "node:crypto";
import {
  assertTenantSafety,
  createServices,
  databaseOptionsFromEnv,
  migrate,
  openDatabase,
  withPlatform,
} from "@skillbridge/core";
import {
  createServer,
  loadOrCreateSigningSecret,
  serverConfig,
  startServer,
} from "@skillbridge/server";

const env = process.env;
const dataDir = env.SKILLBRIDGE_DATA_DIR || ".skillbridge";
const db = await openDatabase(databaseOptionsFromEnv(env));
try {
  await migrate(db);
  await assertTenantSafety(db);
} catch (error) {
  console.error(`skillbridge: ${error.message}`);
  await db.close();
  process.exit(1);
}

const services = createServices();
const admin = await withPlatform(db, async (trx) => {
  if ((await services.platformUsers.countAdmins(trx)) > 0) return undefined;
  const email = env.SKILLBRIDGE_ADMIN_EMAIL || "admin@skillbridge.local";
  const password = env.SKILLBRIDGE_ADMIN_PASSWORD || randomBytes(12).toString("base64url");
  await services.platformUsers.create(trx, {
    email,
    name: "Platform Admin",
    role: "platform_admin",
    password,
  });
  return { email, password, generated: !env.SKILLBRIDGE_ADMIN_PASSWORD };
});

const config = serverConfig({
  jwtSecret: env.SKILLBRIDGE_JWT_SECRET || loadOrCreateSigningSecret(dataDir),
  redisUrl: env.REDIS_URL || undefined,
});
const app = createServer({ db, config });
const running = await startServer({
  app,
  port: Number(env.PORT || 3000),
  host: env.HOST || "127.0.0.1",
  onClose: () => db.close(),
});

console.log(
  `SkillBridge API on ${running.url} (${db.engine}${config.redisUrl ? ", Redis rate limits" : ""})`,
);
const ai = app.context.deps.services.ai;
console.log(
  `  AI       ${ai?.provider.name === "groq" ? `Groq (${ai.provider.modelFor("main")})` : "offline provider (set GROQ_API_KEY for Groq)"}`,
);
console.log(`  health   ${running.url}/health`);
console.log(`  OpenAPI  ${running.url}/api/v1/openapi.json`);
if (admin) {
  console.log(
    `  platform admin created: ${admin.email}${admin.generated ? `  password: ${admin.password}  (shown once)` : ""}`,
  );
}
console.log("Ctrl-C or SIGTERM drains in-flight requests and stops.");
