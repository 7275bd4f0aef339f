import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CursorCodec, type CursorPosition, InvalidCursorError } from "../src/index.js";

const SECRET = "cursor-test-secret";
const POSITION: CursorPosition = {
  createdAt: "2025-03-04 05:06:07.123456+00",
  id: "5d3c8a4e-1f2b-4c6d-8e9f-0a1b2c3d4e5f",
};

/**
 * Builds a cursor the way the codec does (base64url JSON payload, HMAC-SHA256
 * truncated to 16 bytes), so that payloads the codec would never produce can
 * be given a valid signature. The first test checks this stays in step.
 */
function signed(payload: unknown, secret: string = SECRET): string {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const signature = createHmac("sha256", secret).update(body).digest().subarray(0, 16);
  return `${body}.${signature.toString("base64url")}`;
}

function rawSigned(bytes: string, secret: string = SECRET): string {
  const body = Buffer.from(bytes).toString("base64url");
  const signature = createHmac("sha256", secret).update(body).digest().subarray(0, 16);
  return `${body}.${signature.toString("base64url")}`;
}

describe("CursorCodec round trips", () => {
  it("a cursor built outside the codec with its secret and format decodes (the helper is in step)", () => {
    const codec = new CursorCodec(SECRET);
    expect(codec.decode("courses", signed(["courses", POSITION.createdAt, POSITION.id]))).toEqual(
      POSITION,
    );
  });

  it("decode gives back exactly the position that was encoded, microseconds included", () => {
    const codec = new CursorCodec(SECRET);
    const cursor = codec.encode("courses", POSITION);
    expect(codec.decode("courses", cursor)).toEqual(POSITION);
  });

  it("another codec with the same secret, as a string or a Buffer, decodes the cursor", () => {
    const cursor = new CursorCodec(SECRET).encode("users", POSITION);
    expect(new CursorCodec(SECRET).decode("users", cursor)).toEqual(POSITION);
    expect(new CursorCodec(Buffer.from(SECRET, "utf8")).decode("users", cursor)).toEqual(POSITION);
  });

  it("a cursor is one URL-safe token", () => {
    const cursor = new CursorCodec(SECRET).encode("submissions:*:*", POSITION);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("list names with separators and odd characters round trip", () => {
    const codec = new CursorCodec(SECRET);
    const list = `assignments:${POSITION.id}:"quoted".dotted`;
    expect(codec.decode(list, codec.encode(list, POSITION))).toEqual(POSITION);
  });
});

describe("CursorCodec rejects", () => {
  const codec = new CursorCodec(SECRET);
  const cursor = codec.encode("courses", POSITION);
  const [payload = "", signature = ""] = cursor.split(".");

  it("a cursor whose payload was altered (signature kept)", () => {
    const altered = Buffer.from(
      JSON.stringify(["courses", POSITION.createdAt, "00000000-0000-4000-8000-000000000000"]),
    ).toString("base64url");
    expect(() => codec.decode("courses", `${altered}.${signature}`)).toThrow(InvalidCursorError);
  });

  it("a cursor whose signature was altered", () => {
    const middle = Math.floor(signature.length / 2);
    const flipped = signature[middle] === "A" ? "B" : "A";
    const altered = `${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
    expect(() => codec.decode("courses", `${payload}.${altered}`)).toThrow(InvalidCursorError);
  });

  it("a cursor signed with another secret (forged)", () => {
    const forged = new CursorCodec("some-other-secret").encode("courses", POSITION);
    expect(() => codec.decode("courses", forged)).toThrow(InvalidCursorError);
    expect(() =>
      codec.decode("courses", signed(["courses", POSITION.createdAt, POSITION.id], "x")),
    ).toThrow(InvalidCursorError);
  });

  it("a cursor of a codec with a random secret, in another codec with a random secret", () => {
    const a = new CursorCodec();
    const b = new CursorCodec();
    const fromA = a.encode("courses", POSITION);
    expect(a.decode("courses", fromA)).toEqual(POSITION);
    expect(() => b.decode("courses", fromA)).toThrow(InvalidCursorError);
  });

  it("a cursor of another list", () => {
    expect(() => codec.decode("users", cursor)).toThrow(InvalidCursorError);
    const filtered = codec.encode(`submissions:${POSITION.id}:*`, POSITION);
    expect(() => codec.decode("submissions:*:*", filtered)).toThrow(InvalidCursorError);
  });

  it.each([
    ["an empty string", ""],
    ["a word", "garbage"],
    ["a lone dot", "."],
    ["a payload without signature", `${payload}.`],
    ["a signature without payload", `.${signature}`],
    ["a short signature", `${payload}.${signature.slice(0, 8)}`],
    ["three parts", `${cursor}.extra`],
    ["non-ASCII noise", "ünïcødé.☃"],
  ])("garbage: %s", (_label, garbage) => {
    expect(() => codec.decode("courses", garbage)).toThrow(InvalidCursorError);
  });

  it.each([
    ["a payload that is not JSON", rawSigned("not json at all")],
    ["a JSON object instead of a list", signed({ list: "courses", id: POSITION.id })],
    ["a list of the wrong length", signed(["courses", POSITION.createdAt])],
    ["a list with an extra element", signed(["courses", POSITION.createdAt, POSITION.id, 1])],
    ["a numeric creation time", signed(["courses", 1741064767, POSITION.id])],
    ["an id that is not a UUID", signed(["courses", POSITION.createdAt, "1 or 1=1"])],
    ["a numeric id", signed(["courses", POSITION.createdAt, 42])],
  ])("a correctly signed cursor with a malformed payload: %s", (_label, malformed) => {
    expect(() => codec.decode("courses", malformed)).toThrow(InvalidCursorError);
  });

  it("rejections are typed 400s with the invalid_cursor code", () => {
    let caught: unknown;
    try {
      codec.decode("users", cursor);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCursorError);
    expect(caught).toMatchObject({ code: "invalid_cursor", status: 400 });
  });
});
