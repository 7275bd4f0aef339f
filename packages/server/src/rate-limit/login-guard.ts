import { RateLimitedError } from "@skillbridge/core";
import type { RateLimiterRes } from "rate-limiter-flexible";
import type { AppContext } from "../state.js";
import { isRateLimitVerdict } from "./limiters.js";

/**
 * Sign-in limits that stop guessing without locking the owner out (#18
 * finding 7; docs/server.md, "Sign-in limits"). What is counted is failures,
 * per client (its IP) and per (account, client); so a stranger's wrong
 * passwords never spend the owner's budget. An account that many clients fail
 * on (`perAccountAllClients`) is under attack: from then on a client that has
 * already failed on it is refused, so each attacking address gets one guess a
 * window, while a client that has not failed is still let in.
 *
 * A point is taken before the password is checked, so guesses sent in
 * parallel are counted before their hashes finish; a successful sign-in (or a
 * right password for a suspended academy) gives it back.
 */
export class SignInAttempt {
  readonly #ctx: AppContext;
  readonly #account: string;
  readonly #pair: string;
  /** This client's earlier failures (or attempts in flight) on this account. */
  #earlier = 0;

  private constructor(ctx: AppContext, account: string) {
    this.#ctx = ctx;
    this.#account = account;
    this.#pair = `${account}\u0000${ctx.ip}`;
  }

  /** Admits one attempt on `account` from this request's client, or throws a 429. */
  static async begin(ctx: AppContext, account: string): Promise<SignInAttempt> {
    const attempt = new SignInAttempt(ctx, account);
    const { limiters } = ctx.deps;
    await refuseOnVerdict(limiters.loginPerIp.consume(ctx.ip));
    const pair = await refuseOnVerdict(limiters.loginPerAccountClient.consume(attempt.#pair));
    attempt.#earlier = pair.consumedPoints - 1;
    // This client failed on this account before (the point just taken is this attempt's).
    if (pair.consumedPoints > 1) {
      const account = await limiters.loginPerAccount.get(attempt.#account);
      if (account && account.consumedPoints >= limiters.loginPerAccount.points)
        throw tooMany(account.msBeforeNext);
    }
    return attempt;
  }

  /**
   * The password was right: the attempt is given back, and this client's
   * failures on the account are forgotten, in the account's count too (the
   * owner's own typos do not make the account look under attack).
   */
  async succeeded(): Promise<void> {
    const { limiters } = this.#ctx.deps;
    await Promise.all([
      limiters.loginPerIp.reward(this.#ctx.ip, 1),
      limiters.loginPerAccountClient.delete(this.#pair),
      this.#earlier > 0
        ? limiters.loginPerAccount.reward(this.#account, this.#earlier)
        : Promise.resolve(),
    ]);
  }

  /** The password (or email, or academy) was wrong: the account's failures from all clients grow. */
  async failed(): Promise<void> {
    await this.#ctx.deps.limiters.loginPerAccount.penalty(this.#account, 1);
  }
}

/** "Too many failed sign-ins. Try again in 14 minutes." (minutes rounded up). */
export function tooMany(msBeforeNext: number): RateLimitedError {
  const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
  return new RateLimitedError(
    msBeforeNext / 1000,
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  );
}

async function refuseOnVerdict(consumed: Promise<RateLimiterRes>): Promise<RateLimiterRes> {
  try {
    return await consumed;
  } catch (rejection) {
    if (!isRateLimitVerdict(rejection)) throw rejection;
    throw tooMany(rejection.msBeforeNext);
  }
}
