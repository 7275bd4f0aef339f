import { readQuestionFile } from "@skillbridge/core/questions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Bank questions are rendered in integrators' pages (#20): whatever HTML a
// batch or a Moodle XML file brings, GET /questions serves it sanitised, with
// its format, to staff and learners alike.

const BATCH = "/api/v1/admin/questions/batch";

const hostile = {
  externalId: "xss-1",
  type: "multiple_choice",
  format: "html",
  prompt:
    '<p onmouseover="steal()">Which is prime?<script>steal()</script></p><img src="x" onerror="steal()"><iframe src="https://evil.example"></iframe>',
  topic: "primes",
  difficulty: 2,
  options: [
    { id: "A", text: '<a href="javascript:steal()">4</a>' },
    { id: "B", text: "<b>5</b><style>*{}</style>" },
  ],
  answer: "B",
  explanation:
    '<p>5 has two divisors.<img src="data:image/png;base64,iVBORw0KGgo=" onload="steal()"></p>',
};

const moodle = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <questiontext format="html"><text><![CDATA[<p>Pick 2<svg onload="steal()"></svg></p>]]></text></questiontext>
    <idnumber>xss-xml</idnumber>
    <answer fraction="100" format="html"><text><![CDATA[<span onclick="steal()">2</span>]]></text></answer>
    <answer fraction="0" format="html"><text>3</text></answer>
  </question>
</quiz>
`;

describe.each(ENGINES)("question text safety over HTTP on %s", (engine) => {
  let t: TestApp;
  let platform: string;
  let academy: SeededAcademy;
  let student: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    platform = await t.platformToken();
    academy = await seedAcademy(t.db, fastServices(), "safe-text");
    student = await t.app.context.deps.tokens.sign({
      kind: "academy",
      userId: academy.users.s1,
      academyId: academy.academyId,
      role: "student",
      impersonatorId: null,
    });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("a batch's HTML is stored sanitised: no script or handler reaches GET /questions", async () => {
    const imported = await t.request("POST", BATCH, {
      token: platform,
      body: { bank: "gre", questions: [hostile] },
    });
    expect(imported.body, JSON.stringify(imported.body)).toMatchObject({
      inserted: 1,
      rejected: [],
    });

    for (const token of [platform, student]) {
      const list = await t.request("GET", "/api/v1/questions?bank=gre&topic=primes", { token });
      expect(list.status).toBe(200);
      const [q] = list.body.data;
      expect(q).toMatchObject({
        externalId: "xss-1",
        format: "html",
        prompt: "<p>Which is prime?</p>",
        options: [
          { id: "A", text: "<a>4</a>" },
          { id: "B", text: "<b>5</b>" },
        ],
      });
      const text = JSON.stringify(list.body);
      expect(text).not.toMatch(/<script|onerror|onmouseover|onload|javascript:|<iframe|<style/i);
    }
    const full = await t.request("GET", "/api/v1/questions?bank=gre&topic=primes", {
      token: platform,
    });
    expect(full.body.data[0].explanation).toBe(
      '<p>5 has two divisors.<img src="data:image/png;base64,iVBORw0KGgo=" /></p>',
    );
  });

  it("a Moodle XML file sent as the CLI sends it comes back sanitised, with its format", async () => {
    const questions = [];
    for await (const row of readQuestionFile([moodle], { bank: "gre", format: "xml" })) {
      expect(row.ok).toBe(true);
      if (row.ok) questions.push(row.question);
    }
    const imported = await t.request("POST", BATCH, {
      token: platform,
      body: { bank: "gre", questions },
    });
    expect(imported.body).toMatchObject({ inserted: 1, rejected: [] });
    const list = await t.request("GET", "/api/v1/questions?bank=gre&limit=100", { token: student });
    const q = list.body.data.find((x: { externalId: string }) => x.externalId === "xss-xml");
    expect(q).toMatchObject({
      format: "html",
      prompt: "<p>Pick 2</p>",
      options: [
        { id: "A", text: "<span>2</span>" },
        { id: "B", text: "3" },
      ],
    });
  });

  it("plain questions say so; an unknown format is a per-item rejection, not a 500", async () => {
    const plain = {
      ...hostile,
      externalId: "plain-1",
      format: undefined,
      prompt: "Is 1 < 2?",
      options: [
        { id: "A", text: "yes" },
        { id: "B", text: "no" },
      ],
      answer: "A",
      explanation: undefined,
    };
    const response = await t.request("POST", BATCH, {
      token: platform,
      body: { bank: "gre", questions: [plain, { ...hostile, externalId: "rtf-1", format: "rtf" }] },
    });
    expect(response.status).toBe(200);
    expect(response.body.inserted).toBe(1);
    expect(response.body.rejected).toEqual([
      { index: 1, externalId: "rtf-1", errors: [expect.objectContaining({ path: "format" })] },
    ]);
    const list = await t.request("GET", "/api/v1/questions?bank=gre&limit=100", {
      token: platform,
    });
    const q = list.body.data.find((x: { externalId: string }) => x.externalId === "plain-1");
    expect(q).toMatchObject({ format: "plain", prompt: "Is 1 < 2?" });
  });
});
