import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  docxWithParagraphs,
  pdfWithoutText,
  pdfWithText,
} from "../../core/test/support/document-fixtures.js";
import { fastServices } from "../../core/test/support/fast-services.js";
import { completion, type FakeGroq, startGroqServer } from "../../core/test/support/groq-server.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { groqAt } from "../../core/test/support/tutor-world.js";
import { type FilePart, multipartBody } from "./support/multipart.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// POST /quizzes/generate over HTTP on both engines: real PDF, DOCX and
// Markdown uploads become draft quizzes (offline rules, and groq-sdk against a
// local Groq-speaking server); every way an upload can be wrong is a problem
// document with a clear message, never a 500, and leaves nothing behind.

const CELLS = [
  "The mitochondrion is the site of cellular respiration in eukaryotic cells.",
  "Photosynthesis takes place in the chloroplasts and releases oxygen as a by-product.",
  "A typical human cell contains about 2000 mitochondria, though the number varies widely.",
];

describe.each(ENGINES)("quiz generation over HTTP on %s", (engine) => {
  let t: TestApp;
  let seed: SeededAcademy;
  let instructor: string;
  let student: string;

  beforeAll(async () => {
    t = await createTestApp(engine, {}, { sourceLimits: { maxBytes: 64 * 1024, maxPages: 3 } });
    seed = await seedAcademy(t.db, fastServices(), "north");
    instructor = await t.login({
      academy: "north",
      email: "i1@example.com",
      password: "password-i1-1",
    });
    student = await t.login({
      academy: "north",
      email: "s1@example.com",
      password: "password-s1-1",
    });
  });
  afterAll(() => t.dispose());

  const generate = (
    files: FilePart[],
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) =>
    t.request("POST", "/api/v1/quizzes/generate", {
      token: instructor,
      headers,
      form: multipartBody(
        { title: "Cells", count: "2", courseId: seed.courses.c1, ...fields },
        files,
      ),
    });
  const quizCount = async () =>
    (await t.request("GET", "/api/v1/quizzes?limit=100", { token: instructor })).body.data.length;

  it("a PDF becomes a 201 draft quiz with its questions, answers and how it was made", async () => {
    const res = await generate([
      { fileName: "cells.pdf", type: "application/pdf", content: pdfWithText([CELLS]) },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: "Cells",
      courseId: seed.courses.c1,
      status: "draft",
      generation: {
        provider: "offline",
        source: { kind: "pdf", pages: 1, fileName: "cells.pdf" },
        accepted: 2,
      },
    });
    expect(res.body.questions).toHaveLength(2);
    expect(res.body.questions[0]).toMatchObject({
      type: "multiple_choice",
      answer: expect.any(String),
    });
    // A draft: the student does not see it.
    expect(
      (await t.request("GET", `/api/v1/quizzes/${res.body.id}`, { token: student })).status,
    ).toBe(404);
  });

  it("a Word document and a Markdown file are read too", async () => {
    const docx = await generate([{ fileName: "cells.docx", content: docxWithParagraphs(CELLS) }]);
    expect(docx.status).toBe(201);
    expect(docx.body.generation.source.kind).toBe("docx");
    const md = await generate([
      { fileName: "cells.md", type: "text/markdown", content: `# Cells\n\n${CELLS.join("\n\n")}` },
    ]);
    expect(md.status).toBe(201);
    expect(md.body.generation.source.kind).toBe("markdown");
  });

  it("once published, a student gets the questions without answers", async () => {
    const created = await generate([{ fileName: "cells.txt", content: CELLS.join(" ") }]);
    const published = await t.request("PATCH", `/api/v1/quizzes/${created.body.id}`, {
      token: instructor,
      body: { status: "published" },
    });
    expect(published.status).toBe(200);
    const seen = await t.request("GET", `/api/v1/quizzes/${created.body.id}`, { token: student });
    expect(seen.status).toBe(200);
    expect(seen.body.questions).toHaveLength(2);
    expect(JSON.stringify(seen.body)).not.toMatch(/"answer"|"explanation"|"source"|"generation"/);
  });

  describe("uploads that cannot be used are problem documents and write nothing", () => {
    const cases: [
      string,
      () => Promise<{
        status: number;
        body: Record<string, unknown>;
        headers: Record<string, unknown>;
      }>,
      number,
      string,
      RegExp,
    ][] = [
      [
        "a PDF without text",
        () => generate([{ fileName: "scan.pdf", content: pdfWithoutText() }]),
        422,
        "unreadable_file",
        /no extractable text.*OCR/,
      ],
      [
        "a corrupt PDF",
        () => generate([{ fileName: "x.pdf", content: pdfWithText([CELLS]).subarray(0, 150) }]),
        422,
        "unreadable_file",
        /corrupt, truncated/,
      ],
      [
        "a PDF over the page limit",
        () =>
          generate([{ fileName: "long.pdf", content: pdfWithText([CELLS, CELLS, CELLS, CELLS]) }]),
        413,
        "payload_too_large",
        /4 pages; at most 3/,
      ],
      [
        "a file over the size limit",
        () => generate([{ fileName: "big.txt", content: "a".repeat(70 * 1024) }]),
        413,
        "payload_too_large",
        /larger than 64 KiB, the most accepted/,
      ],
      [
        "a legacy .doc",
        () =>
          generate([
            { fileName: "old.doc", content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]) },
          ]),
        415,
        "unsupported_file",
        /save it as \.docx or PDF/,
      ],
      ["no file part", () => generate([]), 400, "validation_failed", /The upload is not valid/],
      [
        "two files",
        () =>
          generate([
            { fileName: "a.txt", content: CELLS.join(" ") },
            { fileName: "b.txt", content: CELLS.join(" ") },
          ]),
        400,
        "validation_failed",
        /The upload is not valid/,
      ],
      [
        "an unknown field",
        () =>
          generate([{ fileName: "a.txt", content: CELLS.join(" ") }], { tenantId: seed.academyId }),
        400,
        "validation_failed",
        /not valid/,
      ],
      [
        "a count out of range",
        () => generate([{ fileName: "a.txt", content: CELLS.join(" ") }], { count: "500" }),
        400,
        "validation_failed",
        /not valid/,
      ],
      [
        "JSON instead of a form",
        () =>
          t.request("POST", "/api/v1/quizzes/generate", {
            token: instructor,
            body: { title: "x" },
          }),
        415,
        "unsupported_media_type",
        /multipart\/form-data/,
      ],
      [
        "a malformed multipart body",
        () =>
          t.request("POST", "/api/v1/quizzes/generate", {
            token: instructor,
            headers: { "content-type": "multipart/form-data; boundary=xyz" },
            rawBody: '--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated',
          }),
        400,
        "validation_failed",
        /malformed|not valid/,
      ],
    ];
    it.each(cases)("%s", async (_name, send, status, code, detail) => {
      const before = await quizCount();
      const res = await send();
      expect(res.status).toBe(status);
      expect(String(res.headers["content-type"])).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code, detail: expect.stringMatching(detail) });
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await quizCount()).toBe(before);
    });

    it("field problems name the field", async () => {
      const res = await generate([{ fileName: "a.txt", content: CELLS.join(" ") }], {
        tenantId: "x",
      });
      expect(res.body.errors).toEqual([{ path: "tenantId", message: 'Unknown field "tenantId".' }]);
      const none = await generate([]);
      expect(none.body.errors).toEqual([
        { path: "file", message: 'Attach the document as the "file" file part.' },
      ]);
    });
  });

  it("a retry with the same Idempotency-Key and file is replayed; the same key with another file is refused", async () => {
    const file = { fileName: "cells.txt", content: CELLS.join(" ") };
    const first = await generate([file], {}, { "idempotency-key": "gen-1" });
    const again = await generate([file], {}, { "idempotency-key": "gen-1" });
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    const other = await generate(
      [{ ...file, content: `${CELLS.join(" ")} More.` }],
      {},
      { "idempotency-key": "gen-1" },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe("idempotency_key_reused");
  });
});

describe("quiz generation over HTTP through groq-sdk", () => {
  let fake: FakeGroq;
  let t: TestApp;
  let instructor: string;

  beforeAll(async () => {
    fake = await startGroqServer(() =>
      completion(
        JSON.stringify({
          questions: [
            {
              type: "numeric_entry",
              prompt: "About how many mitochondria does a typical human cell contain?",
              answer: "2000",
              source: "A typical human cell contains about 2000 mitochondria",
            },
            { type: "essay", prompt: "Discuss." },
          ],
        }),
      ),
    );
    t = await createTestApp("pglite", {}, { provider: groqAt(fake.url) });
    await seedAcademy(t.db, fastServices(), "north");
    instructor = await t.login({
      academy: "north",
      email: "i1@example.com",
      password: "password-i1-1",
    });
  });
  afterAll(async () => {
    await t.dispose();
    await fake.close();
  });

  it("the model's valid, grounded questions are saved; the rest are counted as dropped", async () => {
    const res = await t.request("POST", "/api/v1/quizzes/generate", {
      token: instructor,
      form: multipartBody({ title: "Cells", count: "5" }, [
        { fileName: "cells.pdf", content: pdfWithText([CELLS]) },
      ]),
    });
    expect(res.status).toBe(201);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.body.messages[1]?.content).toContain(CELLS[2]);
    expect(res.body.questions).toMatchObject([{ type: "numeric_entry", answer: "2000" }]);
    expect(res.body.generation).toMatchObject({
      provider: "groq",
      model: "llama-3.3-70b-versatile",
      accepted: 1,
      dropped: { invalid: 1, unsupported: 0, duplicate: 0, surplus: 0 },
    });
  });
});
