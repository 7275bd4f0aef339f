import { randomInt, randomUUID } from "node:crypto";
import type { QuestionBank } from "../contracts/index.js";
import { difficultyForSuccess, difficultyPrior, ELO_START, eloExpected } from "../learning/elo.js";
import { bankCandidates } from "../questions/bank-candidates.js";
import type { TenantDb } from "../tenancy/context.js";
import type { Strand } from "./strands.js";

/**
 * Choosing a practice set's next question (docs/learning.md, "Choosing the
 * next question"). Adaptive sets aim at {@link PRACTICE_RULES.targetSuccess}:
 * the student's Elo ability on the strand's topic gives the 1-5 level whose
 * questions they should answer right about that often; that level is tried
 * first, then its neighbours nearest first. Within a level a few questions
 * are read from a random point of the index, and the one whose predicted
 * success (this academy's rating of it, else its level's prior) is nearest
 * the target wins. Non-adaptive sets take a random level and a random point.
 * Nothing already in the set is chosen again.
 */
export const PRACTICE_RULES = {
  /** The chance of success adaptive sets aim for (the middle of 60-70 %). */
  targetSuccess: 0.65,
  /** Questions read at the chosen level to pick the best rated one from. */
  candidatesPerLevel: 8,
} as const;

const LEVELS = [1, 2, 3, 4, 5] as const;

/** A question chosen for a set. */
export interface ChosenQuestion {
  readonly questionId: string;
  readonly topic: string;
  readonly section: string | null;
  readonly difficulty: number;
  /** Adaptive sets: the predicted chance of success it was chosen for. */
  readonly predictedSuccess: number | null;
}

/** What the chooser needs of a set. */
export interface SetShape {
  readonly bank: QuestionBank;
  readonly adaptive: boolean;
  readonly strands: readonly Strand[];
  /** Explicit questions, in the order given; null when the set draws from strands. */
  readonly questionIds: readonly string[] | null;
}

export interface Presented {
  readonly questionId: string;
  readonly topic: string;
  readonly section: string | null;
}

interface Candidate {
  readonly id: string;
  readonly topic: string;
  readonly section: string | null;
  readonly difficulty: number;
}

/** The bank level (fractional) at which a student of `ability` succeeds with the target chance. */
export function targetLevel(
  ability: number,
  target: number = PRACTICE_RULES.targetSuccess,
): number {
  return 3 + (difficultyForSuccess(ability, target) - difficultyPrior(3)) / 150;
}

/** Levels 1-5, nearest `target` first (ties: the easier one). */
export function levelsNearest(target: number): number[] {
  return [...LEVELS].sort((a, b) => Math.abs(a - target) - Math.abs(b - target) || a - b);
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function abilities(
  trx: TenantDb,
  studentId: string,
  topics: readonly string[],
): Promise<Map<string, number>> {
  if (topics.length === 0) return new Map();
  const rows = await trx
    .selectFrom("mastery")
    .select(["topic", "rating"])
    .where("student_id", "=", studentId)
    .where("topic", "in", [...new Set(topics)])
    .execute();
  return new Map(rows.map((r) => [r.topic, r.rating]));
}

/** Each question's difficulty in this academy: its rating, else its level's prior. */
async function difficulties(
  trx: TenantDb,
  candidates: readonly Candidate[],
): Promise<Map<string, number>> {
  const out = new Map(candidates.map((c) => [c.id, difficultyPrior(c.difficulty)]));
  if (candidates.length === 0) return out;
  const rows = await trx
    .selectFrom("question_ratings")
    .select(["question_id", "rating"])
    .where(
      "question_id",
      "in",
      candidates.map((c) => c.id),
    )
    .execute();
  for (const r of rows) out.set(r.question_id, r.rating);
  return out;
}

/**
 * The question reads of one strand and level from `pivot` on (or, `before`,
 * up to it), minus `exclude`: a range scan of the practice index
 * `(bank, section, topic, difficulty, id)` (the EXPLAIN test and the bench
 * read this very query).
 */
export function strandLevelQuery(
  trx: TenantDb,
  bank: QuestionBank,
  strand: Strand,
  level: number,
  exclude: readonly string[],
  pivot: string,
  limit: number,
  side: "from" | "before" = "from",
) {
  let q = bankCandidates(trx, { bank, section: strand.section })
    .select(["eq.id", "eq.topic", "eq.section", "eq.difficulty"])
    .where("eq.topic", "=", strand.topic)
    .where("eq.difficulty", "=", level);
  if (exclude.length > 0) q = q.where("eq.id", "not in", [...exclude]);
  return q
    .where("eq.id", side === "from" ? ">=" : "<", pivot)
    .orderBy("eq.id")
    .limit(limit);
}

/**
 * Up to `limit` questions of one strand and level, not in `exclude`, from a
 * random point of the id order (wrapping round): one or two index range
 * scans.
 */
async function drawAt(
  trx: TenantDb,
  bank: QuestionBank,
  strand: Strand,
  level: number,
  exclude: readonly string[],
  limit: number,
): Promise<Candidate[]> {
  const pivot = randomUUID();
  const after = await strandLevelQuery(trx, bank, strand, level, exclude, pivot, limit).execute();
  if (after.length >= limit) return after;
  const before = await strandLevelQuery(
    trx,
    bank,
    strand,
    level,
    exclude,
    pivot,
    limit - after.length,
    "before",
  ).execute();
  return [...after, ...before];
}

function best(
  candidates: readonly Candidate[],
  ability: (topic: string) => number,
  rated: ReadonlyMap<string, number>,
): ChosenQuestion | null {
  let chosen: ChosenQuestion | null = null;
  let gap = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const p = eloExpected(ability(c.topic), rated.get(c.id) ?? difficultyPrior(c.difficulty));
    const g = Math.abs(p - PRACTICE_RULES.targetSuccess);
    if (g < gap) {
      gap = g;
      chosen = {
        questionId: c.id,
        topic: c.topic,
        section: c.section,
        difficulty: c.difficulty,
        predictedSuccess: p,
      };
    }
  }
  return chosen;
}

const plain = (c: Candidate): ChosenQuestion => ({
  questionId: c.id,
  topic: c.topic,
  section: c.section,
  difficulty: c.difficulty,
  predictedSuccess: null,
});

/** The next of a set's explicit questions: in order, or (adaptive) nearest the target. */
async function nextExplicit(
  trx: TenantDb,
  set: SetShape & { readonly questionIds: readonly string[] },
  studentId: string,
  presented: ReadonlySet<string>,
): Promise<ChosenQuestion | null> {
  const remaining = set.questionIds.filter((id) => !presented.has(id));
  if (remaining.length === 0) return null;
  const rows = await bankCandidates(trx, { bank: set.bank })
    .select(["eq.id", "eq.topic", "eq.section", "eq.difficulty"])
    .where("eq.id", "in", remaining)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pool = remaining.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
  if (!set.adaptive) return pool[0] ? plain(pool[0]) : null;
  const ability = await abilities(
    trx,
    studentId,
    pool.map((c) => c.topic),
  );
  return best(pool, (topic) => ability.get(topic) ?? ELO_START, await difficulties(trx, pool));
}

/**
 * The set's next question, or null when nothing is left to draw. Strands
 * take turns: the one with the fewest questions in the set so far goes next
 * (adaptive: the weakest topic first among those; non-adaptive: at random).
 */
export async function chooseNext(
  trx: TenantDb,
  set: SetShape,
  studentId: string,
  presented: readonly Presented[],
): Promise<ChosenQuestion | null> {
  const used = new Set(presented.map((p) => p.questionId));
  if (set.questionIds !== null)
    return nextExplicit(trx, { ...set, questionIds: set.questionIds }, studentId, used);

  const key = (s: { section: string | null; topic: string }) =>
    `${s.section ?? ""}\u0000${s.topic}`;
  const counts = new Map<string, number>();
  for (const p of presented) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
  const ability = set.adaptive
    ? await abilities(
        trx,
        studentId,
        set.strands.map((s) => s.topic),
      )
    : new Map<string, number>();
  const abilityOf = (topic: string) => ability.get(topic) ?? ELO_START;
  const order = (set.adaptive ? [...set.strands] : shuffled(set.strands)).sort(
    (a, b) =>
      (counts.get(key(a)) ?? 0) - (counts.get(key(b)) ?? 0) ||
      (set.adaptive ? abilityOf(a.topic) - abilityOf(b.topic) : 0),
  );
  const exclude = [...used];
  for (const strand of order) {
    const levels = set.adaptive
      ? levelsNearest(targetLevel(abilityOf(strand.topic)))
      : shuffled(LEVELS);
    for (const level of levels) {
      const found = await drawAt(
        trx,
        set.bank,
        strand,
        level,
        exclude,
        set.adaptive ? PRACTICE_RULES.candidatesPerLevel : 1,
      );
      if (found.length === 0) continue;
      if (!set.adaptive) return plain(found[0] as Candidate);
      return best(found, abilityOf, await difficulties(trx, found));
    }
  }
  return null;
}
