import type { APIPromise } from "../core/api-promise.js";
import {
  APIResource,
  type Query,
  type RawResponse,
  type RequestOptions,
} from "../core/resource.js";

/** A call to any route, for what the typed resources do not cover. */
export interface RawRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Under the API root, e.g. `/courses/7f1c…`; ids already encoded. */
  readonly path: string;
  readonly query?: Query | undefined;
  /** Sent as JSON. */
  readonly body?: unknown;
}

/** The escape hatch behind `client.rawRequest`: the SDK's one request path, without the contract types. */
export class Raw extends APIResource {
  send(request: RawRequest, options?: RequestOptions): APIPromise<RawResponse> {
    if (!request.path.startsWith("/")) {
      throw new TypeError(`The path must start with "/"; got "${request.path}".`);
    }
    return this.request<RawResponse>(
      {
        method: request.method,
        path: request.path,
        query: request.query,
        body: request.body,
        raw: true,
      },
      options,
    );
  }
}
