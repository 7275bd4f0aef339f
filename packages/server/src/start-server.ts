import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
}

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, drains in-flight requests (bounded), then releases resources. */
  close(): Promise<void>;
}

/**
 * Listens with the app: header and request timeouts set, graceful shutdown on
 * SIGTERM (stop accepting, finish in-flight requests within a bound, close
 * limiters and, through `onClose`, the database).
 *
 * @example
 * const running = await startServer({ app, port: 3000, onClose: () => db.close() });
 * console.log(`listening on ${running.url}`);
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { app, host = "127.0.0.1", port = 3000, drainTimeoutMs = 10_000 } = options;
  const server = createHttpServer(app.callback());
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
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      await drained;
      clearTimeout(timer);
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
