/**
 * `@skillbridge/core/questions`: question files and scoring without a
 * database. Read and validate a file as a stream of rows with line numbers,
 * group them into batches for `POST /admin/questions/batch`, add up the
 * reports, score responses, and make question text safe for its format. (The database importer, `importQuestions`,
 * is in `@skillbridge/core`.)
 */

export {
  DEFAULT_CLIENT_BATCH,
  mergeImportReports,
  type QuestionBatch,
  QuestionImportTally,
  questionBatches,
} from "./batches.js";
export { contentId } from "./content-id.js";
export {
  CsvExportError,
  csvHeader,
  EXPORT_FORMATS,
  type ExportFormat,
  toCsvLine,
  toQuestionInput,
} from "./export.js";
export { CSV_COLUMNS } from "./formats/csv.js";
export type { FormatDefaults } from "./formats/gift.js";
export {
  GRID_IN_WIDTH,
  type GridInReading,
  gridInAccepts,
  gridInEntry,
  readGridIn,
} from "./grid-in.js";
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
  TextFormat,
  ValidQuestionRow,
} from "./rows.js";
export {
  type QuestionResponses,
  type ScorableQuestion,
  type ScoreResult,
  score,
} from "./scoring.js";
export { DIFFICULTY_WORDS, difficultyValue, simpleShape } from "./simple-shape.js";
export { neutraliseMarkdown, safeText, sanitizeQuestionHtml } from "./text-format.js";
export type { QuestionSource, SourceLine } from "./text-source.js";
export {
  DuplicateIds,
  type QuestionDefaults,
  type QuestionValidation,
  type ValidateQuestionOptions,
  validateQuestion,
} from "./validate.js";
export {
  BANK_CHECK_ROWS,
  type ValidateQuestionRowsOptions,
  validateQuestionRows,
} from "./validate-rows.js";
