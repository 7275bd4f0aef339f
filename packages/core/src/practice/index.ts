/**
 * Practice on the shared bank (docs/learning.md): practice sets, mock exams,
 * how the next question is chosen and how a score is estimated.
 */

export {
  type ChosenQuestion,
  chooseNext,
  levelsNearest,
  PRACTICE_RULES,
  strandLevelQuery,
  targetLevel,
} from "./choose-question.js";
export { MockExamService, reportFor } from "./mock-exam-service.js";
export {
  composition,
  HARDER_ROUTE_SHARE,
  MOCK_FORMS,
  type ModuleForm,
  type ModuleKind,
  moduleShape,
  type SectionForm,
  SHORT_MODULE_QUESTIONS,
  sectionNeeds,
} from "./mock-forms.js";
export { PracticeSetService } from "./practice-set-service.js";
export { ESTIMATE_NOTE, estimateScore, SCORE_SCALES } from "./score-estimate.js";
export { MAX_STRANDS, resolveStrands, type Strand } from "./strands.js";
