import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuestionListQuery } from "../src/contracts/index.js";
import {
  importQuestions,
  readQuestionFile,
  type SkillBridgeDatabase,
  validateQuestion,
  withPlatform,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { greQuestions, satQuestions } from "./support/questions.js";

// Bank questions carry the section of their test (SAT reading_writing | math,
// GRE verbal | quantitative): stated by the file, or inferred where the type
// decides it; practice by section and mock exams select on it.

const sample = (bank: "sat" | "gre", type: string) => {
  const found = (bank === "sat" ? satQuestions() : greQuestions()).find((q) => q.type === type);
  if (!found) throw new Error(`no ${bank} sample of ${type}`);
  const { section: _section, ...rest } = found as Record<string, unknown>;
  return rest;
};

const sectionOf = (value: unknown, bank: "sat" | "gre") => {
  const result = validateQuestion(value, bank);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.question.section;
};

const problems = (value: unknown, bank: "sat" | "gre") => {
  const result = validateQuestion(value, bank);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe("question sections", () => {
  it("infers the section where the type decides it", () => {
    expect(sectionOf(sample("sat", "grid_in"), "sat")).toBe("math");
    expect(sectionOf(sample("gre", "quantitative_comparison"), "gre")).toBe("quantitative");
    expect(sectionOf(sample("gre", "numeric_entry"), "gre")).toBe("quantitative");
    expect(sectionOf(sample("gre", "text_completion"), "gre")).toBe("verbal");
    expect(sectionOf(sample("gre", "sentence_equivalence"), "gre")).toBe("verbal");
    expect(sectionOf(sample("gre", "select_in_passage"), "gre")).toBe("verbal");
  });

  it("leaves multiple choice and multi-select without a section unless the file states one", () => {
    expect(sectionOf(sample("sat", "multiple_choice"), "sat")).toBeUndefined();
    expect(sectionOf(sample("gre", "multi_select"), "gre")).toBeUndefined();
    expect(
      sectionOf({ ...sample("sat", "multiple_choice"), section: "reading_writing" }, "sat"),
    ).toBe("reading_writing");
    expect(sectionOf({ ...sample("gre", "multi_select"), section: "quantitative" }, "gre")).toBe(
      "quantitative",
    );
  });

  it("refuses another test's section, and one the type contradicts", () => {
    expect(problems({ ...sample("sat", "multiple_choice"), section: "verbal" }, "sat")).toEqual([
      "section: The SAT bank's sections are reading_writing, math; not verbal.",
    ]);
    expect(problems({ ...sample("sat", "grid_in"), section: "reading_writing" }, "sat")).toEqual([
      "section: A grid_in question belongs to math, not reading_writing.",
    ]);
    expect(problems({ ...sample("sat", "grid_in"), section: "algebra" }, "sat")[0]).toMatch(
      /^section: /,
    );
  });
});

describe.each(ENGINES)("question sections on %s", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  const services = fastServices();

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterAll(() => dispose());

  const list = (query: Partial<QuestionListQuery>) =>
    withPlatform(db, (trx) => services.questions.list(trx, "full", { limit: 100, ...query }));

  it("stores the section from a CSV column and from the type, and filters by it", async () => {
    const csv = [
      "externalId,type,section,prompt,topic,difficulty,optionA,optionB,answer",
      "rw-1,multiple_choice,reading_writing,Which word fits?,words,2,fits,sits,A",
      "m-1,multiple_choice,math,What is 2 + 2?,arithmetic,1,4,5,A",
      "u-1,multiple_choice,,Unsectioned?,misc,1,yes,no,A",
      "g-1,grid_in,,What is 3 + 4?,arithmetic,1,,,7",
    ].join("\n");
    const report = await importQuestions(
      db,
      readQuestionFile([csv], { bank: "sat", format: "csv" }),
    );
    expect(report).toMatchObject({ inserted: 4, rejected: [] });

    const math = await list({ bank: "sat", section: "math" });
    expect(math.data.map((q) => q.externalId).sort()).toEqual(["g-1", "m-1"]);
    const rw = await list({ section: "reading_writing" });
    expect(rw.data.map((q) => [q.externalId, q.section])).toEqual([["rw-1", "reading_writing"]]);
    const all = await list({ bank: "sat" });
    expect(all.data.find((q) => q.externalId === "u-1")?.section).toBeNull();
  });

  it("treats a changed section as an update of the question", async () => {
    const csv = (section: string) =>
      [
        "externalId,type,section,prompt,topic,difficulty,optionA,optionB,answer",
        `rw-1,multiple_choice,${section},Which word fits?,words,2,fits,sits,A`,
      ].join("\n");
    const same = await importQuestions(
      db,
      readQuestionFile([csv("reading_writing")], { bank: "sat", format: "csv" }),
    );
    expect(same).toMatchObject({ unchanged: 1, updated: 0 });
    const moved = await importQuestions(
      db,
      readQuestionFile([csv("math")], { bank: "sat", format: "csv" }),
    );
    expect(moved).toMatchObject({ updated: 1 });
    expect((await list({ section: "math" })).data.map((q) => q.externalId)).toContain("rw-1");
  });

  it("refuses a section of the other bank in the database too", async () => {
    await expect(
      db.kysely
        .updateTable("exam_questions")
        .set({ section: "verbal" })
        .where("bank", "=", "sat")
        .execute(),
    ).rejects.toThrow(/exam_questions_section_check/);
  });
});
