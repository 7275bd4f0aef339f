import type { QueryCreator } from "kysely";
import type { QuestionBank, QuestionSection } from "../contracts/index.js";
import type { TenantDatabase } from "../tenancy/context.js";

/** Whatever can read the shared bank: a tenant transaction, or a CTE's query creator inside one. */
export type BankReader = QueryCreator<TenantDatabase>;

/** Optional narrowing every caller may ask for, applied here so each is written once. */
export interface CandidateFilter {
  readonly bank?: QuestionBank | undefined;
  /** One section, any of several, or `null`: questions nobody gave a section. */
  readonly section?: QuestionSection | readonly QuestionSection[] | null | undefined;
}

/**
 * THE candidate filter: the bank questions an academy may take into new
 * work, as `exam_questions as eq`. Practice sets, mock exams and quizzes from
 * the bank (drawn at random, or copied in by `{ bankQuestionId }`) all start
 * here, so a rule about which questions may be served is one `.where` below,
 * and the choosers, the counts behind `bank_too_small`, the topic lists and
 * the quiz draws all follow it.
 *
 * Retired questions (`retired_at`, #20) are never candidates. The practice
 * and mock indexes are partial on `retired_at is null`, so this condition is
 * also what lets the planner use them.
 *
 * Reading a question already in a set, exam or quiz by its id does not go
 * through here: what a student was shown stays readable after retirement.
 *
 * @example
 * const rows = await bankCandidates(trx, { bank: "sat", section: "math" }).select(["eq.id"]).execute();
 */
export function bankCandidates(db: BankReader, filter: CandidateFilter = {}) {
  let q = db.selectFrom("exam_questions as eq").where("eq.retired_at", "is", null);
  if (filter.bank !== undefined) q = q.where("eq.bank", "=", filter.bank);
  const section = filter.section;
  if (section === null) q = q.where("eq.section", "is", null);
  else if (typeof section === "string") q = q.where("eq.section", "=", section);
  else if (section !== undefined) q = q.where("eq.section", "in", [...section]);
  return q;
}
