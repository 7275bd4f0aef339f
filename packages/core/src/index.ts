/**
 * `@skillbridge/core`: the domain, data layer, tenancy and role scoping of
 * SkillBridge. A table of what it offers, one line per area; each area's
 * `index.ts` lists its exports (append new ones there):
 *
 * - errors      the typed error hierarchy, each with a stable `code`
 * - db          opening PostgreSQL or PGlite; the table types
 * - schema      platform and tenant tables, the migration lists
 * - tenancy     `withTenant` / `withPlatform`, the scope plugin, the start-up safety check
 * - placement   dedicated-schema academies, the schema runner, moves, `migrate`
 * - auth        password hashing
 * - policies    who sees and changes what inside an academy, per resource
 * - pagination  signed cursors
 * - services    the domain operations (`createServices`)
 * - questions   question files, batches and scoring (also `@skillbridge/core/questions`)
 * - learning    mastery, difficulty, weak spots, study plans, summaries, gamification
 * - practice    practice sets and mock exams on the shared bank
 * - ai          the AI gateway, providers, pre-grading, quiz generation, the tutor
 * - jobs        the background job queue and worker
 * - audit       the isolation audit
 *
 * The HTTP contracts are a separate entry, `@skillbridge/core/contracts` (zod only).
 */

export * from "./ai/index.js";
export * from "./audit/index.js";
export * from "./auth/index.js";
export * from "./db/index.js";
export * from "./errors.js";
export * from "./jobs/index.js";
export * from "./learning/index.js";
export * from "./pagination/index.js";
export * from "./placement/index.js";
export * from "./policies/index.js";
export * from "./practice/index.js";
export {
  type BankReader,
  bankCandidates,
  type CandidateFilter,
} from "./questions/bank-candidates.js";
export {
  type ImportProgress,
  type ImportQuestionsOptions,
  importQuestions,
} from "./questions/importer.js";
export * from "./questions/index.js";
export * from "./schema/index.js";
export * from "./services/index.js";
export * from "./tenancy/index.js";
