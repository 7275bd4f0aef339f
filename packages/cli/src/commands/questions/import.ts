import { existsSync } from "node:fs";
import { isSkillBridgeError } from "@skillbridge/core";
import type { QuestionImportReport } from "@skillbridge/core/contracts";
import {
  QUESTION_FORMATS,
  type QuestionFormat,
  QuestionImportTally,
  questionBatches,
  readQuestionFile,
} from "@skillbridge/core/questions";
import { CliError, EXIT } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";

export interface QuestionsImportInput {
  readonly bank?: string | undefined;
  readonly format?: string | undefined;
  readonly dryRun?: boolean | undefined;
  readonly strict?: boolean | undefined;
}

export interface QuestionsImportResult extends QuestionImportReport {
  readonly file: string;
  readonly bank: "sat" | "gre";
  readonly dryRun: boolean;
  /** Rows read from the file (sent or rejected). */
  readonly rows: number;
}

const SHOWN_REJECTIONS = 20;

/** Reads the whole file once, sending nothing: strict mode's first pass. */
async function countRejections(
  file: string,
  bank: "sat" | "gre",
  format: QuestionFormat | undefined,
) {
  const tally = new QuestionImportTally();
  let rows = 0;
  for await (const batch of questionBatches(
    readQuestionFile(file, { bank, ...(format ? { format } : {}) }),
  )) {
    rows += batch.rows.length + batch.rejected.length;
    tally.reject(batch.rejected);
  }
  return { rows, report: tally.report() };
}

/**
 * `skillbridge questions import FILE`: reads the file as a stream, validates
 * every row locally (with its line), sends valid rows in batches to
 * `POST /admin/questions/batch`, and adds up one report for the file. Exit 1
 * when any row was rejected (the valid ones are imported unless `--strict`).
 */
export async function questionsImport(
  session: Session,
  file: string,
  input: QuestionsImportInput,
): Promise<CommandOutput<QuestionsImportResult>> {
  const bankText = await session.prompt.text(input.bank, "--bank", "Bank (sat or gre):");
  if (bankText !== "sat" && bankText !== "gre") {
    throw new CliError(`--bank must be "sat" or "gre"; got "${bankText}".`);
  }
  const bank: "sat" | "gre" = bankText;
  if (input.format !== undefined && !QUESTION_FORMATS.includes(input.format as QuestionFormat)) {
    throw new CliError(
      `--format must be one of ${QUESTION_FORMATS.join(", ")}; got "${input.format}".`,
    );
  }
  const format = input.format as QuestionFormat | undefined;
  if (!existsSync(file)) throw new CliError(`No such file: ${file}`);
  const dryRun = input.dryRun === true;

  try {
    if (input.strict) {
      const first = await session.task("Validating the whole file (--strict)", () =>
        countRejections(file, bank, format),
      );
      if (first.report.rejected.length > 0) {
        return present({ ...first.report, file, bank, dryRun, rows: first.rows }, true);
      }
    }
    const { client } = await session.connect();
    const tally = new QuestionImportTally();
    const progress = session.progress(`Importing ${file}`);
    let rows = 0;
    try {
      for await (const batch of questionBatches(
        readQuestionFile(file, { bank, ...(format ? { format } : {}) }),
      )) {
        rows += batch.rows.length + batch.rejected.length;
        tally.reject(batch.rejected);
        if (batch.rows.length > 0) {
          const report = await client.questions.batch({
            bank,
            questions: batch.rows.map((row) => row.question),
            ...(dryRun ? { dryRun: true } : {}),
            ...(input.strict ? { strict: true } : {}),
          });
          tally.addBatch(batch.rows, report);
        }
        progress.update(rows, tally.counts.rejected);
      }
    } finally {
      progress.done();
    }
    return present({ ...tally.report(), file, bank, dryRun, rows }, false);
  } catch (error) {
    // A file that cannot be read as a whole (encoding, broken structure) names its line.
    if (isSkillBridgeError(error) && error.code === "invalid_question_file") {
      throw new CliError(
        `${file}: ${error.message}`,
        "Nothing after that point was imported; fix it and re-run (imported rows come back unchanged).",
      );
    }
    throw error;
  }
}

function present(
  result: QuestionsImportResult,
  strictStopped: boolean,
): CommandOutput<QuestionsImportResult> {
  const rejected = result.rejected;
  const title = strictStopped
    ? `Nothing imported: ${rejected.length} of ${result.rows} rows rejected (--strict)`
    : `${result.dryRun ? "Dry run of" : "Imported"} ${result.file} into the ${result.bank.toUpperCase()} bank`;
  return {
    data: result,
    exitCode: rejected.length > 0 ? EXIT.failure : EXIT.ok,
    view: {
      kind: "summary",
      title,
      fields: [
        ["rows", String(result.rows)],
        [result.dryRun ? "would insert" : "inserted", String(result.inserted)],
        [result.dryRun ? "would update" : "updated", String(result.updated)],
        ["unchanged", String(result.unchanged)],
        ["rejected", String(rejected.length)],
      ],
      table: {
        kind: "table",
        columns: [
          { key: "line", label: "line" },
          { key: "externalId", label: "externalId" },
          { key: "errors", label: "errors" },
        ],
        rows: rejected.slice(0, SHOWN_REJECTIONS).map((r) => ({
          line: String(r.line),
          externalId: r.externalId ?? "",
          errors: r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; "),
        })),
        empty: "",
      },
      notes:
        rejected.length > SHOWN_REJECTIONS
          ? [
              `… and ${rejected.length - SHOWN_REJECTIONS} more rejected rows (--json lists them all)`,
            ]
          : [],
    },
  };
}
