import type { Page } from "@skillbridge/core/contracts";
import type { APIPromise, WithResponse } from "./api-promise.js";

/** The most `toArray` collects: a guard against loading a whole table by accident. */
export const MAX_TO_ARRAY = 10_000;

/**
 * A list call: a promise of the first page that is also an async iterable of
 * every item (as stripe-node's and groq-sdk's lists are). Nothing is
 * requested until it is consumed:
 * - `await list` is the first page, `{ data, nextCursor }`;
 * - `for await (const item of list)` walks every page, following `nextCursor`;
 * - `await list.toArray({ limit })` collects at most `limit` items;
 * - `for await (const page of list.pages())` walks page by page;
 * - `list.withResponse()` is the first page with its request id.
 *
 * Breaking out of a loop stops fetching. The request options (signal,
 * timeout, headers) apply to every page.
 *
 * @example
 * const { data, nextCursor } = await client.courses.list({ limit: 10 });
 * for await (const course of client.courses.list({ limit: 100 })) console.log(course.title);
 * const firstTen = await client.courses.list().toArray({ limit: 10 });
 */
export class PagePromise<T> implements AsyncIterable<T>, PromiseLike<Page<T>> {
  readonly #fetchPage: (cursor: string | undefined) => APIPromise<Page<T>>;
  readonly #startCursor: string | undefined;
  /** The first page, requested once on the first `await` (awaiting again does not repeat it). */
  #first: APIPromise<Page<T>> | undefined;

  constructor(
    fetchPage: (cursor: string | undefined) => APIPromise<Page<T>>,
    startCursor?: string | undefined,
  ) {
    this.#fetchPage = fetchPage;
    this.#startCursor = startCursor;
  }

  /** The first page (from the `cursor` given to `list`, if any); `.withResponse()` gives its request id. */
  firstPage(): APIPromise<Page<T>> {
    return this.#fetchPage(this.#startCursor);
  }

  #firstOnce(): APIPromise<Page<T>> {
    this.#first ??= this.firstPage();
    return this.#first;
  }

  /** The first page with its request id, status and headers. */
  withResponse(): Promise<WithResponse<Page<T>>> {
    return this.#firstOnce().withResponse();
  }

  // biome-ignore lint/suspicious/noThenProperty: awaiting a list gives its first page, as in stripe-node.
  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((page: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstOnce().then(onfulfilled, onrejected);
  }

  catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<Page<T> | R> {
    return this.#firstOnce().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<Page<T>> {
    return this.#firstOnce().finally(onfinally);
  }

  /** Every page in turn, until `nextCursor` is null. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.#startCursor;
    do {
      const page: Page<T> = await this.#fetchPage(cursor);
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /**
   * At most `limit` items (1..10,000), fetching only the pages needed.
   *
   * @example
   * const users = await client.users.list({ role: "student" }).toArray({ limit: 500 });
   */
  async toArray(options: { readonly limit: number }): Promise<T[]> {
    const { limit } = options;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TO_ARRAY) {
      throw new RangeError(`toArray needs a limit from 1 to ${MAX_TO_ARRAY}; got ${limit}.`);
    }
    const items: T[] = [];
    for await (const item of this) {
      items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  }
}
