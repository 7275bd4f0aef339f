import {
  createServices,
  importQuestions,
  type QuestionRow,
  type SkillBridgeDatabase,
  withPlatform,
} from "@skillbridge/core";
import type { QuestionImportReport } from "@skillbridge/core/contracts";
import {
  type QuestionDefaults,
  type QuestionFormat,
  readQuestionFile,
} from "@skillbridge/core/questions";
import type { Session } from "../../session.js";

/**
 * A question file straight into the local database (embedded mode: PGlite,
 * or PostgreSQL through `DATABASE_URL`), through core's importer: batches of
 * 1,000 in their own transactions, new rows by `COPY` on PostgreSQL, reading
 * and validating the next batch while the current one is written. The same
 * rows, reports and guarantees as `POST /admin/questions/batch`, without
 * serialising every question to JSON and back through HTTP. The CLI holds
 * the database in this mode anyway (its embedded server runs over it), so
 * this is not a second way in: it is the operator's own. A dry run reads,
 * validates and classifies against the bank, writing nothing.
 */
export async function importLocally(
  session: Session,
  local: { readonly db: SkillBridgeDatabase; readonly operatorId: string },
  file: string,
  options: {
    /** Undefined: the bank the file states (see `readQuestionFile`). */
    readonly bank: "sat" | "gre" | undefined;
    readonly format: QuestionFormat | undefined;
    readonly defaults: QuestionDefaults;
    readonly dryRun: boolean;
    readonly strict: boolean;
  },
): Promise<{
  readonly report: QuestionImportReport;
  readonly rows: number;
  readonly bank: "sat" | "gre" | undefined;
}> {
  let rows = 0;
  // Without --bank, validation puts the file's own bank on every valid row.
  let bank = options.bank;
  async function* counted(source: AsyncIterable<QuestionRow>) {
    for await (const row of source) {
      rows++;
      if (row.ok) bank ??= row.question.bank;
      yield row;
    }
  }
  const progress = session.progress(`Importing ${file}`);
  let report: QuestionImportReport;
  try {
    report = await importQuestions(
      local.db,
      counted(
        readQuestionFile(file, {
          bank: options.bank,
          defaults: options.defaults,
          ...(options.format ? { format: options.format } : {}),
        }),
      ),
      {
        dryRun: options.dryRun,
        strict: options.strict,
        onProgress: (p) => progress.update(p.rows, p.rejected),
      },
    );
  } finally {
    progress.done();
  }
  const written = bank;
  if (!options.dryRun && written !== undefined && report.inserted + report.updated > 0) {
    // The same audit event as an import over HTTP.
    await withPlatform(local.db, (trx) =>
      createServices().auditLog.record(trx, {
        actorId: local.operatorId,
        actorKind: "platform_user",
        action: "questions.import",
        targetType: "question_bank",
        targetId: written,
        details: {
          inserted: report.inserted,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: report.rejected.length,
          via: "cli",
        },
      }),
    );
  }
  return { report, rows, bank };
}
