import { type Kysely, sql } from "kysely";
import type { QuestionBank } from "../contracts/index.js";
import type { StoredQuestion } from "./stored-question.js";

/** What happened to one question of a batch. */
export type QuestionOutcome = "inserted" | "updated" | "unchanged";

/** A stored question ready for one statement: its bank and the JSON of its row. */
export interface PreparedQuestion {
  readonly bank: QuestionBank;
  readonly externalId: string;
  readonly contentHash: string;
  /** The recordset element: `StoredQuestion` plus `bank`, as JSON. */
  readonly json: string;
}

export function prepareQuestion(bank: QuestionBank, stored: StoredQuestion): PreparedQuestion {
  return {
    bank,
    externalId: stored.external_id,
    contentHash: stored.content_hash,
    json: JSON.stringify({ bank, ...stored }),
  };
}

const key = (bank: string, externalId: string) => `${bank}\u0000${externalId}`;

/**
 * Upserts a batch in one statement: the rows travel as one JSON document
 * (`json_to_recordset`, one parameter whatever the batch size), a new
 * `(bank, external_id)` is inserted, an existing one is rewritten only when its
 * content hash differs (`DO UPDATE ... WHERE`), and an unchanged one is not
 * written at all: no new row version, `updated_at` kept. The caller owns the
 * transaction. `externalId`s must be unique within the batch.
 */
export async function upsertQuestions(
  // biome-ignore lint/suspicious/noExplicitAny: raw SQL runs on any scoped handle (platform or a test's).
  trx: Kysely<any>,
  batch: readonly PreparedQuestion[],
): Promise<QuestionOutcome[]> {
  if (batch.length === 0) return [];
  const document = `[${batch.map((q) => q.json).join(",")}]`;
  const result = await sql<{ bank: string; external_id: string; inserted: boolean }>`
    insert into exam_questions as q
      (bank, external_id, type, topic, standard_id, difficulty, prompt, passage, explanation,
       content, answer, tags, content_hash, created_at, updated_at)
    select r.bank, r.external_id, r.type, r.topic, r.standard_id, r.difficulty, r.prompt, r.passage,
           r.explanation, r.content, r.answer, coalesce(r.tags, '{}'), r.content_hash, t.at, t.at
    from json_to_recordset(${document}::json) as r(
      bank text, external_id text, type text, topic text, standard_id text, difficulty smallint,
      prompt text, passage text, explanation text, content jsonb, answer jsonb, tags text[],
      content_hash text)
    -- One clock reading per row: rows keep file order in lists, and a new row's updated_at is its created_at.
    cross join lateral (select clock_timestamp() as at) as t
    on conflict (bank, external_id) do update set
      type = excluded.type, topic = excluded.topic, standard_id = excluded.standard_id,
      difficulty = excluded.difficulty, prompt = excluded.prompt, passage = excluded.passage,
      explanation = excluded.explanation, content = excluded.content, answer = excluded.answer,
      tags = excluded.tags, content_hash = excluded.content_hash, updated_at = clock_timestamp()
    where q.content_hash is distinct from excluded.content_hash
    returning q.bank, q.external_id, (q.xmax = 0) as inserted
  `.execute(trx);
  const written = new Map(result.rows.map((r) => [key(r.bank, r.external_id), r.inserted]));
  return batch.map((q) => {
    const inserted = written.get(key(q.bank, q.externalId));
    return inserted === undefined ? "unchanged" : inserted ? "inserted" : "updated";
  });
}

/** What `upsertQuestions` would do, read-only: for dry runs. */
export async function classifyQuestions(
  // biome-ignore lint/suspicious/noExplicitAny: raw SQL runs on any scoped handle.
  trx: Kysely<any>,
  batch: readonly PreparedQuestion[],
): Promise<QuestionOutcome[]> {
  if (batch.length === 0) return [];
  const banks = batch.map((q) => q.bank);
  const ids = batch.map((q) => q.externalId);
  const result = await sql<{ bank: string; external_id: string; content_hash: string }>`
    select e.bank, e.external_id, e.content_hash
    from exam_questions e
    join unnest(${banks}::text[], ${ids}::text[]) as k(bank, external_id)
      on e.bank = k.bank and e.external_id = k.external_id
  `.execute(trx);
  const hashes = new Map(result.rows.map((r) => [key(r.bank, r.external_id), r.content_hash]));
  return batch.map((q) => {
    const hash = hashes.get(key(q.bank, q.externalId));
    return hash === undefined ? "inserted" : hash === q.contentHash ? "unchanged" : "updated";
  });
}
