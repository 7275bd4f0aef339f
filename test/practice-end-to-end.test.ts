import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SkillBridge } from "@skillbridge/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../packages/cli/src/main.js";
import {
  type EmbeddedWorld,
  ENGINES,
  embeddedWorld,
  testIO,
} from "../packages/cli/test/support/cli-session.js";
import {
  practiceBank,
  rightAnswer,
  wrongAnswer,
} from "../packages/core/test/support/practice-bank.js";

// Import, then practise, on the embedded default (PGlite in a data dir; a
// scratch PostgreSQL database as DATABASE_URL on the other engine): the bank
// goes in with `skillbridge questions import`, then a student practises over
// HTTP through the SDK against the CLI's embedded server: an adaptive set
// that climbs after right answers, a wrong answer whose right one comes only
// afterwards, weak spots that follow practice, and a short SAT and a short
// GRE mock exam routed harder or easier by their first modules.

const argv = (...args: string[]) => ["node", "skillbridge", ...args];

describe.each(ENGINES)("import, then practise, on %s", (engine) => {
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("a student practises a bank imported with skillbridge questions import", {
    timeout: 300_000,
  }, async () => {
    const home = world.env.HOME ?? "";
    for (const bank of ["sat", "gre"] as const) {
      const file = join(home, `${bank}-practice.json`);
      writeFileSync(file, JSON.stringify({ bank, questions: practiceBank(bank, { perLevel: 4 }) }));
      const io = testIO(world.env);
      const code = await main(argv("questions", "import", file, "--bank", bank, "--json"), io);
      expect(io.err()).toBe("");
      expect(code).toBe(0);
      expect(JSON.parse(io.out())).toMatchObject({
        inserted: practiceBank(bank, { perLevel: 4 }).length,
        rejected: [],
      });
    }

    const session = world.session();
    try {
      const { client: platform, apiUrl } = await session.connect();
      const { academy } = await platform.academies.create({
        slug: "e2e-prep",
        name: "End-to-end Prep",
        admin: { email: "ada@e2e.example", name: "Ada Admin", password: "ada-password-123" },
      });
      const admin = new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 });
      await admin.auth.login({
        academy: "e2e-prep",
        email: "ada@e2e.example",
        password: "ada-password-123",
      });
      const student = await admin.users.create({
        email: "sam@e2e.example",
        name: "Sam Student",
        role: "student",
        password: "sam-password-123",
      });
      const sam = new SkillBridge({ baseUrl: apiUrl, maxRetries: 0 });
      await sam.auth.login({
        academy: academy.slug,
        email: "sam@e2e.example",
        password: "sam-password-123",
      });

      // An adaptive set that climbs after right answers.
      let set = await sam.practiceSets.create({
        bank: "sat",
        topics: ["algebra"],
        sections: ["math"],
        count: 8,
      });
      while (set.current) {
        const current = set.current;
        set = (
          await sam.practiceSets.answer(set.id, {
            questionId: current.id,
            answer: rightAnswer(current),
          })
        ).set;
      }
      const levels = set.items.map((i) => i.difficulty);
      expect(set).toMatchObject({ status: "finished", correct: 8 });
      expect(levels.at(-1)).toBeGreaterThan(levels[0] ?? 5);

      // A wrong answer: the right one only afterwards.
      let gre = await sam.practiceSets.create({ bank: "gre", topics: ["arithmetic"], count: 4 });
      expect(JSON.stringify(gre)).not.toMatch(/"answer"|"explanation"/);
      for (let i = 0; i < 3 && gre.current; i++) {
        const current = gre.current;
        const result = await sam.practiceSets.answer(gre.id, {
          questionId: current.id,
          answer: wrongAnswer(current),
        });
        expect(result.correct).toBe(false);
        expect(result.answer).toEqual(rightAnswer(current));
        expect(result.explanation).toMatch(/^Why /);
        gre = result.set;
      }
      // Weak spots follow practice.
      const spots = await sam.students.weakSpots(student.id);
      expect(spots.data.map((s) => s.topic)).toContain("arithmetic");

      // A short SAT and a short GRE, each routed by its first module.
      for (const [kind, firstRight] of [
        ["sat", true],
        ["gre", false],
      ] as const) {
        let exam = await sam.mockExams.create({ exam: kind, length: "short" });
        let module = 0;
        while (exam.current) {
          const right = module % 2 === 0 ? firstRight : true;
          exam = await sam.mockExams.submitModule(exam.id, {
            answers: exam.current.questions.map((q) => ({
              questionId: q.id,
              answer: right ? rightAnswer(q) : wrongAnswer(q),
            })),
          });
          module++;
        }
        expect(exam.status).toBe("finished");
        const routes = exam.report?.sections.map((s) => s.route);
        expect(routes).toEqual(firstRight ? ["harder", "harder"] : ["easier", "easier"]);
        for (const s of exam.report?.sections ?? []) expect(s.estimatedScore.estimate).toBe(true);
      }
    } finally {
      await session.close();
    }
  });
});
