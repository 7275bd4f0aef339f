// Quickstart: the SDK against a running SkillBridge server.
//
//   npm run serve        (prints the platform admin's password once)
//   SKILLBRIDGE_API_URL=http://127.0.0.1:3000 \
//   SKILLBRIDGE_EMAIL=admin@skillbridge.local SKILLBRIDGE_PASSWORD=<printed password> \
//     npx tsx --conditions=@skillbridge/source examples/quickstart.ts
//
// It signs in as the platform admin, onboards an academy (a new slug each run),
// signs in as that academy's admin, creates courses, lists them with
// auto-pagination and shows typed error handling.

import { randomBytes } from "node:crypto";
import { isSkillBridgeError, NotFoundError, SkillBridge } from "@skillbridge/sdk";

const baseUrl = process.env.SKILLBRIDGE_API_URL || "http://127.0.0.1:3000";
const email = process.env.SKILLBRIDGE_EMAIL || "admin@skillbridge.local";
const password = process.env.SKILLBRIDGE_PASSWORD;
if (!password) {
  console.error("Set SKILLBRIDGE_PASSWORD (npm run serve prints it on first start).");
  process.exit(1);
}

try {
  // 1. The platform admin: the client keeps the token from login.
  const platform = new SkillBridge({ baseUrl });
  const { user } = await platform.auth.login({ email, password });
  console.log(`signed in as ${user.email} (${user.role}) on ${baseUrl}`);

  // 2. A new academy and its first admin, in one call.
  const slug = `quickstart-${randomBytes(3).toString("hex")}`;
  const adminPassword = randomBytes(12).toString("base64url");
  const { academy, admin } = await platform.academies.create({
    slug,
    name: "Quickstart Academy",
    admin: { email: `admin@${slug}.example`, name: "Quinn Admin", password: adminPassword },
  });
  console.log(`created academy ${academy.slug} (${academy.id}) with admin ${admin.email}`);

  // 3. Sign in as that admin (academy users name their academy's slug).
  const client = new SkillBridge({ baseUrl });
  await client.auth.login({ academy: slug, email: admin.email, password: adminPassword });
  const teacher = await client.users.create({
    email: `ines@${slug}.example`,
    name: "Ines Instructor",
    role: "instructor",
    password: randomBytes(12).toString("base64url"),
  });

  // 4. Courses; `.withResponse()` also gives the server's request id.
  const { data: course, requestId } = await client.courses
    .create({ title: "SAT Math", description: "Algebra and data", instructorId: teacher.id })
    .withResponse();
  console.log(`created course "${course.title}" (request id ${requestId})`);
  for (const title of ["SAT Reading", "GRE Quant"]) {
    await client.courses.create({ title, instructorId: teacher.id });
  }

  // 5. Auto-pagination: two per page, every page walked.
  console.log("courses (fetched two per page):");
  for await (const each of client.courses.list({ limit: 2 })) console.log(`  - ${each.title}`);

  // 6. Typed errors: a course that does not exist is a NotFoundError.
  try {
    await client.courses.get("00000000-0000-4000-8000-000000000000");
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    console.log(
      `404 as expected: ${error.name} code=${error.code} "${error.problem?.detail}" (request id ${error.requestId})`,
    );
  }
} catch (error) {
  if (!isSkillBridgeError(error)) throw error;
  console.error(
    `quickstart failed: ${error.message} [${error.code}, request id ${error.requestId}]`,
  );
  process.exit(1);
}
