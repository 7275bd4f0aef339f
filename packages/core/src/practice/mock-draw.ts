import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { MockExamKind, MockExamLength, QuestionSection } from "../contracts/index.js";
import type { FieldProblem } from "../errors.js";
import { bankCandidates } from "../questions/bank-candidates.js";
import type { TenantDb } from "../tenancy/context.js";
import { MOCK_FORMS, sectionNeeds } from "./mock-forms.js";

/** A question of a mock exam module, as stored in `mock_exam_modules.questions`. */
export interface ModuleQuestion {
  readonly questionId: string;
  readonly topic: string;
  readonly difficulty: number;
}

function atLevel(trx: TenantDb, bank: MockExamKind, section: QuestionSection, level: number) {
  return bankCandidates(trx, { bank, section }).where("eq.difficulty", "=", level);
}

/** Questions of one section and level, at most `cap` counted (an index scan of `cap` rows). */
async function countAt(
  trx: TenantDb,
  bank: MockExamKind,
  section: QuestionSection,
  level: number,
  cap: number,
): Promise<number> {
  if (cap <= 0) return 0;
  const capped = atLevel(trx, bank, section, level).select(sql<number>`1`.as("one")).limit(cap);
  const row = await trx
    .selectFrom(capped.as("c"))
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What the bank lacks for a form: for every section and level, the
 * questions module 1 and either route of module 2 need against what the
 * bank has (only questions with that section count). Empty: the form can
 * be built.
 */
export async function formShortfalls(
  trx: TenantDb,
  exam: MockExamKind,
  length: MockExamLength,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const form of MOCK_FORMS[exam]) {
    const needs = sectionNeeds(form, length);
    for (const [i, need] of needs.entries()) {
      const have = await countAt(trx, exam, form.section, i + 1, need);
      if (have < need)
        problems.push({
          path: `${form.section}.difficulty.${i + 1}`,
          message: `A ${length} ${exam.toUpperCase()} form needs ${need} ${form.section} questions of difficulty ${i + 1}; the bank has ${have}.`,
        });
    }
  }
  return problems;
}

async function drawAt(
  trx: TenantDb,
  bank: MockExamKind,
  section: QuestionSection,
  level: number,
  exclude: ReadonlySet<string>,
  n: number,
): Promise<ModuleQuestion[]> {
  if (n <= 0) return [];
  const base = () => {
    const q = atLevel(trx, bank, section, level).select(["eq.id", "eq.topic", "eq.difficulty"]);
    return exclude.size > 0 ? q.where("eq.id", "not in", [...exclude]) : q;
  };
  const pivot = randomUUID();
  const after = await base().where("eq.id", ">=", pivot).orderBy("eq.id").limit(n).execute();
  const before =
    after.length < n
      ? await base()
          .where("eq.id", "<", pivot)
          .orderBy("eq.id")
          .limit(n - after.length)
          .execute()
      : [];
  return [...after, ...before].map((r) => ({
    questionId: r.id,
    topic: r.topic,
    difficulty: r.difficulty,
  }));
}

/**
 * A module's questions: `counts[i]` of level i+1, none already in the exam
 * (`exclude`), each level read from a random point of the mock index. A
 * level that runs short (the bank changed since the form was checked) is
 * made up from the nearest levels; ordered by level, easiest first.
 */
export async function drawModule(
  trx: TenantDb,
  bank: MockExamKind,
  section: QuestionSection,
  counts: readonly number[],
  exclude: ReadonlySet<string>,
): Promise<ModuleQuestion[]> {
  const taken = new Set(exclude);
  const chosen: ModuleQuestion[] = [];
  let missing = 0;
  const missingAt: number[] = [];
  for (const [i, count] of counts.entries()) {
    const got = await drawAt(trx, bank, section, i + 1, taken, count);
    for (const q of got) taken.add(q.questionId);
    chosen.push(...got);
    if (got.length < count) {
      missing += count - got.length;
      missingAt.push(i + 1);
    }
  }
  for (const level of missingAt) {
    const neighbours = [1, 2, 3, 4, 5]
      .filter((l) => l !== level)
      .sort((a, b) => Math.abs(a - level) - Math.abs(b - level) || a - b);
    for (const other of neighbours) {
      if (missing <= 0) break;
      const got = await drawAt(trx, bank, section, other, taken, missing);
      for (const q of got) taken.add(q.questionId);
      chosen.push(...got);
      missing -= got.length;
    }
  }
  return chosen.sort((a, b) => a.difficulty - b.difficulty);
}
