/**
 * The event loop's turns (docs/server.md, "Fairness: the event loop").
 *
 * The academy gate orders tenant transactions, but on a busy server the
 * queue a quiet academy waits in is often not the gate's: it is the one
 * event loop, where every request's parsing, token check, limiter, handler
 * and answer run in the order their bytes arrived. Under a flood, a quiet
 * academy's request waits behind all the flood's work that arrived with it.
 *
 * So a request whose caller is pressing against its limit (its last
 * verdict left less than half its burst, the academy gate's `"later"` class)
 * does not start at once: it waits for a turn, and turns are handed out one
 * per pass of the event loop (`setImmediate`). Between two turns the loop
 * polls for new I/O, so a request of a caller inside its budget that arrives
 * meanwhile is taken in that poll and runs ahead of every waiting one.
 * Nobody is starved: every pass of the loop gives one turn, however busy
 * the other class keeps it.
 *
 * Whose request it is comes from the bearer token's claims *before* they are
 * verified, because verifying them is part of the work being ordered. That
 * is safe for ordering only: a forged token that names a pressed academy
 * waits longer, one that names another academy gets no further than the
 * verification that follows (401). Marks come only from the limiter's
 * verdicts on verified tokens. With no caller pressed, a request costs one
 * `Set#size` read.
 */
import type { Next } from "koa";
import type { AppContext } from "../state.js";
import { WaitQueue } from "./wait-queue.js";

/** Callers marked pressed at most; past it the marks start again from none. */
export const MAX_PRESSED = 100_000;

export class LoopTurns {
  readonly #queue = new WaitQueue();
  readonly #pressed = new Set<string>();
  readonly #maxPressed: number;
  #scheduled = false;

  constructor(maxPressed = MAX_PRESSED) {
    this.#maxPressed = maxPressed;
  }

  /** Records the limiter's latest verdict on `key` (an academy's or platform user's). */
  mark(key: string, pressed: boolean): void {
    if (!pressed) {
      this.#pressed.delete(key);
      return;
    }
    // Forgetting every mark costs at most one early start per caller; a set that only grew would not be bounded.
    if (this.#pressed.size >= this.#maxPressed && !this.#pressed.has(key)) this.#pressed.clear();
    this.#pressed.add(key);
  }

  isPressed(key: string): boolean {
    return this.#pressed.has(key);
  }

  /** Callers marked pressed now (diagnostics and tests). */
  get pressedCount(): number {
    return this.#pressed.size;
  }

  /** Requests waiting for a turn (diagnostics and tests). */
  get waiting(): number {
    return this.#queue.size;
  }

  /** Resolves at this request's turn: after the requests that asked before it, one per pass of the loop. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#give);
      }
    });
  }

  /** Whether a request with this `Authorization` header waits for a turn. */
  waits(authorization: string): boolean {
    if (this.#pressed.size === 0) return false;
    const key = claimedCaller(authorization);
    return key !== undefined && this.#pressed.has(key);
  }

  // One turn per pass: the waiter's work runs in this callback's microtasks,
  // and the next turn comes after the loop has polled again.
  readonly #give = (): void => {
    this.#queue.take()?.();
    if (this.#queue.size > 0) setImmediate(this.#give);
    else this.#scheduled = false;
  };
}

/** Longest payload segment read for ordering; a larger one waits for nothing (and is refused later). */
const MAX_CLAIMS_CHARS = 4_096;

/**
 * The limiter key a bearer token's claims name (`academy:<aid>` or
 * `platform:<sub>`), read without verifying the signature: for ordering
 * requests only, never for access.
 */
export function claimedCaller(authorization: string): string | undefined {
  if (!authorization.startsWith("Bearer ")) return undefined;
  const first = authorization.indexOf(".", 7);
  const second = first < 0 ? -1 : authorization.indexOf(".", first + 1);
  if (second < 0 || second - first > MAX_CLAIMS_CHARS) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(
      Buffer.from(authorization.slice(first + 1, second), "base64url").toString("utf8"),
    );
  } catch {
    return undefined;
  }
  if (claims === null || typeof claims !== "object") return undefined;
  const { aid, sub } = claims as { aid?: unknown; sub?: unknown };
  if (typeof aid === "string") return `academy:${aid}`;
  if (typeof sub === "string") return `platform:${sub}`;
  return undefined;
}

/** Middleware: a request of a pressed caller waits for its turn before anything else is done for it. */
export function takeLoopTurn(turns: LoopTurns) {
  // Not async: a request that does not wait adds no promise of its own.
  return (ctx: AppContext, next: Next): Promise<unknown> =>
    turns.waits(ctx.get("authorization")) ? turns.turn().then(next) : next();
}
