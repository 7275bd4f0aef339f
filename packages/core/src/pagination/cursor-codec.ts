import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { InvalidCursorError } from "../errors.js";

/** Where a keyset page ends: the last row's creation time (exact, as Postgres text) and id. */
export interface CursorPosition {
  readonly createdAt: string;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opaque, tamper-proof list cursors: the position plus the list it belongs to,
 * signed with HMAC-SHA256. A forged or altered cursor, or one from another
 * list, is an {@link InvalidCursorError} (400), never a query.
 *
 * @example
 * const codec = new CursorCodec(secret);
 * const cursor = codec.encode("courses", { createdAt, id });
 * codec.decode("courses", cursor); // { createdAt, id }
 */
export class CursorCodec {
  readonly #key: Buffer;

  constructor(secret: string | Buffer = randomBytes(32)) {
    this.#key = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  }

  #sign(payload: string): Buffer {
    return createHmac("sha256", this.#key).update(payload).digest().subarray(0, 16);
  }

  encode(list: string, position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify([list, position.createdAt, position.id])).toString(
      "base64url",
    );
    return `${payload}.${this.#sign(payload).toString("base64url")}`;
  }

  decode(list: string, cursor: string): CursorPosition {
    const [payload, signature, extra] = cursor.split(".");
    if (!payload || !signature || extra !== undefined) throw new InvalidCursorError();
    const given = Buffer.from(signature, "base64url");
    const expected = this.#sign(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new InvalidCursorError();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      throw new InvalidCursorError();
    }
    if (!Array.isArray(parsed) || parsed.length !== 3) throw new InvalidCursorError();
    const [forList, createdAt, id] = parsed as unknown[];
    if (
      forList !== list ||
      typeof createdAt !== "string" ||
      typeof id !== "string" ||
      !UUID.test(id)
    ) {
      throw new InvalidCursorError();
    }
    return { createdAt, id };
  }
}
