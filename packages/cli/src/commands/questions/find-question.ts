import type { ExamQuestion, LearnerExamQuestion, SkillBridge } from "@skillbridge/sdk";
import { CliError } from "../../errors.js";

export type AnyQuestion = ExamQuestion | LearnerExamQuestion;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `--bank`, checked: "sat", "gre" or absent. */
export function bankOption(bank: string | undefined): "sat" | "gre" | undefined {
  if (bank === undefined || bank === "sat" || bank === "gre") return bank;
  throw new CliError(`--bank must be "sat" or "gre"; got "${bank}".`);
}

/**
 * A question named on the command line: by its id (a UUID), or by the
 * externalId its file gave it (`--bank` when both banks use it). Retired
 * questions are found too.
 */
export async function findQuestion(
  client: SkillBridge,
  ref: string,
  bank: "sat" | "gre" | undefined,
): Promise<AnyQuestion> {
  if (UUID.test(ref)) return client.questions.get(ref);
  const { data } = await client.questions
    .list({ externalId: ref, retired: "include", limit: 2, ...(bank ? { bank } : {}) })
    .firstPage();
  const [first, second] = data;
  if (!first)
    throw new CliError(
      `No question with externalId "${ref}"${bank ? ` in the ${bank.toUpperCase()} bank` : ""}.`,
      "See `skillbridge questions list --search <words>`.",
    );
  if (second)
    throw new CliError(
      `Both banks have a question with externalId "${ref}".`,
      "Name one with --bank sat or --bank gre.",
    );
  return first;
}
