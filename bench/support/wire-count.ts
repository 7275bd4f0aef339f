/**
 * Counts what this process sends PostgreSQL: every `pg.Client#query` call
 * (a statement, or one simple-protocol string), every ReadyForQuery message
 * the server sends (one per call), and the **waits**: calls made while the
 * connection had no call still unanswered. Without pipelining every call is a
 * wait (a round trip); in pipeline mode the calls written behind an unanswered
 * one share its wait, so `waits` is the number of round trips a request pays. The patches on pg's prototypes live only
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
  readonly waits: number;
}

/** The round trips `fn` makes (run nothing else on this process's pools meanwhile). */
export async function countWire(fn: () => Promise<unknown>): Promise<WireCount> {
  const calls: string[] = [];
  let readyForQuery = 0;
  let waits = 0;
  const unanswered = new Map<unknown, number>();
  const clientProto = pg.Client.prototype as unknown as { query: AnyMethod };
  const connectionProto = pg.Connection.prototype as unknown as { emit: AnyMethod };
  const originalQuery = clientProto.query;
  const ownEmit = Object.hasOwn(connectionProto, "emit");
  const originalEmit = connectionProto.emit;
  clientProto.query = function query(this: unknown, ...args: unknown[]) {
    calls.push(sqlOf(args[0]));
    const connection = (this as { connection: unknown }).connection;
    const open = unanswered.get(connection) ?? 0;
    if (open === 0) waits += 1;
    unanswered.set(connection, open + 1);
    return originalQuery.apply(this, args);
  };
  connectionProto.emit = function emit(this: unknown, ...args: unknown[]) {
    if (args[0] === "readyForQuery") {
      readyForQuery += 1;
      unanswered.set(this, Math.max(0, (unanswered.get(this) ?? 0) - 1));
    }
    return originalEmit.apply(this, args);
  };
  try {
    await fn();
  } finally {
    clientProto.query = originalQuery;
    if (ownEmit) connectionProto.emit = originalEmit;
    else delete (connectionProto as { emit?: AnyMethod }).emit;
  }
  return { calls, readyForQuery, waits };
}

export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
