/** What the benchmark asks of a load process and what it answers (over IPC). */

export interface LoadRequest {
  readonly method?: "GET" | "POST";
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body (POST). */
  readonly body?: unknown;
}

export type LoadSpec =
  | {
      /** Closed loop: `connections` callers back to back for `durationMs`. */
      readonly mode: "closed";
      readonly url: string;
      readonly connections: number;
      readonly durationMs: number;
      /** Taken in turn, request i gets requests[i % length]. */
      readonly requests: readonly LoadRequest[];
    }
  | {
      /** Open loop: requests leave on schedule at `ratePerSecond`, whatever the latency. */
      readonly mode: "open";
      readonly url: string;
      readonly connections: number;
      readonly durationMs: number;
      readonly ratePerSecond: number;
      readonly requests: readonly LoadRequest[];
    }
  | {
      /** Each request once, in order, `connections` at a time. */
      readonly mode: "sequence";
      readonly url: string;
      readonly connections: number;
      readonly requests: readonly LoadRequest[];
    };

/**
 * An open loop's requests carry the moment they left the load process:
 * `performance.timeOrigin + performance.now()`, milliseconds on the wall
 * clock every process on the machine reads.
 */
export const SENT_AT_HEADER = "x-bench-sent-at";

export interface LoadResult {
  readonly elapsedMs: number;
  /** Latency of every answered request, ms, in completion order. */
  readonly latencies: number[];
  /** Answers by status code ("error" for a failed request). */
  readonly statuses: Record<string, number>;
  /** Latencies of 2xx answers only. */
  readonly okLatencies: number[];
  /**
   * Open loop, 2xx answers only: how late each request was handed to undici
   * after it was due (a late timer tick in this process: its share of the
   * latency spent before the request left), ms, in the order of `okLatencies`.
   */
  readonly okSendLateness: number[];
  /** The first response body of each status, cut to 300 characters (for diagnosis). */
  readonly samples: Record<string, string>;
}

export type ToWorker = { readonly type: "run"; readonly id: number; readonly spec: LoadSpec };
export type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "result"; readonly id: number; readonly result: LoadResult }
  | { readonly type: "error"; readonly id: number; readonly message: string };
