import { randomUUID } from "node:crypto";
import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type SkillBridgeDatabase,
  strandLevelQuery,
  type TenantDb,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { seedAcademy } from "./support/seed.js";

// Choosing a practice question is an index lookup whatever the bank's size:
// with 40,000 questions in the bank, the planner answers the chooser's own
// query (strandLevelQuery, with ids to leave out) by a range scan of the
// practice index, with no sequential scan and no sort.

const BANK_SIZE = 40_000;

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe.each(ENGINES)("the practice index on %s", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let tenantId: string;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    tenantId = (await seedAcademy(db, fastServices(), "index-academy")).academyId;
    // 40 topics x 2 sections x 5 levels of generated questions, written set-based as the owner.
    await sql`
      insert into exam_questions (bank, external_id, type, topic, section, difficulty, prompt,
                                  content, answer, tags, content_hash)
      select 'sat', 'gen-' || n, 'multiple_choice', 'topic-' || (n % 40),
             case when n % 2 = 0 then 'math' else 'reading_writing' end,
             1 + (n / 80) % 5, 'Generated question ' || n,
             '{"options":[{"id":"A","text":"a"},{"id":"B","text":"b"}]}'::jsonb,
             '"A"'::jsonb, '{}', md5(n::text)
      from generate_series(1, ${BANK_SIZE}) as n`.execute(db.kysely);
    await sql`analyze exam_questions`.execute(db.kysely);
  }, 300_000);
  afterAll(() => dispose());

  it("the chooser's query is an index range scan on exam_questions_practice_idx", async () => {
    const plan = await withTenant(
      db,
      { tenantId, userId: null, role: "system" },
      async (trx: TenantDb) => {
        const compiled = strandLevelQuery(
          trx,
          "sat",
          { section: "math", topic: "topic-12" },
          3,
          [randomUUID(), randomUUID()],
          randomUUID(),
          8,
        ).compile();
        const result = await trx.executeQuery<{ "QUERY PLAN": unknown }>(
          CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]),
        );
        const raw = result.rows[0]?.["QUERY PLAN"];
        const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
        return parsed[0]?.Plan as PlanNode;
      },
    );
    const all = nodes(plan);
    const types = all.map((n) => n["Node Type"]);
    expect(types).not.toContain("Seq Scan");
    expect(types).not.toContain("Sort");
    expect(all.some((n) => n["Index Name"] === "exam_questions_practice_idx")).toBe(true);
  });
});
