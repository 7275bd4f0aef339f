import type { QuestionListQuery } from "@skillbridge/sdk";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { formatDate } from "../shared.js";
import { type AnyQuestion, bankOption } from "./find-question.js";

export interface QuestionsListInput {
  readonly bank?: string | undefined;
  readonly type?: string | undefined;
  readonly topic?: string | undefined;
  readonly section?: string | undefined;
  readonly search?: string | undefined;
  readonly externalId?: string | undefined;
  readonly retired?: string | undefined;
  /** Most questions to list (default 50; `all` for every one). */
  readonly limit?: string | undefined;
}

/** At most this many in one page of the API; more are walked page by page. */
const PAGE = 100;

function limitOf(text: string | undefined): number {
  if (text === undefined) return 50;
  if (text === "all") return Number.POSITIVE_INFINITY;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`--limit must be a positive whole number or "all"; got "${text}".`);
  return n;
}

const clip = (text: string, width: number) =>
  text.length <= width ? text : `${text.slice(0, width - 1)}…`;

/**
 * `skillbridge questions list`: the bank's questions in creation order,
 * filtered as `GET /questions` filters them (`--search` is its `q`).
 */
export async function questionsList(
  session: Session,
  input: QuestionsListInput = {},
): Promise<CommandOutput<AnyQuestion[]>> {
  const bank = bankOption(input.bank);
  const max = limitOf(input.limit);
  const retired = input.retired ?? "exclude";
  if (!["exclude", "include", "only"].includes(retired))
    throw new CliError(`--retired must be exclude, include or only; got "${retired}".`);
  const query = {
    limit: Math.min(PAGE, max),
    retired,
    ...(bank ? { bank } : {}),
    ...(input.type ? { type: input.type } : {}),
    ...(input.topic ? { topic: input.topic } : {}),
    ...(input.section ? { section: input.section } : {}),
    ...(input.search ? { q: input.search } : {}),
    ...(input.externalId ? { externalId: input.externalId } : {}),
  } as QuestionListQuery;
  const { client } = await session.connect();
  const questions = await session.task("Listing questions", async () => {
    const out: AnyQuestion[] = [];
    for await (const q of client.questions.list(query)) {
      out.push(q);
      if (out.length >= max) break;
    }
    return out;
  });
  return {
    data: questions,
    quiet: questions.map((q) => q.id).join("\n"),
    view: {
      kind: "table",
      columns: [
        { key: "bank", label: "bank" },
        { key: "externalId", label: "externalId" },
        { key: "type", label: "type" },
        { key: "topic", label: "topic" },
        { key: "level", label: "level" },
        { key: "prompt", label: "prompt" },
        { key: "retired", label: "retired" },
        { key: "id", label: "id" },
      ],
      rows: questions.map((q) => ({
        bank: q.bank,
        externalId: q.externalId,
        type: q.type,
        topic: q.topic,
        level: String(q.difficulty),
        prompt: clip(q.prompt.replace(/\s+/g, " "), 60),
        retired: q.retiredAt ? formatDate(q.retiredAt) : "",
        id: q.id,
      })),
      empty: "No questions match.",
    },
  };
}
