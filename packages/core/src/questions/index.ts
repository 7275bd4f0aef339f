/**
 * `@skillbridge/core/questions`: question files and scoring without a
 * database. Read and validate a file as a stream of rows with line numbers,
 * group them into batches for `POST /admin/questions/batch`, add up the
 * reports, and score responses. (The database importer, `importQuestions`,
 * is in `@skillbridge/core`.)
 */

export {
  DEFAULT_CLIENT_BATCH,
  mergeImportReports,
  type QuestionBatch,
  QuestionImportTally,
  questionBatches,
} from "./batches.js";
export { CSV_COLUMNS } from "./formats/csv.js";
export type { FormatDefaults } from "./formats/gift.js";
export { GRID_IN_WIDTH, type GridInReading, gridInAccepts, readGridIn } from "./grid-in.js";
export { parseNumber, type Rational, type WrittenNumber } from "./numbers.js";
export {
  inferQuestionFormat,
  parseQuestionRows,
  QUESTION_FORMATS,
  type QuestionFormat,
  type ReadQuestionFileOptions,
  readQuestionFile,
} from "./read-question-file.js";
export type {
  QuestionRow,
  RejectedQuestionRow,
  RowPosition,
  SourceRow,
  ValidQuestionRow,
} from "./rows.js";
export {
  type QuestionResponses,
  type ScorableQuestion,
  type ScoreResult,
  score,
} from "./scoring.js";
export type { QuestionSource, SourceLine } from "./text-source.js";
export {
  DuplicateIds,
  type QuestionValidation,
  validateQuestion,
  validateQuestionRows,
} from "./validate.js";
