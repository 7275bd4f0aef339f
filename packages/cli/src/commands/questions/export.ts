import { once } from "node:events";
import { createWriteStream, renameSync, rmSync } from "node:fs";
import type { Writable } from "node:stream";
import {
  CsvExportError,
  csvHeader,
  EXPORT_FORMATS,
  type ExportFormat,
  toCsvLine,
  toQuestionInput,
} from "@skillbridge/core/questions";
import type { ExamQuestion } from "@skillbridge/sdk";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { bankOption } from "./find-question.js";

export interface QuestionsExportInput {
  readonly bank?: string | undefined;
  readonly format?: string | undefined;
  /** A file to write; without it the export goes to stdout. */
  readonly out?: string | undefined;
  readonly retired?: string | undefined;
}

export interface QuestionsExportResult {
  readonly file: string;
  readonly bank: "sat" | "gre";
  readonly format: ExportFormat;
  readonly questions: number;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/** The file's text around and between questions, per format. */
const LAYOUT: Record<
  ExportFormat,
  { head(bank: string): string; item(q: ExamQuestion, first: boolean): string; tail: string }
> = {
  json: {
    head: (bank) => `{"bank":${JSON.stringify(bank)},"questions":[\n`,
    item: (q, first) => `${first ? "" : ",\n"}${JSON.stringify(toQuestionInput(q))}`,
    tail: "\n]}\n",
  },
  ndjson: {
    head: () => "",
    item: (q) => `${JSON.stringify(toQuestionInput(q))}\n`,
    tail: "",
  },
  csv: { head: () => csvHeader(), item: (q) => toCsvLine(q), tail: "" },
};

/**
 * `skillbridge questions export --bank sat`: one bank as canonical JSON,
 * NDJSON or CSV, the importers' own formats, so `questions import` of the
 * file reports every question `unchanged`. Pages through `GET /questions`;
 * the file is written as the pages come (never held whole). With `--out`
 * the file appears only when complete.
 */
export async function questionsExport(
  session: Session,
  input: QuestionsExportInput,
): Promise<CommandOutput<QuestionsExportResult> | undefined> {
  const bank = bankOption(await session.prompt.text(input.bank, "--bank", "Bank (sat or gre):"));
  if (!bank) throw new CliError('--bank must be "sat" or "gre".');
  const format = (input.format ?? "json") as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(", ")}; got "${format}".`);
  const retired = input.retired ?? "exclude";
  if (!["exclude", "include", "only"].includes(retired))
    throw new CliError(`--retired must be exclude, include or only; got "${retired}".`);
  const { client } = await session.connect();
  const partial = input.out ? `${input.out}.partial-${process.pid}` : undefined;
  const stream: Writable = partial ? createWriteStream(partial) : session.io.stdout;
  let count = 0;
  try {
    const layout = LAYOUT[format];
    await write(stream, layout.head(bank));
    for await (const q of client.questions.list({
      bank,
      retired: retired as "exclude",
      limit: 100,
    })) {
      if (!("answer" in q))
        throw new CliError(
          "An export needs the answer keys, which this account does not see.",
          "Sign in as a platform user or academy staff.",
        );
      await write(stream, layout.item(q, count === 0));
      count++;
    }
    await write(stream, layout.tail);
    if (partial) {
      stream.end();
      await once(stream, "finish");
      renameSync(partial, input.out as string);
    }
  } catch (error) {
    if (partial) {
      stream.destroy();
      rmSync(partial, { force: true });
    }
    if (error instanceof CsvExportError)
      throw new CliError(`Cannot write CSV: ${error.message}.`, "Export with --format json.");
    throw error;
  }
  if (!input.out) return undefined;
  return {
    data: { file: input.out, bank, format, questions: count },
    quiet: String(count),
    view: {
      kind: "summary",
      title: `Exported the ${bank.toUpperCase()} bank to ${input.out}`,
      fields: [
        ["questions", String(count)],
        ["format", format],
      ],
      notes: [`Re-import with: skillbridge questions import ${input.out} --bank ${bank}`],
    },
  };
}
