import { createServer as createHttpServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleClientError } from "./client-error.js";
import type { SkillBridgeApp } from "./create-server.js";

export interface StartServerOptions {
  readonly app: SkillBridgeApp;
  readonly port?: number;
  readonly host?: string;
  /** How long to wait for in-flight requests on shutdown before cutting them (default 10 s). */
  readonly drainTimeoutMs?: number;
  /** Called once after the server stopped: close the database here. */
  readonly onClose?: () => Promise<void>;
  /** Handle SIGTERM and SIGINT by draining and closing (default true). */
  readonly handleSignals?: boolean;
  /**
   * Start the app's job worker with the server (default true). On close it
   * claims nothing more and finishes the job in hand before the database closes.
   */
  readonly workers?: boolean;
}

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, drains in-flight requests (bounded), then releases resources. */
  close(): Promise<void>;
}

/**
 * Listens with the app and starts its job worker: header and request
 * timeouts set, graceful shutdown on SIGTERM (stop accepting and claiming
 * jobs, finish in-flight requests within a bound and the job in hand, close
 * limiters and, through `onClose`, the database).
 *
 * @example
 * const running = await startServer({ app, port: 3000, onClose: () => db.close() });
 * console.log(`listening on ${running.url}`);
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { app, host = "127.0.0.1", port = 3000, drainTimeoutMs = 10_000 } = options;
  // Sockets and their in-flight requests, so shutdown can end idle connections
  // (keep-alive, or never used) at once and in-flight ones as they finish.
  const inFlight = new Map<Socket, number>();
  const responses = new Set<ServerResponse>();
  let draining = false;
  const handler = app.callback();
  const server = createHttpServer((req, res) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    responses.add(res);
    if (draining) res.setHeader("connection", "close");
    res.once("close", () => {
      responses.delete(res);
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (draining && left === 0) socket.destroySoon();
    });
    void handler(req, res);
  });
  // Requests Node's parser refuses get a problem document too, not a bare 400.
  server.on("clientError", handleClientError);
  server.on("connection", (socket) => {
    inFlight.set(socket, 0);
    socket.once("close", () => inFlight.delete(socket));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  if (options.workers !== false) app.workers?.start();
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      // No new jobs from here; the one in hand finishes while requests drain.
      const workersStopped = app.workers?.stop();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, requests] of inFlight) if (requests === 0) socket.destroySoon();
      // Responses still being prepared tell their clients not to reuse the connection.
      for (const res of responses) if (!res.headersSent) res.setHeader("connection", "close");
      const timer = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      await drained;
      clearTimeout(timer);
      await workersStopped;
      await app.closeResources();
      await options.onClose?.();
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    })();
    return closing;
  };
  const onSignal = () => {
    void close();
  };
  if (options.handleSignals !== false) {
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  }
  return { server, url: `http://${shownHost}:${address.port}`, close };
}
