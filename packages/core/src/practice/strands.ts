import { sql } from "kysely";
import { BANK_SECTIONS, type QuestionBank, type QuestionSection } from "../contracts/index.js";
import { bankCandidates } from "../questions/bank-candidates.js";
import type { TenantDb } from "../tenancy/context.js";

/**
 * A strand is what one practice question is drawn from: a bank, a section
 * (null: questions nobody gave a section) and a topic. It is exactly the
 * prefix of the practice index `exam_questions (bank, section, topic,
 * difficulty, id)`, so every probe below is an index lookup.
 */
export interface Strand {
  readonly section: QuestionSection | null;
  readonly topic: string;
}

/** Most strands a set keeps (the bank's topics in a section can be many). */
export const MAX_STRANDS = 500;

type SectionFilter = QuestionSection | null;

function inSection(db: TenantDb, bank: QuestionBank, section: SectionFilter) {
  return bankCandidates(db, { bank, section });
}

/**
 * The distinct topics of one bank section, by a loose index scan: each step
 * asks the index for the smallest topic after the last one (a recursive
 * CTE of `min()` look-ups), so the cost follows the number of topics, not of
 * questions.
 */
async function topicsOf(
  trx: TenantDb,
  bank: QuestionBank,
  section: SectionFilter,
): Promise<string[]> {
  const rows = await trx
    .withRecursive("strand_topics(topic)", (db) =>
      db
        .selectNoFrom(() =>
          inSection(db as unknown as TenantDb, bank, section)
            .select((e) => e.fn.min("eq.topic").as("topic"))
            .$asScalar()
            .as("topic"),
        )
        .unionAll(
          db
            .selectFrom("strand_topics as st")
            .select(() =>
              inSection(db as unknown as TenantDb, bank, section)
                .select((e) => e.fn.min("eq.topic").as("topic"))
                .where("eq.topic", ">", sql<string>`${sql.ref("st.topic")}`)
                .$asScalar()
                .as("topic"),
            )
            .where("st.topic", "is not", null),
        ),
    )
    .selectFrom("strand_topics")
    .select("topic")
    .where("topic", "is not", null)
    .limit(MAX_STRANDS + 1)
    .execute();
  return rows.flatMap((r) => (r.topic === null ? [] : [r.topic]));
}

/** Whether a strand has at least one candidate question. */
async function hasQuestions(trx: TenantDb, bank: QuestionBank, strand: Strand): Promise<boolean> {
  const row = await inSection(trx, bank, strand.section)
    .select(sql<number>`1`.as("one"))
    .where("eq.topic", "=", strand.topic)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The strands a set draws from: the named topics in the named sections
 * (sections default to the bank's two plus "no section"; practice by section
 * uses only questions that have one), or every topic of those sections.
 * Ordered by section then topic; at most {@link MAX_STRANDS}.
 */
export async function resolveStrands(
  trx: TenantDb,
  bank: QuestionBank,
  filters: {
    readonly topics?: readonly string[] | undefined;
    readonly sections?: readonly QuestionSection[] | undefined;
  },
): Promise<Strand[]> {
  const sections: SectionFilter[] = filters.sections
    ? [...filters.sections]
    : [...BANK_SECTIONS[bank], null];
  const strands: Strand[] = [];
  for (const section of sections) {
    if (filters.topics) {
      for (const topic of filters.topics) {
        if (await hasQuestions(trx, bank, { section, topic })) strands.push({ section, topic });
      }
    } else {
      for (const topic of await topicsOf(trx, bank, section)) strands.push({ section, topic });
    }
    if (strands.length >= MAX_STRANDS) break;
  }
  return strands.slice(0, MAX_STRANDS);
}

/**
 * How many questions the strands hold, counting at most `enough`: each
 * strand's count is capped (`limit` in a sub-select, so an index scan of at
 * most `enough` rows), and counting stops once `enough` is reached.
 */
export async function countAvailable(
  trx: TenantDb,
  bank: QuestionBank,
  strands: readonly Strand[],
  enough: number,
): Promise<number> {
  let found = 0;
  for (const strand of strands) {
    const capped = inSection(trx, bank, strand.section)
      .select(sql<number>`1`.as("one"))
      .where("eq.topic", "=", strand.topic)
      .limit(enough - found);
    const row = await trx
      .selectFrom(capped.as("c"))
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    found += Number(row.n);
    if (found >= enough) break;
  }
  return found;
}
