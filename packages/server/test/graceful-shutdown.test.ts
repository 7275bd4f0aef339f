import { connect, type Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { Agent, Client, request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, type StartServerOptions, startServer } from "../src/index.js";
import { createTestApp, ENGINES, PLATFORM_ADMIN, type TestApp } from "./support/test-app.js";

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A raw TCP client, so a test controls exactly when each byte of a request is sent. */
class RawClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #data = "";
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.#data += chunk;
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => undefined);
    this.closed.then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      socket.once("connect", () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** The first complete HTTP response on the connection (Content-Length framed). */
  async response(): Promise<RawResponse> {
    for (;;) {
      const end = this.#data.indexOf("\r\n\r\n");
      if (end >= 0) {
        const [statusLine = "", ...lines] = this.#data.slice(0, end).split("\r\n");
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(":");
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers["content-length"] ?? 0);
        const body = this.#data.slice(end + 4);
        if (Buffer.byteLength(body) >= length)
          return { status: Number(statusLine.split(" ")[1]), headers, body };
      }
      if (this.socket.destroyed)
        throw new Error(`connection closed; got ${JSON.stringify(this.#data)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

/** A login whose body arrives in two parts: the request is in flight between `open` and `finish`. */
async function slowLogin(url: string): Promise<{ client: RawClient; finish(): void }> {
  const body = JSON.stringify({ email: PLATFORM_ADMIN.email, password: PLATFORM_ADMIN.password });
  const client = await RawClient.open(url);
  client.write(
    "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 12)}`,
  );
  // Let the server read the headers and start on the request.
  await sleep(150);
  return { client, finish: () => client.write(body.slice(12)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error code of a connection attempt, or "connected". */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("timeout");
    }, 2000);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? "error");
    });
  });
}

/** Tracks how a close() promise settles. */
function watch(promise: Promise<void>) {
  const state = { settled: false, at: 0 };
  const done = promise.then(() => {
    state.settled = true;
    state.at = performance.now();
  });
  return { state, done };
}

describe.each(ENGINES)("startServer and graceful shutdown on %s", (engine) => {
  let t: TestApp;
  const servers: RunningServer[] = [];
  const sockets: RawClient[] = [];

  const start = async (options: Partial<StartServerOptions> = {}) => {
    const running = await startServer({
      app: t.app,
      port: 0,
      handleSignals: false,
      drainTimeoutMs: 5_000,
      ...options,
    });
    servers.push(running);
    return running;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, {
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 60 },
    });
  });

  afterEach(async () => {
    for (const client of sockets.splice(0)) client.socket.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await t?.dispose();
  });

  const rawClient = async (url: string) => {
    const client = await RawClient.open(url);
    sockets.push(client);
    return client;
  };

  it("listens on 127.0.0.1 by default and serves the real app there", async () => {
    const running = await start();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const address = running.server.address();
    expect(address).toMatchObject({ address: "127.0.0.1", family: "IPv4" });
    const response = await request(`${running.url}/health`);
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ status: "ok" });
  });

  it("is not reachable on any non-loopback address", async () => {
    const running = await start();
    const port = Number(new URL(running.url).port);
    const others = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((info) => !info.internal)
      .map((info) => info.address);
    for (const host of [...others, "::1"]) {
      expect(await tryConnect(host, port), host).not.toBe("connected");
    }
    expect(await tryConnect("127.0.0.1", port)).toBe("connected");
  });

  it("close() lets an in-flight request finish before it resolves", async () => {
    let onCloseCalls = 0;
    const running = await start({
      drainTimeoutMs: 10_000,
      onClose: async () => {
        onCloseCalls += 1;
      },
    });
    const login = await slowLogin(running.url);
    sockets.push(login.client);
    const closing = watch(running.close());
    await sleep(300);
    expect(closing.state.settled).toBe(false);
    expect(onCloseCalls).toBe(0);

    login.finish();
    const response = await login.client.response();
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      tokenType: "Bearer",
      accessToken: expect.any(String),
      user: { email: PLATFORM_ADMIN.email },
    });
    // A client done with its connection hangs up (whether the server should is tested below).
    login.client.socket.end();
    await closing.done;
    expect(onCloseCalls).toBe(1);
    expect(running.server.listening).toBe(false);
  });

  it("refuses new connections as soon as close() has started", async () => {
    const running = await start({ drainTimeoutMs: 10_000 });
    const port = Number(new URL(running.url).port);
    const login = await slowLogin(running.url);
    sockets.push(login.client);
    const closing = running.close();
    await sleep(50);

    expect(await tryConnect("127.0.0.1", port)).toBe("ECONNREFUSED");
    const fresh = new Client(running.url);
    try {
      await expect(fresh.request({ method: "GET", path: "/health" })).rejects.toMatchObject({
        code: "ECONNREFUSED",
      });
    } finally {
      await fresh.destroy();
    }

    login.finish();
    expect((await login.client.response()).status).toBe(200);
    login.client.socket.end();
    await closing;
  });

  it("calls onClose exactly once, after the server stopped, however often close() is called", async () => {
    const seen: boolean[] = [];
    const original = t.app.closeResources;
    let resourceCloses = 0;
    t.app.closeResources = async () => {
      resourceCloses += 1;
      await original();
    };
    try {
      const running = await start({
        onClose: async () => {
          seen.push(running.server.listening);
        },
      });
      const first = running.close();
      const second = running.close();
      await Promise.all([first, second]);
      await running.close();
      expect(seen).toEqual([false]);
      expect(resourceCloses).toBe(1);
    } finally {
      t.app.closeResources = original;
    }
  });

  it("close() finishes within the drain bound even if a client keeps a request open", async () => {
    const drainTimeoutMs = 600;
    let onCloseCalls = 0;
    const running = await start({
      drainTimeoutMs,
      onClose: async () => {
        onCloseCalls += 1;
      },
    });
    // Headers and half a body, then silence: the request never completes.
    const stalled = await slowLogin(running.url);
    sockets.push(stalled.client);

    const started = performance.now();
    await running.close();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(drainTimeoutMs - 50);
    expect(elapsed).toBeLessThan(drainTimeoutMs + 2_000);
    await stalled.client.closed;
    expect(onCloseCalls).toBe(1);
  });

  it("an idle keep-alive connection does not hold the shutdown", async () => {
    const running = await start({ drainTimeoutMs: 30_000 });
    const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    try {
      const response = await request(`${running.url}/health`, { dispatcher: agent });
      expect(response.headers.connection).toBe("keep-alive");
      await response.body.json();
      const started = performance.now();
      await running.close();
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await agent.destroy();
    }
  });

  it("a connection that never sends a request does not hold the shutdown", async () => {
    const running = await start({ drainTimeoutMs: 8_000 });
    const silent = await rawClient(running.url);
    await sleep(100);
    const started = performance.now();
    await running.close();
    expect(performance.now() - started).toBeLessThan(3_000);
    await silent.closed;
  });

  it("a response finished while draining says Connection: close, and close() does not wait for keep-alive", async () => {
    const running = await start({ drainTimeoutMs: 30_000 });
    const login = await slowLogin(running.url);
    sockets.push(login.client);
    const closing = watch(running.close());
    await sleep(100);

    login.finish();
    const response = await login.client.response();
    const answeredAt = performance.now();
    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe("close");
    await closing.done;
    // The server's keep-alive timeout is 5 s: the drained connection must not sit out that wait.
    expect(closing.state.at - answeredAt).toBeLessThan(2_000);
  });

  it("with signal handling on, SIGTERM drains and closes, and the handlers are removed afterwards", async () => {
    const before = new Set(process.listeners("SIGTERM"));
    const beforeInt = process.listenerCount("SIGINT");
    let onCloseCalls = 0;
    const running = await start({
      handleSignals: true,
      onClose: async () => {
        onCloseCalls += 1;
      },
    });
    const added = process.listeners("SIGTERM").filter((l) => !before.has(l));
    expect(added).toHaveLength(1);
    expect(process.listenerCount("SIGINT")).toBe(beforeInt + 1);

    // Invoke the handler directly: a real signal would also reach the test runner.
    (added[0] as () => void)();
    await running.close();
    expect(onCloseCalls).toBe(1);
    expect(running.server.listening).toBe(false);
    expect(process.listeners("SIGTERM").filter((l) => !before.has(l))).toEqual([]);
    expect(process.listenerCount("SIGINT")).toBe(beforeInt);
  });

  it("with handleSignals false, no signal handler is installed", async () => {
    const term = process.listenerCount("SIGTERM");
    const int = process.listenerCount("SIGINT");
    await start({ handleSignals: false });
    expect(process.listenerCount("SIGTERM")).toBe(term);
    expect(process.listenerCount("SIGINT")).toBe(int);
  });
});
