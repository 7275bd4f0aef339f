import { describe, expect, it } from "vitest";
import { errorFromResponse } from "../src/errors/factory.js";
import {
  AbortError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  isSkillBridgeError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ResponseValidationError,
  SkillBridgeError,
  TimeoutError,
  ValidationError,
} from "../src/index.js";
import { problem } from "./support/stub-server.js";

const headers = { "x-request-id": "req-123" };

describe("errorFromResponse maps problem documents to typed errors", () => {
  it.each([
    [400, "validation_failed", ValidationError],
    [422, "validation_failed", ValidationError],
    [401, "unauthenticated", AuthenticationError],
    [403, "forbidden", PermissionError],
    [403, "academy_suspended", PermissionError],
    [404, "not_found", NotFoundError],
    [409, "conflict", ConflictError],
    [429, "rate_limited", RateLimitError],
    [500, "internal", InternalServerError],
    [503, "unavailable", InternalServerError],
  ])("%i %s becomes %o", (status, code, Class) => {
    const body = problem(status, code, "Something specific.");
    const error = errorFromResponse({ status, headers, body, label: "GET /courses" });
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(SkillBridgeError);
    expect(error.name).toBe(Class.name);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.requestId).toBe("req-123");
    expect(error.problem).toEqual(body);
    expect(error.message).toBe(`Something specific. (${status} on GET /courses)`);
  });

  it("a 400 carries the field errors of the problem document", () => {
    const body = {
      ...problem(400, "validation_failed", "The request body is not valid."),
      errors: [
        { path: "admin.email", message: "Invalid email address" },
        { path: "slug", message: "Too small" },
      ],
    };
    const error = errorFromResponse({ status: 400, headers, body });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual(body.errors);
  });

  it("an invalid cursor is a ValidationError with its own code and no field errors", () => {
    const error = errorFromResponse({
      status: 400,
      headers,
      body: problem(400, "invalid_cursor", "The cursor is not valid for this list."),
    });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe("invalid_cursor");
    expect((error as ValidationError).fieldErrors).toEqual([]);
  });

  it("a 429 reads Retry-After in seconds", () => {
    const error = errorFromResponse({
      status: 429,
      headers: { ...headers, "retry-after": "42" },
      body: problem(429, "rate_limited", "Slow down."),
    });
    expect((error as RateLimitError).retryAfter).toBe(42);
  });

  it("a 429 reads Retry-After as an HTTP date", () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const error = errorFromResponse({
      status: 429,
      headers: { "retry-after": at },
      body: problem(429, "rate_limited", "Slow down."),
    }) as RateLimitError;
    expect(error.retryAfter).toBeGreaterThanOrEqual(28);
    expect(error.retryAfter).toBeLessThanOrEqual(30);
  });

  it("a 429 without Retry-After has retryAfter undefined", () => {
    const error = errorFromResponse({ status: 429, headers: {}, body: "" }) as RateLimitError;
    expect(error.retryAfter).toBeUndefined();
  });

  it("a body that is not a problem document (a proxy's page) still gets a class and a code", () => {
    const error = errorFromResponse({ status: 502, headers: {}, body: "<html>Bad Gateway</html>" });
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.code).toBe("internal");
    expect(error.problem).toBeUndefined();
    expect(error.requestId).toBeNull();
    expect(error.message).toBe("The server answered 502.");

    const notFound = errorFromResponse({ status: 404, headers: {}, body: { error: "nope" } });
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.code).toBe("not_found");
  });

  it("an unmapped status (413) is a plain SkillBridgeError keeping the server's code", () => {
    const error = errorFromResponse({
      status: 413,
      headers,
      body: problem(413, "payload_too_large", "The request body is too large."),
    });
    expect(error.constructor).toBe(SkillBridgeError);
    expect(error.code).toBe("payload_too_large");
    expect(error.status).toBe(413);
  });

  it("toJSON carries what a log needs", () => {
    const body = problem(404, "not_found", "Course not found.");
    const error = errorFromResponse({ status: 404, headers, body });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "NotFoundError",
      code: "not_found",
      status: 404,
      message: "Course not found.",
      requestId: "req-123",
      problem: body,
    });
  });
});

describe("the error hierarchy and its guard", () => {
  it("timeouts are connection errors; aborts and validation failures are not", () => {
    expect(new TimeoutError("timeout", "x")).toBeInstanceOf(ConnectionError);
    expect(new AbortError("aborted", "x")).not.toBeInstanceOf(ConnectionError);
    const invalid = new ResponseValidationError("bad", {
      status: 200,
      issues: [{ path: "data.0.id", message: "Invalid UUID" }],
    });
    expect(invalid.code).toBe("invalid_response");
    expect(invalid.issues).toHaveLength(1);
  });

  it("isSkillBridgeError checks the Symbol.for brand, not instanceof", () => {
    expect(isSkillBridgeError(new NotFoundError("not_found", "x"))).toBe(true);
    expect(isSkillBridgeError(new Error("x"))).toBe(false);
    expect(isSkillBridgeError(null)).toBe(false);
    expect(isSkillBridgeError("not_found")).toBe(false);
    // An error from another copy of the SDK (another bundle, a duplicate install).
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("@skillbridge/sdk.error")]: true,
    });
    expect(foreign instanceof SkillBridgeError).toBe(false);
    expect(isSkillBridgeError(foreign)).toBe(true);
  });

  it("the brand is not enumerable, so errors compare and print cleanly", () => {
    const error = new ConflictError("conflict", "Slug taken.");
    expect(
      Object.getOwnPropertyDescriptor(error, Symbol.for("@skillbridge/sdk.error"))?.enumerable,
    ).toBe(false);
  });
});
