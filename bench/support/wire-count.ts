/**
 * Counts round trips to PostgreSQL made by this process: every
 * `pg.Client#query` call and, as a wire-level cross check, every
 * ReadyForQuery message the server sends (one per round trip in both the
 * simple and the extended protocol). The patches on pg's prototypes live only
 * while `countWire` runs, so they never slow (or show up in a profile of) a
 * measured segment.
 */
import pg from "pg";

type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

function sqlOf(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (arg !== null && typeof arg === "object" && "text" in arg) return String(arg.text);
  return String(arg);
}

export interface WireCount {
  readonly calls: readonly string[];
  readonly readyForQuery: number;
}

/** The round trips `fn` makes (run nothing else on this process's pools meanwhile). */
export async function countWire(fn: () => Promise<unknown>): Promise<WireCount> {
  const calls: string[] = [];
  let readyForQuery = 0;
  const clientProto = pg.Client.prototype as unknown as { query: AnyMethod };
  const connectionProto = pg.Connection.prototype as unknown as { emit: AnyMethod };
  const originalQuery = clientProto.query;
  const ownEmit = Object.hasOwn(connectionProto, "emit");
  const originalEmit = connectionProto.emit;
  clientProto.query = function query(this: unknown, ...args: unknown[]) {
    calls.push(sqlOf(args[0]));
    return originalQuery.apply(this, args);
  };
  connectionProto.emit = function emit(this: unknown, ...args: unknown[]) {
    if (args[0] === "readyForQuery") readyForQuery += 1;
    return originalEmit.apply(this, args);
  };
  try {
    await fn();
  } finally {
    clientProto.query = originalQuery;
    if (ownEmit) connectionProto.emit = originalEmit;
    else delete (connectionProto as { emit?: AnyMethod }).emit;
  }
  return { calls, readyForQuery };
}

export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
