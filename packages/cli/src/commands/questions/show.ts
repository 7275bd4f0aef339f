import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { formatDate } from "../shared.js";
import { type AnyQuestion, bankOption, findQuestion } from "./find-question.js";

/** The type's own fields, as short lines for a person. */
function details(q: AnyQuestion): [string, string][] {
  const out: [string, string][] = [];
  if ("options" in q) for (const o of q.options) out.push([`option ${o.id}`, o.text]);
  if ("blanks" in q)
    q.blanks.forEach((blank, b) => {
      for (const o of blank.options) out.push([`blank ${b + 1} ${o.id}`, o.text]);
    });
  if ("quantityA" in q) out.push(["quantity A", q.quantityA], ["quantity B", q.quantityB]);
  if ("sentences" in q)
    q.sentences.forEach((s, i) => {
      out.push([`sentence ${i}`, s]);
    });
  if ("tolerance" in q && q.tolerance !== undefined) out.push(["tolerance", String(q.tolerance)]);
  if ("answer" in q) out.push(["answer", JSON.stringify(q.answer)]);
  if ("explanation" in q && q.explanation) out.push(["explanation", q.explanation]);
  return out;
}

/** `skillbridge questions show <id|externalId>`: one question, retired or not. */
export async function questionsShow(
  session: Session,
  ref: string,
  input: { readonly bank?: string | undefined } = {},
): Promise<CommandOutput<AnyQuestion>> {
  const bank = bankOption(input.bank);
  const { client } = await session.connect();
  const q = await findQuestion(client, ref, bank);
  return {
    data: q,
    quiet: q.id,
    view: {
      kind: "summary",
      title: `${q.bank.toUpperCase()} ${q.externalId} (${q.type})`,
      fields: [
        ["id", q.id],
        ["section", q.section ?? ""],
        ["topic", q.topic],
        ["difficulty", String(q.difficulty)],
        ["tags", q.tags.join(", ")],
        ...(q.passage ? ([["passage", q.passage]] as [string, string][]) : []),
        ["prompt", q.prompt],
        ...details(q),
        ["updated", formatDate(q.updatedAt)],
        ["retired", q.retiredAt ? formatDate(q.retiredAt) : "no"],
      ],
    },
  };
}
