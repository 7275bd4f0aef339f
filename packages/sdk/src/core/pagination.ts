import type { Page } from "@skillbridge/core/contracts";
import type { APIPromise } from "./api-promise.js";

/** The most `toArray` collects: a guard against loading a whole table by accident. */
export const MAX_TO_ARRAY = 10_000;

/**
 * A list call. Nothing is requested until it is consumed:
 * - `for await (const item of list)` walks every page, following `nextCursor`;
 * - `await list.firstPage()` is one page, `{ data, nextCursor }`;
 * - `await list.toArray({ limit })` collects at most `limit` items;
 * - `for await (const page of list.pages())` walks page by page.
 *
 * Breaking out of a loop stops fetching. The request options (signal,
 * timeout, headers) apply to every page.
 *
 * @example
 * for await (const course of client.courses.list({ limit: 100 })) console.log(course.title);
 * const { data, nextCursor } = await client.courses.list().firstPage();
 * const firstTen = await client.courses.list().toArray({ limit: 10 });
 */
export class PagePromise<T> implements AsyncIterable<T> {
  readonly #fetchPage: (cursor: string | undefined) => APIPromise<Page<T>>;
  readonly #startCursor: string | undefined;

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
