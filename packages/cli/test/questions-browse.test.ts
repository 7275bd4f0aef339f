import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { questionsExport } from "../src/commands/questions/export.js";
import { questionsImport } from "../src/commands/questions/import.js";
import { questionsList } from "../src/commands/questions/list.js";
import { questionsRetire } from "../src/commands/questions/retire.js";
import { questionsShow } from "../src/commands/questions/show.js";
import { usersCreate } from "../src/commands/users/create.js";
import { main } from "../src/main.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// `skillbridge questions list|show|export|retire` and `users create --platform`
// on the embedded mode over each engine: an exported bank re-imports with
// every question unchanged in each format, a retired question leaves lists
// until --undo, imports go through core's importer (a dry run writes nothing),
// and a content manager is created on the platform.

const samples = join(import.meta.dirname, "../../../examples/question-banks");

describe.each(ENGINES)("skillbridge questions list/show/export/retire on %s", (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli questions browse");
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("export writes json, ndjson and csv that re-import with every question unchanged", async () => {
    const session = world.session();
    try {
      for (const bank of ["sat", "gre"] as const) {
        const first = await questionsImport(session, join(samples, `${bank}.json`), { bank });
        expect(first.data.rejected).toEqual([]);
        const total = first.data.inserted;
        expect(total).toBeGreaterThan(0);
        for (const format of ["json", "ndjson", "csv"] as const) {
          const out = join(world.env.HOME ?? "", `${bank}-export.${format}`);
          const exported = await questionsExport(session, { bank, format, out });
          expect(exported?.data).toEqual({ file: out, bank, format, questions: total });
          const again = await questionsImport(session, out, { bank });
          expect(again.data, `${bank} ${format}`).toMatchObject({
            inserted: 0,
            updated: 0,
            unchanged: total,
            rejected: [],
          });
        }
      }
      // Through main, to stdout: the file and nothing else (PGlite lets one opener in at a time).
      await session.close();
      const io = testIO(world.env);
      expect(
        await main(
          ["node", "skillbridge", "questions", "export", "--bank", "sat", "--format", "ndjson"],
          io,
        ),
      ).toBe(0);
      const lines = io.out().trim().split("\n");
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ bank: "sat" });
    } finally {
      await session.close();
    }
  }, 300_000);

  it("list filters and searches, show finds by externalId, retire hides until --undo", {
    timeout: 300_000,
  }, async () => {
    const session = world.session();
    try {
      await questionsImport(session, join(samples, "sat.json"), { bank: "sat" });
      const all = await questionsList(session, { bank: "sat", limit: "all" });
      // A question with a long plain word in its prompt, searched by that word.
      // The search's english configuration drops stop words ("through"): a
      // search for one finds nothing, so the word is one the engine keeps.
      const db = (await session.connect()).local?.db;
      if (!db) throw new Error("expected the embedded database");
      let target: (typeof all.data)[number] | undefined;
      let word = "";
      for (const q of [...all.data].sort((a, b) => a.externalId.localeCompare(b.externalId))) {
        const candidate = /\b[A-Za-z]{7,}\b/.exec(q.prompt)?.[0];
        if (!candidate) continue;
        const kept = await sql<{ n: number }>`
          select numnode(websearch_to_tsquery('english'::regconfig, ${candidate}))::int as n`.execute(
          db.kysely,
        );
        if ((kept.rows[0]?.n ?? 0) > 0) {
          target = q;
          word = candidate;
          break;
        }
      }
      expect(target).toBeDefined();
      if (!target) return;
      const found = await questionsList(session, { search: word, limit: "all" });
      expect(found.data.map((q) => q.id)).toContain(target.id);

      const shown = await questionsShow(session, target.externalId, {});
      expect(shown.data).toMatchObject({ id: target.id, retiredAt: null });
      expect("answer" in shown.data).toBe(true);

      const retired = await questionsRetire(session, [target.externalId], {});
      expect(retired.data[0]?.retiredAt).toEqual(expect.any(String));
      const after = await questionsList(session, { bank: "sat", limit: "all" });
      expect(after.data.map((q) => q.id)).not.toContain(target.id);
      expect((await questionsList(session, { retired: "only" })).data.map((q) => q.id)).toEqual([
        target.id,
      ]);
      // Export leaves it out unless asked.
      const out = join(world.env.HOME ?? "", "live.ndjson");
      expect(
        (await questionsExport(session, { bank: "sat", format: "ndjson", out }))?.data,
      ).toMatchObject({ questions: all.data.length - 1 });
      expect(readFileSync(out, "utf8")).not.toContain(
        `"externalId":${JSON.stringify(target.externalId)}`,
      );

      await questionsRetire(session, [target.id], { undo: true });
      expect(
        (await questionsList(session, { bank: "sat", limit: "all" })).data.map((q) => q.id),
      ).toContain(target.id);

      // A name that matches nothing retires nothing, and says so in one line.
      await session.close();
      const io = testIO(world.env);
      expect(
        await main(
          ["node", "skillbridge", "questions", "retire", target.externalId, "no-such-question"],
          io,
        ),
      ).toBe(1);
      expect(io.err()).toMatch(/^Error: No question with externalId "no-such-question"/);
      const later = world.session();
      expect((await questionsList(later, { retired: "only" })).data).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it("imports through the local database: a dry run writes nothing; the import is audit-logged", async () => {
    const session = world.session();
    try {
      const file = join(samples, "gre.ndjson");
      const dry = await questionsImport(session, file, { bank: "gre", dryRun: true });
      expect(dry.data.inserted).toBeGreaterThan(0);
      expect((await questionsList(session, { bank: "gre" })).data).toEqual([]);
      const connection = await session.connect();
      expect(connection.local).toBeDefined();
      const real = await questionsImport(session, file, { bank: "gre" });
      expect(real.data).toMatchObject({ inserted: dry.data.inserted, rows: dry.data.rows });
      const db = connection.local?.db;
      if (!db) return;
      const events = await sql<{ n: number }>`
        select count(*)::int as n from audit_log
        where action = 'questions.import' and details->>'via' = 'cli'`.execute(db.kysely);
      expect(events.rows[0]?.n).toBe(1);
    } finally {
      await session.close();
    }
  });

  it("users create --platform makes a content manager; an academy role is refused", async () => {
    const session = world.session();
    try {
      const created = await usersCreate(session, {
        platform: true,
        role: "content_manager",
        email: "content@team.example",
        name: "Content team",
      });
      expect(created.data.user).toMatchObject({
        email: "content@team.example",
        role: "content_manager",
        academyId: null,
      });
      expect(created.data.generatedPassword).toEqual(expect.any(String));
      const io = testIO(world.env);
      expect(
        await main(
          [
            "node",
            "skillbridge",
            "users",
            "create",
            "--platform",
            "--role",
            "admin",
            "--email",
            "x@team.example",
            "--name",
            "X",
          ],
          io,
        ),
      ).toBe(1);
      expect(io.err()).toMatch(/^Error: --role must be platform_admin or content_manager/);
    } finally {
      await session.close();
    }
  });
});
