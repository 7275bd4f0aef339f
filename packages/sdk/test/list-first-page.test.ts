import { afterEach, describe, expect, it } from "vitest";
import { SkillBridge } from "../src/index.js";
import { COURSE, json, type StubServer, stubServer } from "./support/stub-server.js";

// `await client.courses.list()` is the first page, as in stripe-node and
// groq-sdk; `for await` over the same call still walks every page.

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** Three courses in pages of two; the cursor is the index of the next one. */
async function twoPages(): Promise<StubServer> {
  const courses = [1, 2, 3].map((n) => ({ ...COURSE, id: COURSE.id.replace(/.$/, String(n)) }));
  return stubServer((res, _n, request) => {
    const cursor = new URL(request.url, "http://x").searchParams.get("cursor");
    const from = cursor === null ? 0 : Number(cursor);
    json(
      res,
      200,
      {
        data: courses.slice(from, from + 2),
        nextCursor: from + 2 < courses.length ? String(from + 2) : null,
      },
      { "x-request-id": `page-${from}` },
    );
  });
}

const client = (url: string) => new SkillBridge({ baseUrl: url, token: "t", maxRetries: 0 });

describe("a list call", () => {
  it("awaited, resolves to the first page: { data, nextCursor }", async () => {
    stub = await twoPages();
    const page = await client(stub.url).courses.list({ limit: 2 });
    expect(page.data.map((c) => c.id.at(-1))).toEqual(["1", "2"]);
    expect(page.nextCursor).toBe("2");
    expect(stub.requests.map((r) => r.url)).toEqual(["/api/v1/courses?limit=2"]);
  });

  it("iterated with for await, walks every page", async () => {
    stub = await twoPages();
    const ids: string[] = [];
    for await (const course of client(stub.url).courses.list({ limit: 2 })) ids.push(course.id);
    expect(ids.map((id) => id.at(-1))).toEqual(["1", "2", "3"]);
    expect(stub.requests).toHaveLength(2);
  });

  it("asks for the first page once however often it is awaited, and gives its request id", async () => {
    stub = await twoPages();
    const list = client(stub.url).courses.list();
    expect(stub.requests).toHaveLength(0);
    const [a, b] = await Promise.all([list, list]);
    expect(a).toEqual(b);
    const { requestId, data } = await list.withResponse();
    expect(requestId).toBe("page-0");
    expect(data.data).toHaveLength(2);
    expect(stub.requests).toHaveLength(1);
  });

  it("a failing first page rejects the await, and catch sees the typed error", async () => {
    stub = await stubServer((res) =>
      json(res, 403, {
        type: "about:blank",
        title: "Forbidden",
        status: 403,
        detail: "Not for you.",
        code: "forbidden",
      }),
    );
    const error = await client(stub.url)
      .courses.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, code: "forbidden" });
  });
});
