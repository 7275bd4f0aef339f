import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { dropRunDatabases, scratchPrefix } from "./support/database-templates.js";
import { ENGINES } from "./support/engines.js";

// A run's teardown leaves no database behind on a developer's PostgreSQL
// (docs/development.md, "Why the suite is fast"): not the copies a test process
// made ahead, and not one a process left PostgreSQL still making when it exited.

const postgres = ENGINES.includes("postgres");

describe.runIf(postgres)("a test run's databases on PostgreSQL", () => {
  it("are all dropped at teardown, including a copy still being made when it starts", async () => {
    const base = process.env.SKILLBRIDGE_TEST_DATABASE_URL ?? "";
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    const template = `sb_template_${randomBytes(6).toString("hex")}`;
    const prefix = scratchPrefix(template);
    const maker = new pg.Client({ connectionString: base });
    try {
      // A template big enough that copying it takes a while (about 20 MB).
      await admin.query(`create database ${template}`);
      const url = new URL(base);
      url.pathname = `/${template}`;
      const filler = new pg.Client({ connectionString: url.toString() });
      await filler.connect();
      await filler.query(
        "create table filler as select g, repeat('x', 60) as pad from generate_series(1, 250000) g",
      );
      await filler.end();
      // A copy made ahead and never used.
      await admin.query(`create database ${prefix}made template ${template}`);
      // A copy in progress, as a test process's copy made ahead is when the process exits.
      await maker.connect();
      const making = maker.query(`create database ${prefix}making template ${template}`);
      making.catch(() => undefined);
      let seen = false;
      for (let i = 0; i < 200 && !seen; i += 1) {
        const active = await admin.query(
          "select 1 from pg_stat_activity where state = 'active' and query like $1",
          [`create database ${prefix}making%`],
        );
        seen = (active.rowCount ?? 0) > 0;
      }
      expect(seen).toBe(true);
      await dropRunDatabases(admin, template);
      await making;
      const left = await admin.query(
        "select datname from pg_database where datname = $1 or starts_with(datname, $2)",
        [template, prefix],
      );
      expect(left.rows).toEqual([]);
    } finally {
      await maker.end().catch(() => undefined);
      const left = await admin.query<{ datname: string }>(
        "select datname from pg_database where datname = $1 or starts_with(datname, $2)",
        [template, prefix],
      );
      for (const { datname } of left.rows)
        await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.end();
    }
  });
});
