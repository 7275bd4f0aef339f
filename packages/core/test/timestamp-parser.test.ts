import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { parseTimestamptz } from "../src/db/timestamp-parser.js";
import { openTestDatabase } from "./support/engines.js";

// The pool reads `timestamptz` by character positions instead of through
// postgres-date (src/db/timestamp-parser.ts): it must give the very value
// node-postgres's own parser gives, for every text PostgreSQL can print.

const postgresDate = pg.types.getTypeParser(1184, "text") as (text: string) => unknown;

const same = (text: string) => {
  const ours = parseTimestamptz(text);
  const theirs = postgresDate(text);
  if (theirs instanceof Date) {
    expect(ours, text).toBeInstanceOf(Date);
    expect((ours as Date).getTime(), text).toBe(theirs.getTime());
  } else {
    expect(ours, text).toEqual(theirs);
  }
};

/** A seeded generator (xorshift): the same texts every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");

describe("parseTimestamptz", () => {
  it("gives postgres-date's Date for 20,000 UTC timestamps of every fraction length", () => {
    const next = random(0x5eed);
    for (let i = 0; i < 20_000; i += 1) {
      const year = 100 + Math.floor(next() * 9900);
      const fraction = Math.floor(next() * 7); // 0-6 digits
      const digits = Array.from({ length: fraction }, () => Math.floor(next() * 10)).join("");
      const text =
        `${pad(year, 4)}-${pad(1 + Math.floor(next() * 12), 2)}-${pad(1 + Math.floor(next() * 28), 2)} ` +
        `${pad(Math.floor(next() * 24), 2)}:${pad(Math.floor(next() * 60), 2)}:${pad(Math.floor(next() * 60), 2)}` +
        `${fraction ? `.${digits}` : ""}+00`;
      same(text);
    }
  });

  it("agrees on the edges, and leaves every other layout to postgres-date", () => {
    for (const text of [
      "2026-12-07 03:01:29.827+00",
      "2026-12-07 03:01:29.827123+00",
      "2026-12-07 03:01:29.999999+00",
      "2026-12-07 03:01:29.000001+00",
      "2024-02-29 23:59:59.5+00",
      "0100-01-01 00:00:00+00",
      "9999-12-31 23:59:59.999999+00",
      // Not the UTC layout: postgres-date's answer, whatever it is.
      "0050-06-01 12:00:00+00",
      "2026-12-07 03:01:29+05:30",
      "2026-12-07 03:01:29.5-08",
      "2026-12-07 03:01:29+01",
      "0044-03-15 12:00:00+00 BC",
      "2026-12-07 03:01:29.+00",
      "2026-12-07 03:01:29.1234567+00",
      "12026-12-07 03:01:29+00",
      "2026-12-07T03:01:29+00",
      "infinity",
      "-infinity",
      "2026-12-07",
    ])
      same(text);
  });

  it("is what a PostgreSQL pool of openDatabase returns", async (context) => {
    if (!process.env.SKILLBRIDGE_TEST_DATABASE_URL) context.skip();
    const { db, dispose } = await openTestDatabase("postgres");
    try {
      const rows = await sql<{ at: Date; text: string }>`
        select t as at, t::text as text
        from generate_series(timestamptz '1999-12-31 23:59:58.123456+00', timestamptz '2000-01-01 00:00:02+00',
                             interval '0.3337 second') as t
        union all select 'infinity'::timestamptz, 'infinity'
      `.execute(db.kysely);
      expect(rows.rows.length).toBeGreaterThan(10);
      for (const row of rows.rows) {
        const expected = postgresDate(row.text);
        if (expected instanceof Date) expect(row.at.getTime(), row.text).toBe(expected.getTime());
        else expect(row.at, row.text).toEqual(expected);
      }
    } finally {
      await dispose();
    }
  });
});
