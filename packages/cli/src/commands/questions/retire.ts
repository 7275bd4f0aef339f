import type { ExamQuestion } from "@skillbridge/sdk";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { bankOption, findQuestion } from "./find-question.js";

export interface QuestionsRetireInput {
  readonly bank?: string | undefined;
  /** Bring the questions back instead. */
  readonly undo?: boolean | undefined;
}

/**
 * `skillbridge questions retire <id|externalId>...`: retires each question
 * (out of practice, mock exams and quizzes from the bank; its history kept),
 * or with `--undo` brings it back. Idempotent. Platform admins and content
 * managers.
 */
export async function questionsRetire(
  session: Session,
  refs: readonly string[],
  input: QuestionsRetireInput = {},
): Promise<CommandOutput<ExamQuestion[]>> {
  if (refs.length === 0) throw new CliError("Name at least one question (its id or externalId).");
  const bank = bankOption(input.bank);
  const { client } = await session.connect();
  // Every name is resolved before anything changes: a typo retires nothing.
  const found = [];
  for (const ref of refs) found.push(await findQuestion(client, ref, bank));
  const done: ExamQuestion[] = [];
  for (const q of found)
    done.push(await (input.undo ? client.questions.unretire(q.id) : client.questions.retire(q.id)));
  return {
    data: done,
    quiet: done.map((q) => q.id).join("\n"),
    view: {
      kind: "summary",
      title: `${input.undo ? "Brought back" : "Retired"} ${done.length} question${done.length === 1 ? "" : "s"}`,
      fields: done.map((q) => [`${q.bank} ${q.externalId}`, q.id] as const),
      notes: input.undo
        ? ["They are drawn into practice, mock exams and quizzes from the bank again."]
        : [
            "Practice sets, mock exams and quizzes from the bank no longer draw them; what was made with them keeps them. Undo with --undo.",
          ],
    },
  };
}
