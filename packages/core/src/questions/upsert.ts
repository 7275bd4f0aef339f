import { CompiledQuery, type Kysely } from "kysely";
import type { StoredQuestion } from "./stored-question.js";

/** What happened to one question of a batch. */
export type QuestionOutcome = "inserted" | "updated" | "unchanged";

/** A batch's outcomes, and for each question `updated`, the fields it changed (by batch index). */
export interface BatchOutcome {
  readonly outcomes: QuestionOutcome[];
  readonly changes: ReadonlyMap<number, readonly string[]>;
}

/** Runs one parameterised statement and returns its rows: over Kysely or a raw pg client alike. */
export type RunSql = <R>(text: string, parameters: readonly unknown[]) => Promise<R[]>;

/** A runner over any Kysely handle (a transaction, or the database itself). */
// biome-ignore lint/suspicious/noExplicitAny: the statements are raw SQL, valid on any scoped handle.
export function kyselyRunner(db: Kysely<any>): RunSql {
  return async <R>(text: string, parameters: readonly unknown[]) =>
    (await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]))).rows;
}

/** The columns an import writes, in the order of the recordset and of COPY rows. */
export const IMPORT_COLUMNS =
  "bank, external_id, type, topic, standard_id, section, difficulty, prompt, passage, explanation, content, answer, tags, content_hash, format";

const RECORD = `bank text, external_id text, type text, topic text, standard_id text,
  section text, difficulty smallint, prompt text, passage text, explanation text, content jsonb, answer jsonb,
  tags text[], content_hash text, format text`;

// Plans here must not depend on statistics: right after a bulk load (or a truncate) the
// planner still believes the table tiny and, left to choose, scans all of it for every
// batch, which makes an import quadratic. A LATERAL look-up per key on both columns of
// the unique index can only be an index probe; the update's join is pinned the same way.
const CLASSIFY = `
  select k.external_id, e.content_hash
  from unnest($2::text[]) as k(external_id)
  join lateral (
    select x.content_hash from exam_questions x
    where x.bank = $1 and x.external_id = k.external_id
    limit 1
  ) as e on true`;

// The stored fields of the keys about to be rewritten, to say what an update changes.
const EXISTING = `
  select k.external_id, e.type, e.topic, e.standard_id, e.section, e.difficulty, e.prompt,
         e.passage, e.explanation, e.content::text as content, e.answer::text as answer, e.tags
  from unnest($2::text[]) as k(external_id)
  join lateral (
    select x.* from exam_questions x
    where x.bank = $1 and x.external_id = k.external_id
    limit 1
  ) as e on true`;

const NESTED_LOOPS = `select set_config('enable_hashjoin', 'off', true),
  set_config('enable_mergejoin', 'off', true)`;

const INSERT = `
  insert into exam_questions as q (${IMPORT_COLUMNS}, created_at, updated_at)
  select r.bank, r.external_id, r.type, r.topic, r.standard_id, r.section, r.difficulty, r.prompt,
         r.passage, r.explanation, r.content, r.answer, coalesce(r.tags, '{}'), r.content_hash,
         r.format, t.at, t.at
  from json_to_recordset($1::json) as r(${RECORD})
  -- One clock reading per row: rows keep file order in lists, and updated_at = created_at.
  cross join lateral (select clock_timestamp() as at) as t
  on conflict (bank, external_id) do update set
    type = excluded.type, topic = excluded.topic, standard_id = excluded.standard_id,
    section = excluded.section, difficulty = excluded.difficulty, prompt = excluded.prompt, passage = excluded.passage,
    explanation = excluded.explanation, content = excluded.content, answer = excluded.answer,
    tags = excluded.tags, content_hash = excluded.content_hash, format = excluded.format,
    updated_at = clock_timestamp()
  where q.content_hash is distinct from excluded.content_hash
  returning q.bank, q.external_id, (q.xmax = 0) as inserted`;

const UPDATE = `
  update exam_questions as q set
    type = r.type, topic = r.topic, standard_id = r.standard_id, section = r.section,
    difficulty = r.difficulty,
    prompt = r.prompt, passage = r.passage, explanation = r.explanation, content = r.content,
    answer = r.answer, tags = coalesce(r.tags, '{}'), content_hash = r.content_hash,
    format = r.format, updated_at = clock_timestamp()
  from json_to_recordset($1::json) as r(${RECORD})
  where q.bank = r.bank and q.external_id = r.external_id
    and q.content_hash is distinct from r.content_hash
  returning q.bank, q.external_id`;

export const questionKey = (q: { bank: string; external_id: string }) =>
  `${q.bank}\u0000${q.external_id}`;

/** The batch as one JSON array for `json_to_recordset` (content and answer are JSON already). */
export function recordsetJson(batch: readonly StoredQuestion[]): string {
  const text = JSON.stringify;
  return `[${batch
    .map(
      (q) =>
        `{"bank":${text(q.bank)},"external_id":${text(q.external_id)},"type":${text(q.type)},"topic":${text(q.topic)},"standard_id":${text(q.standard_id)},"section":${text(q.section)},"difficulty":${q.difficulty},"prompt":${text(q.prompt)},"passage":${text(q.passage)},"explanation":${text(q.explanation)},"content":${q.content},"answer":${q.answer},"tags":${text(q.tags)},"content_hash":${text(q.content_hash)},"format":${text(q.format)}}`,
    )
    .join(",")}]`;
}

/**
 * Each question's outcome if it were written now: a new `(bank, externalId)`
 * is `inserted`, a different content hash `updated`, the same `unchanged`.
 * Read-only: dry runs use it, and every write uses it to touch only what changed.
 */
export async function classify(
  run: RunSql,
  batch: readonly StoredQuestion[],
): Promise<QuestionOutcome[]> {
  if (batch.length === 0) return [];
  const hashes = new Map<string, string>();
  for (const bank of new Set(batch.map((q) => q.bank))) {
    const ids = batch.filter((q) => q.bank === bank).map((q) => q.external_id);
    const rows = await run<{ external_id: string; content_hash: string }>(CLASSIFY, [bank, ids]);
    for (const r of rows)
      hashes.set(questionKey({ bank, external_id: r.external_id }), r.content_hash);
  }
  return batch.map((q) => {
    const hash = hashes.get(questionKey(q));
    return hash === undefined ? "inserted" : hash === q.content_hash ? "unchanged" : "updated";
  });
}

interface ExistingRow {
  external_id: string;
  type: string;
  topic: string;
  standard_id: string | null;
  section: string | null;
  difficulty: number;
  prompt: string;
  passage: string | null;
  explanation: string | null;
  /** JSON text (jsonb's own spacing and key order). */
  content: string;
  answer: string;
  tags: string[] | null;
}

/** JSON values equal whatever their key order (jsonb reorders keys). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** The model's names of the fields in which `next` differs from what is stored. */
export function changedFields(next: StoredQuestion, stored: ExistingRow): string[] {
  const fields: string[] = [];
  const columns: [string, unknown, unknown][] = [
    ["type", next.type, stored.type],
    ["topic", next.topic, stored.topic],
    ["standardId", next.standard_id, stored.standard_id],
    ["section", next.section, stored.section],
    ["difficulty", next.difficulty, stored.difficulty],
    ["prompt", next.prompt, stored.prompt],
    ["passage", next.passage, stored.passage],
    ["explanation", next.explanation, stored.explanation],
  ];
  for (const [name, a, b] of columns) if (a !== b) fields.push(name);
  const content = JSON.parse(next.content) as Record<string, unknown>;
  const before = (JSON.parse(stored.content) ?? {}) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(content), ...Object.keys(before)]))
    if (!sameJson(content[key], before[key])) fields.push(key);
  if (!sameJson(JSON.parse(next.answer), JSON.parse(stored.answer))) fields.push("answer");
  if (!sameJson([...next.tags], stored.tags ?? [])) fields.push("tags");
  return fields;
}

/**
 * For each question of the batch planned `updated`, the fields it would
 * change: read only for those keys, so a first import or an unchanged
 * re-import reads nothing more.
 */
export async function describeChanges(
  run: RunSql,
  batch: readonly StoredQuestion[],
  planned: readonly QuestionOutcome[],
): Promise<Map<number, readonly string[]>> {
  const changes = new Map<number, readonly string[]>();
  const updating = batch.flatMap((_, i) => (planned[i] === "updated" ? [i] : []));
  if (updating.length === 0) return changes;
  const stored = new Map<string, ExistingRow>();
  for (const bank of new Set(updating.map((i) => batch[i]?.bank ?? ""))) {
    const ids = updating.flatMap((i) => {
      const q = batch[i];
      return q && q.bank === bank ? [q.external_id] : [];
    });
    for (const row of await run<ExistingRow>(EXISTING, [bank, ids]))
      stored.set(questionKey({ bank, external_id: row.external_id }), row);
  }
  for (const i of updating) {
    const q = batch[i];
    const row = q && stored.get(questionKey(q));
    if (q && row) changes.set(i, changedFields(q, row));
  }
  return changes;
}

/** Only the changes of questions whose final outcome is `updated`. */
export function settledChanges(
  outcomes: readonly QuestionOutcome[],
  changes: ReadonlyMap<number, readonly string[]>,
): Map<number, readonly string[]> {
  return new Map([...changes].filter(([i]) => outcomes[i] === "updated"));
}

/** Inserts rows believed new; one another import added meanwhile becomes an update-if-changed. */
export async function insertNew(
  run: RunSql,
  fresh: readonly StoredQuestion[],
): Promise<Map<string, QuestionOutcome>> {
  if (fresh.length === 0) return new Map();
  const rows = await run<{ bank: string; external_id: string; inserted: boolean }>(INSERT, [
    recordsetJson(fresh),
  ]);
  return new Map(rows.map((r) => [questionKey(r), r.inserted ? "inserted" : "updated"]));
}

/** Rewrites existing rows whose hash differs; returns the keys rewritten. */
export async function updateChanged(
  run: RunSql,
  changed: readonly StoredQuestion[],
): Promise<Set<string>> {
  if (changed.length === 0) return new Set();
  // Transaction-local: the batch's (or the request's) transaction, nothing after it.
  await run(NESTED_LOOPS, []);
  const rows = await run<{ bank: string; external_id: string }>(UPDATE, [recordsetJson(changed)]);
  return new Set(rows.map(questionKey));
}

/** The batch's outcomes from the plan and what the writes reported. */
export function outcomesOf(
  batch: readonly StoredQuestion[],
  planned: readonly QuestionOutcome[],
  inserted: ReadonlyMap<string, QuestionOutcome>,
  updated: ReadonlySet<string>,
): QuestionOutcome[] {
  return batch.map((q, i) => {
    const k = questionKey(q);
    if (planned[i] === "inserted") return inserted.get(k) ?? "unchanged";
    if (planned[i] === "updated") return updated.has(k) ? "updated" : "unchanged";
    return "unchanged";
  });
}

/**
 * Writes a batch in the caller's transaction and says what happened to each
 * question. Existing rows are looked up first, so an unchanged question is
 * not written at all: no new row version, no row lock, `updated_at` kept.
 * New rows go in with one `INSERT ... SELECT FROM json_to_recordset` (one
 * parameter whatever the batch size), changed ones with one `UPDATE ... FROM`
 * it. `externalId`s must be unique within the batch. Each update comes with
 * the fields it changed.
 */
export async function upsertQuestions(
  // biome-ignore lint/suspicious/noExplicitAny: raw SQL runs on any scoped handle.
  trx: Kysely<any>,
  batch: readonly StoredQuestion[],
): Promise<BatchOutcome> {
  const run = kyselyRunner(trx);
  const planned = await classify(run, batch);
  const changes = await describeChanges(run, batch, planned);
  const inserted = await insertNew(
    run,
    batch.filter((_, i) => planned[i] === "inserted"),
  );
  const updated = await updateChanged(
    run,
    batch.filter((_, i) => planned[i] === "updated"),
  );
  const outcomes = outcomesOf(batch, planned, inserted, updated);
  return { outcomes, changes: settledChanges(outcomes, changes) };
}

/** What `upsertQuestions` would do, read-only: for dry runs (with what each update would change). */
export async function classifyQuestions(
  // biome-ignore lint/suspicious/noExplicitAny: raw SQL runs on any scoped handle.
  trx: Kysely<any>,
  batch: readonly StoredQuestion[],
): Promise<BatchOutcome> {
  const run = kyselyRunner(trx);
  const outcomes = await classify(run, batch);
  return { outcomes, changes: await describeChanges(run, batch, outcomes) };
}
