import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxBomb, docxWithParagraphs } from "../../core/test/support/document-fixtures.js";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { multipartBody } from "./support/multipart.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Finding 5 replayed: a 400 KB .docx whose word/document.xml inflates to
// 400 MiB, its central directory declaring 1,000 bytes, sent by an
// instructor to POST /quizzes/generate. It took the server's RSS from 117 to
// 547 MB. Now the bytes really inflated are counted and the upload is a 422
// problem document while the server's memory stays within 64 MiB of where
// it was, and nothing is written.

const MIB = 1024 * 1024;

describe.each(ENGINES)("a zip bomb uploaded for quiz generation on %s", (engine) => {
  let t: TestApp;
  let seed: SeededAcademy;
  let instructor: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    seed = await seedAcademy(t.db, fastServices(), "north");
    instructor = await t.login({
      academy: "north",
      email: "i1@example.com",
      password: "password-i1-1",
    });
  });
  afterAll(() => t?.dispose());

  const upload = (fileName: string, content: Buffer, headers: Record<string, string> = {}) =>
    t.request("POST", "/api/v1/quizzes/generate", {
      token: instructor,
      headers,
      form: multipartBody({ title: "Bomb", count: "2", courseId: seed.courses.c1 }, [
        { fileName, content },
      ]),
    });
  const quizCount = async () =>
    (await t.request("GET", "/api/v1/quizzes?limit=100", { token: instructor })).body.data.length;

  it("is a 422 archive_too_large problem document, memory grows by less than 64 MiB, nothing is written", async () => {
    const bomb = docxBomb(400, 1_000);
    expect(bomb.length).toBeLessThan(600 * 1024);
    const quizzesBefore = await quizCount();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    let res: Awaited<ReturnType<typeof upload>>;
    try {
      res = await upload("chapter.docx", bomb);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(res.status).toBe(422);
    expect(String(res.headers["content-type"])).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 422,
      code: "archive_too_large",
      detail: expect.stringMatching(/unpacks to more than 50 MiB \(counted as it was unpacked/),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules/);
    expect((peak - before) / MIB).toBeLessThan(64);
    expect(await quizCount()).toBe(quizzesBefore);
  });

  it("an ordinary Word document is still read (mammoth gets the checked parts)", async () => {
    const res = await upload(
      "cells.docx",
      docxWithParagraphs([
        "The mitochondrion is the site of cellular respiration in eukaryotic cells.",
        "Photosynthesis takes place in the chloroplasts and releases oxygen as a by-product.",
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body.generation.source.kind).toBe("docx");
  });

  it("an upload sent with a Content-Encoding is a 415 that says to send the file as it is", async () => {
    const body = multipartBody({ title: "x", count: "2", courseId: seed.courses.c1 }, [
      { fileName: "bomb.docx", content: docxBomb(8) },
    ]);
    const res = await t.request("POST", "/api/v1/quizzes/generate", {
      token: instructor,
      headers: { "content-type": body.contentType, "content-encoding": "gzip" },
      rawBody: gzipSync(body.body),
    });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({
      code: "unsupported_media_type",
      detail: expect.stringMatching(/Content-Encoding "gzip": send the file as it is/),
    });
  });
});
