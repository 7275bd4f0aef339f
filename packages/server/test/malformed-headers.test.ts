import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/index.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// A header Node's HTTP parser refuses never reaches the app: the server's
// `clientError` handler answers it, as a problem document like every other
// error, on a real socket (#22).

/** Sends raw bytes and reads the whole answer until the server closes. */
function raw(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request, "latin1"));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

function parse(answer: string) {
  const [head = "", body = ""] = answer.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => {
      const at = line.indexOf(":");
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

describe.each(ENGINES)("malformed headers on %s", (engine) => {
  let t: TestApp;
  let running: RunningServer;
  beforeAll(async () => {
    t = await createTestApp(engine);
    running = await startServer({ app: t.app, port: 0, handleSignals: false, workers: false });
  });
  afterAll(async () => {
    await running?.close();
    await t?.dispose();
  });

  it.each([
    ["a control character in Authorization", "Authorization: Bearer abc\u0001def"],
    ["a control character in Idempotency-Key", "Idempotency-Key: key\u0007one"],
    ["a NUL in Idempotency-Key", "Idempotency-Key: key\u0000one"],
  ])("%s is a 400 problem document, not Node's bare 400", async (_, header) => {
    const answer = parse(
      await raw(
        running.url,
        `POST /api/v1/courses HTTP/1.1\r\nHost: x\r\n${header}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.headers["content-type"]).toBe("application/problem+json");
    expect(answer.headers.connection).toBe("close");
    const problem = JSON.parse(answer.body);
    expect(problem).toMatchObject({ status: 400, code: "bad_request", title: "Bad Request" });
    expect(Buffer.byteLength(answer.body)).toBe(Number(answer.headers["content-length"]));
  });

  it("a well-formed request on the same server is answered by the app as usual", async () => {
    const answer = parse(
      await raw(running.url, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: "ok" });
  });
});
