import type { Page } from "@skillbridge/core/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { APIPromise } from "../src/core/api-promise.js";
import { MAX_TO_ARRAY, PagePromise } from "../src/core/pagination.js";
import { SkillBridge } from "../src/index.js";
import { COURSE, json, type StubServer, stubServer } from "./support/stub-server.js";

/** Items 1..total in pages of `size`; the cursor is the index of the next item. */
function fakeList(total: number, size: number, start?: string) {
  const cursors: (string | undefined)[] = [];
  const list = new PagePromise<number>((cursor) => {
    cursors.push(cursor);
    const from = cursor === undefined ? 0 : Number(cursor);
    const data = Array.from({ length: Math.min(size, total - from) }, (_, i) => from + i + 1);
    const next = from + size < total ? String(from + size) : null;
    const page: Page<number> = { data, nextCursor: next };
    const response = { status: 200, requestId: `page-${from}`, headers: {}, attempts: 1 };
    return new APIPromise(Promise.resolve({ data: page, requestId: response.requestId, response }));
  }, start);
  return { list, cursors };
}

describe("PagePromise", () => {
  it("requests nothing until it is consumed", () => {
    const { cursors } = fakeList(5, 2);
    expect(cursors).toEqual([]);
  });

  it("for await walks every page, following nextCursor", async () => {
    const { list, cursors } = fakeList(5, 2);
    const items: number[] = [];
    for await (const item of list) items.push(item);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(cursors).toEqual([undefined, "2", "4"]);
  });

  it("firstPage is one page with its cursor, and its request id", async () => {
    const { list, cursors } = fakeList(5, 2);
    expect(await list.firstPage()).toEqual({ data: [1, 2], nextCursor: "2" });
    const { requestId } = await list.firstPage().withResponse();
    expect(requestId).toBe("page-0");
    expect(cursors).toEqual([undefined, undefined]);
  });

  it("starts from the cursor given to list", async () => {
    const { list, cursors } = fakeList(5, 2, "2");
    expect(await list.toArray({ limit: 100 })).toEqual([3, 4, 5]);
    expect(cursors).toEqual(["2", "4"]);
  });

  it("toArray collects at most limit items and fetches only the pages it needs", async () => {
    const { list, cursors } = fakeList(9, 2);
    expect(await list.toArray({ limit: 3 })).toEqual([1, 2, 3]);
    expect(cursors).toEqual([undefined, "2"]);
    expect(await fakeList(3, 2).list.toArray({ limit: 10 })).toEqual([1, 2, 3]);
  });

  it("toArray refuses a missing, fractional or huge limit", async () => {
    const { list } = fakeList(3, 2);
    for (const limit of [0, -1, 1.5, Number.NaN, MAX_TO_ARRAY + 1]) {
      await expect(list.toArray({ limit })).rejects.toBeInstanceOf(RangeError);
    }
  });

  it("breaking out of a loop stops fetching", async () => {
    const { list, cursors } = fakeList(100, 10);
    for await (const item of list) if (item === 12) break;
    expect(cursors).toEqual([undefined, "10"]);
  });

  it("pages() yields whole pages", async () => {
    const { list } = fakeList(5, 2);
    const pages: Page<number>[] = [];
    for await (const page of list.pages()) pages.push(page);
    expect(pages.map((p) => p.data)).toEqual([[1, 2], [3, 4], [5]]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it("an empty list yields nothing after one request", async () => {
    const { list, cursors } = fakeList(0, 2);
    expect(await list.toArray({ limit: 5 })).toEqual([]);
    expect(cursors).toEqual([undefined]);
  });
});

describe("list methods over HTTP", () => {
  let stub: StubServer | undefined;
  afterEach(() => stub?.close());

  it("send limit and the filters, then each next cursor", async () => {
    stub = await stubServer((res, n) =>
      json(res, 200, {
        data: [{ ...COURSE, title: `Course ${n}` }],
        nextCursor: n < 3 ? `c${n}` : null,
      }),
    );
    const client = new SkillBridge({ baseUrl: stub.url, token: "t" });
    const titles: string[] = [];
    for await (const course of client.courses.list({ limit: 1 })) titles.push(course.title);
    expect(titles).toEqual(["Course 1", "Course 2", "Course 3"]);
    expect(stub.requests.map((r) => r.url)).toEqual([
      "/api/v1/courses?limit=1",
      "/api/v1/courses?limit=1&cursor=c1",
      "/api/v1/courses?limit=1&cursor=c2",
    ]);
  });

  it("leave out filters that are not given", async () => {
    stub = await stubServer((res) => json(res, 200, { data: [], nextCursor: null }));
    const client = new SkillBridge({ baseUrl: stub.url, token: "t" });
    await client.submissions.list({ assignmentId: COURSE.id }).firstPage();
    await client.users.list().firstPage();
    await client.enrollments.list(COURSE.id, { cursor: "abc" }).firstPage();
    expect(stub.requests.map((r) => r.url)).toEqual([
      `/api/v1/submissions?assignmentId=${COURSE.id}`,
      "/api/v1/users",
      `/api/v1/courses/${COURSE.id}/enrollments?cursor=abc`,
    ]);
  });
});
