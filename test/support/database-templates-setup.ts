import { prepareDatabases } from "../../packages/core/test/support/database-templates.js";

// vitest globalSetup: prepares the test databases' starting points once per
// run (a migrated PostgreSQL template, PGlite snapshots) and hands their
// places to the test processes through the environment, which they inherit.
// See packages/core/test/support/database-templates.ts.
export default async function setup(): Promise<() => Promise<void>> {
  const prepared = await prepareDatabases();
  Object.assign(process.env, prepared.env);
  return () => prepared.dispose();
}
