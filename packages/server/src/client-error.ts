import type { Socket } from "node:net";
import { problem } from "./middleware/problem-details.js";

/**
 * What Node's HTTP parser refuses before the app sees a request (a control
 * character in a header value such as `Authorization` or `Idempotency-Key`,
 * a malformed request line, headers too large) is answered like every other
 * error: an RFC 9457 problem document, instead of Node's bare `400` with no
 * body. Attach it to any `http.Server` running the app:
 * `server.on("clientError", handleClientError)`; `startServer` does.
 *
 * @example
 * const server = http.createServer(app.callback());
 * server.on("clientError", handleClientError);
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset or timed-out connection has no one to answer (Node's own rule).
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const timedOut = error.code === "ERR_HTTP_REQUEST_TIMEOUT";
  const status = tooLarge ? 431 : timedOut ? 408 : 400;
  const document = problem(
    status,
    tooLarge ? "headers_too_large" : timedOut ? "request_timeout" : "bad_request",
    tooLarge
      ? "The request's headers are too large."
      : timedOut
        ? "The request took too long to arrive."
        : "The request is malformed: a header holds a character HTTP does not allow (a control character, say), or the request line is broken.",
  );
  const title = tooLarge
    ? "Request Header Fields Too Large"
    : timedOut
      ? "Request Timeout"
      : "Bad Request";
  const body = JSON.stringify({ ...document, title });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\n` +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}
