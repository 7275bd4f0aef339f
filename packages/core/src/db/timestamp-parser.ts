import pg from "pg";

// node-postgres turns every `timestamptz` into a Date through postgres-date:
// three regular expressions, parseInts and a time-zone scan a value, about a
// microsecond each here, so a page of 20 courses (40 timestamps) spent about
// 40 µs of the request's CPU on it (#21: a CPU profile of the API's
// `GET /courses`). PostgreSQL prints a `timestamptz` in one fixed layout
// when the session's time zone is UTC (its `timezone` setting, UTC on a
// server set up in UTC, as this machine's is): `2026-12-07 03:01:29.827123+00`.
// Elsewhere every value takes the fallback below. That layout is read here by
// character positions, to the very Date postgres-date makes (its
// milliseconds computed the same way, so they round alike); anything else
// (another zone's offset, a year before 100 or after 9999, BC, infinity) goes
// to postgres-date as before.

const TIMESTAMPTZ = 1184;

const defaultParser = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (text: string) => unknown;

/** The number the digits at `from` (inclusive) to `to` (exclusive) spell, or -1 if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i += 1) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * A `timestamptz` as PostgreSQL prints it, to what node-postgres's own parser
 * gives (a Date; a number for ±infinity).
 *
 * @example
 * parseTimestamptz("2026-12-07 03:01:29.827123+00"); // 2026-12-07T03:01:29.827Z
 */
export function parseTimestamptz(text: string): unknown {
  const end = text.length;
  // YYYY-MM-DD HH:MM:SS, then an optional fraction, then "+00".
  if (
    end < 22 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(end - 3) !== 43 ||
    text.charCodeAt(end - 2) !== 48 ||
    text.charCodeAt(end - 1) !== 48
  )
    return defaultParser(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  // Years 0-99 are 1900-1999 to Date.UTC: postgres-date corrects them, so they go there.
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0)
    return defaultParser(text);
  let ms = 0;
  if (end > 22) {
    // ".f" to ".ffffff" between the seconds and the offset.
    if (end < 24 || end > 29 || text.charCodeAt(19) !== 46 || digits(text, 20, end - 3) < 0)
      return defaultParser(text);
    // As postgres-date computes it (1000 * parseFloat(".827123")), so it truncates alike.
    ms = 1000 * Number.parseFloat(text.slice(19, end - 3));
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

/**
 * node-postgres type parsers for a pool (`types`): its own, with
 * {@link parseTimestamptz} for `timestamptz`.
 */
export const POOL_TYPES = {
  getTypeParser(oid: number, format?: "text" | "binary"): unknown {
    if (oid === TIMESTAMPTZ && format !== "binary") return parseTimestamptz;
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  },
};
