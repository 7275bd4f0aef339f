import { existsSync } from "node:fs";
import { extname } from "node:path";
import { isSkillBridgeError } from "@skillbridge/core";
import type { QuestionImportReport } from "@skillbridge/core/contracts";
import {
  inferQuestionFormat,
  QUESTION_FORMATS,
  type QuestionDefaults,
  type QuestionFormat,
  QuestionImportTally,
  questionBatches,
  readQuestionFile,
} from "@skillbridge/core/questions";
import { CliError, EXIT } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { importLocally } from "./import-local.js";

export interface QuestionsImportInput {
  /** When omitted, the bank the file states (a JSON `bank`, the rows' bank column or field). */
  readonly bank?: string | undefined;
  readonly format?: string | undefined;
  readonly dryRun?: boolean | undefined;
  readonly strict?: boolean | undefined;
  /** Defaults for rows that do not say. */
  readonly topic?: string | undefined;
  readonly difficulty?: string | undefined;
  readonly section?: string | undefined;
}

export interface QuestionsImportResult extends QuestionImportReport {
  readonly file: string;
  /** The bank written to: `--bank`, or the file's own (undefined when no row was valid). */
  readonly bank: "sat" | "gre" | undefined;
  readonly dryRun: boolean;
  /** Rows read from the file (sent or rejected). */
  readonly rows: number;
}

const SHOWN_REJECTIONS = 20;
const SHOWN_UPDATES = 20;

const SECTIONS = ["reading_writing", "math", "verbal", "quantitative"] as const;

interface ReadOptions {
  readonly bank: "sat" | "gre" | undefined;
  readonly format: QuestionFormat | undefined;
  readonly defaults: QuestionDefaults;
}

const rowsOf = (file: string, read: ReadOptions) =>
  readQuestionFile(file, {
    bank: read.bank,
    defaults: read.defaults,
    ...(read.format ? { format: read.format } : {}),
  });

/** Reads the whole file once, sending nothing: strict mode's first pass. */
async function countRejections(file: string, read: ReadOptions) {
  const tally = new QuestionImportTally();
  let rows = 0;
  for await (const batch of questionBatches(rowsOf(file, read))) {
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
  const bankText = input.bank;
  if (bankText !== undefined && bankText !== "sat" && bankText !== "gre") {
    throw new CliError(`--bank must be "sat" or "gre"; got "${bankText}".`);
  }
  let bank: "sat" | "gre" | undefined = bankText;
  if (input.section !== undefined && !(SECTIONS as readonly string[]).includes(input.section)) {
    throw new CliError(`--section must be one of ${SECTIONS.join(", ")}; got "${input.section}".`);
  }
  const defaults: QuestionDefaults = {
    ...(input.topic === undefined ? {} : { topic: input.topic }),
    ...(input.difficulty === undefined ? {} : { difficulty: input.difficulty }),
    ...(input.section === undefined ? {} : { section: input.section as (typeof SECTIONS)[number] }),
  };
  if (input.format !== undefined && !QUESTION_FORMATS.includes(input.format as QuestionFormat)) {
    throw new CliError(
      `--format must be one of ${QUESTION_FORMATS.join(", ")}; got "${input.format}".`,
    );
  }
  const format = input.format as QuestionFormat | undefined;
  if (!existsSync(file)) throw new CliError(`No such file: ${file}`);
  const dryRun = input.dryRun === true;
  const read = (): ReadOptions => ({ bank, format, defaults });

  try {
    if (input.strict) {
      const first = await session.task("Validating the whole file (--strict)", () =>
        countRejections(file, read()),
      );
      if (first.report.rejected.length > 0) {
        return present({ ...first.report, file, bank, dryRun, rows: first.rows }, true);
      }
    }
    const connection = await session.connect();
    if (connection.local) {
      // Embedded mode: core's importer on the local database (COPY on PostgreSQL), not HTTP.
      const local = await importLocally(session, connection.local, file, {
        bank,
        format,
        defaults,
        dryRun,
        strict: input.strict === true,
      });
      return present({ ...local.report, file, bank: local.bank, dryRun, rows: local.rows }, false);
    }
    const { client } = connection;
    const tally = new QuestionImportTally();
    const progress = session.progress(`Importing ${file}`);
    let rows = 0;
    try {
      for await (const batch of questionBatches(rowsOf(file, read()))) {
        rows += batch.rows.length + batch.rejected.length;
        tally.reject(batch.rejected);
        const first = batch.rows[0];
        if (first) {
          // Without --bank, the file's own bank (validation has put it on every valid row).
          bank ??= first.question.bank;
          const report = await client.questions.batch({
            bank: first.question.bank,
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
      // Problems found before any row is read (the bank, the defaults, a file for the other
      // bank) say so themselves; others stop an import part-way.
      const named = format ?? formatOfName(file);
      if (named === undefined && /^Cannot tell the format/.test(error.message)) {
        const extension = extname(file);
        throw new CliError(
          `Cannot tell the format of "${file}" from its extension${extension ? ` (${extension})` : ""} or its first lines: pass --format, one of ${QUESTION_FORMATS.join(", ")}.`,
        );
      }
      // The format it was read as, and how to name another: a file in another format fails here too.
      const as = format
        ? `Read as ${format} (--format).`
        : `Read as ${named ?? "Moodle XML"} (from its ${named ? "extension" : "first lines"}; --format names another).`;
      throw new CliError(
        `${file}: ${error.message}`,
        /Nothing was imported|--bank|default/.test(error.message)
          ? undefined
          : `${as} Nothing after that point was imported; fix it and re-run (imported rows come back unchanged).`,
      );
    }
    throw error;
  }
}

/** The format a file's extension names, if it names one. */
function formatOfName(file: string): QuestionFormat | undefined {
  try {
    return inferQuestionFormat(file);
  } catch {
    return undefined;
  }
}

function present(
  result: QuestionsImportResult,
  strictStopped: boolean,
): CommandOutput<QuestionsImportResult> {
  const rejected = result.rejected;
  const updates = result.updates ?? [];
  const into = result.bank ? ` into the ${result.bank.toUpperCase()} bank` : "";
  const title = strictStopped
    ? `Nothing imported: ${rejected.length} of ${result.rows} rows rejected (--strict)`
    : `${result.dryRun ? "Dry run of" : "Imported"} ${result.file}${into}`;
  // Each rewrite is named with what it changes: an import never overwrites a question unseen.
  const changed = updates
    .slice(0, SHOWN_UPDATES)
    .map(
      (u) =>
        `${result.dryRun ? "would update" : "updated"} line ${u.line ?? "?"} ${u.externalId}: ${u.fields.join(", ") || "stored form only"}`,
    );
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
      notes: [
        ...changed,
        ...(updates.length > SHOWN_UPDATES
          ? [`… and ${updates.length - SHOWN_UPDATES} more updated rows (--json lists them all)`]
          : []),
        ...(rejected.length > SHOWN_REJECTIONS
          ? [
              `… and ${rejected.length - SHOWN_REJECTIONS} more rejected rows (--json lists them all)`,
            ]
          : []),
      ],
    },
  };
}
