import type pg from "pg";

/** The parts of node-postgres's connection that carry COPY data (present, but not in its types). */
type CopyConnection = pg.Connection & {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
};

/**
 * `COPY ... FROM STDIN` on a node-postgres client: the statement, then `data`
 * (COPY text, one row per line) as CopyData messages, then CopyDone. A query
 * object of node-postgres's `Submittable` kind, as pg-copy-streams does it,
 * small enough to keep in core rather than add a dependency. Resolves with
 * the row count; rejects with the server's error (the client's transaction
 * is then aborted, as with any failed statement).
 */
class CopyIn implements pg.Submittable {
  readonly #text: string;
  readonly #data: Buffer;
  #rows = 0;
  #settle: { resolve: (rows: number) => void; reject: (error: Error) => void } | undefined;
  readonly done: Promise<number>;

  constructor(text: string, data: Buffer) {
    this.#text = text;
    this.#data = data;
    this.done = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
  }

  submit(connection: pg.Connection): void {
    connection.query(this.#text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    // One CopyData message per 1 MiB: the server reads rows across message boundaries.
    for (let at = 0; at < this.#data.length; at += 1 << 20)
      connection.sendCopyFromChunk(this.#data.subarray(at, at + (1 << 20)));
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.#rows = Number(/COPY (\d+)/.exec(message.text ?? "")?.[1] ?? 0);
  }

  handleReadyForQuery(): void {
    this.#settle?.resolve(this.#rows);
  }

  handleError(error: Error): void {
    this.#settle?.reject(error);
  }
}

/**
 * Streams COPY text into a table on `client` and resolves with the rows written.
 *
 * @example
 * await copyIn(client, "copy t (a, b) from stdin", "1\tx\n2\ty\n");
 */
export function copyIn(client: pg.ClientBase, statement: string, data: string): Promise<number> {
  const copy = new CopyIn(statement, Buffer.from(data, "utf8"));
  client.query(copy);
  return copy.done;
}
