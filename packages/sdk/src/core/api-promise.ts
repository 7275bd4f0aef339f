/** What the server said besides the body. */
export interface ResponseInfo {
  readonly status: number;
  /** The server's `x-request-id`: quote it when reporting a problem. */
  readonly requestId: string | null;
  /** Lowercased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Attempts made, 1 when no retry was needed. */
  readonly attempts: number;
}

/** The result of `.withResponse()`: the data and the response it came in. */
export interface WithResponse<T> {
  readonly data: T;
  readonly requestId: string | null;
  readonly response: ResponseInfo;
}

/**
 * What every SDK method returns: a promise of the contract type (`await`
 * gives exactly `Course`), plus `.withResponse()` for the request id, status
 * and headers. The request starts at once; awaiting it twice does not repeat it.
 *
 * @example
 * const { data: course, requestId } = await client.courses.get(id).withResponse();
 */
export class APIPromise<T> extends Promise<T> {
  readonly #result: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  // `then` on a subclass builds its result through the species: plain promises.
  static override get [Symbol.species]() {
    return Promise;
  }

  constructor(result: Promise<WithResponse<T>>) {
    // The base promise is a placeholder: `then`, `catch` and `finally` below read
    // `result`, so a rejection is reported once, to whoever awaits.
    super((resolve) => resolve(undefined as T));
    this.#result = result;
  }

  /** The data together with the request id, status, headers and attempt count. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#result;
  }

  #parsed(): Promise<T> {
    this.#data ??= this.#result.then((result) => result.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a promise subclass; awaiting it must read the result.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  override catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<T | R> {
    return this.#parsed().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parsed().finally(onfinally);
  }
}
