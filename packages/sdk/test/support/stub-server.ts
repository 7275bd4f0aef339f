import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** Milliseconds since the stub started. */
  readonly at: number;
}

export interface StubServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A tiny `node:http` server on 127.0.0.1 for transport-level tests. `handler`
 * gets the request number (1-based) and the recorded request; it may answer,
 * destroy the socket, or never answer at all.
 */
export async function stubServer(
  handler: (res: ServerResponse, n: number, request: RecordedRequest, req: IncomingMessage) => void,
): Promise<StubServer> {
  const requests: RecordedRequest[] = [];
  const started = performance.now();
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        at: performance.now() - started,
      };
      requests.push(recorded);
      handler(res, requests.length, recorded, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON (or a problem document when `status` >= 400) with extra headers. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  res.writeHead(status, { "content-type": type, ...headers });
  res.end(JSON.stringify(body));
}

export function problem(status: number, code: string, detail: string) {
  return { type: `urn:skillbridge:problem:${code}`, title: "Error", status, detail, code };
}

export const COURSE = {
  id: "7f1c2a52-6d3e-4b0a-9a51-0c7e3c1d2b44",
  title: "SAT Math",
  description: null,
  instructorId: "0d9a8c1e-4f2b-4a6d-8e3c-5b7a9c1d2e3f",
  createdAt: "2026-01-02T03:04:05.000Z",
  updatedAt: "2026-01-02T03:04:05.000Z",
};
