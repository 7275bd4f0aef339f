import { describe, expect, it } from "vitest";
import type { QuestionInput } from "../src/contracts/index.js";
import { readQuestionFile, validateQuestion } from "../src/index.js";
import {
  HTML_MAX_DEPTH,
  neutraliseMarkdown,
  sanitizeQuestionHtml,
} from "../src/questions/text-format.js";
import { readAll } from "./support/question-files.js";

// Question text formats (#20): integrators render bank questions in their own
// pages, so HTML is cut to an allowlist on import and markdown loses its raw
// HTML. A <script> or an onerror= must never come out of the bank.

const base: QuestionInput = {
  externalId: "fmt-1",
  type: "multiple_choice",
  prompt: "What is 2 + 2?",
  topic: "arithmetic",
  difficulty: 1,
  options: [
    { id: "A", text: "3" },
    { id: "B", text: "4" },
  ],
  answer: "B",
};

function validated(input: Record<string, unknown>) {
  const result = validateQuestion({ ...base, ...input }, "gre");
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.question;
}

describe("the HTML sanitiser", () => {
  it("keeps basic formatting, lists, tables, sub/sup, links and inline images", () => {
    const kept = [
      "<p>a <b>b</b> <strong>c</strong> <i>d</i> <em>e</em> <u>f</u> x<sub>2</sub> y<sup>3</sup><br /></p>",
      '<ul><li>one</li></ul><ol start="3"><li>three</li></ol>',
      '<table><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">c</td></tr></tbody></table>',
      '<a href="https://example.org/x">x</a><a href="mailto:a@example.org">m</a>',
      '<img src="data:image/png;base64,iVBORw0KGgo=" alt="g" width="10" height="20" />',
      "<pre><code>x &lt; y</code></pre><blockquote>q</blockquote>",
    ];
    for (const html of kept) expect(sanitizeQuestionHtml(html)).toBe(html);
  });

  it("drops scripts, event handlers, javascript: URLs, styles, iframes and forms", () => {
    const cases: [string, string][] = [
      ["<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"],
      [
        '<img src="data:image/png;base64,AAAA" onerror="alert(1)" />',
        '<img src="data:image/png;base64,AAAA" />',
      ],
      ['<img src="x" onerror="alert(1)">', ""],
      ['<p onclick="alert(1)" style="color:red" class="c">a</p>', "<p>a</p>"],
      ['<a href="javascript:alert(1)">a</a>', "<a>a</a>"],
      ['<a href="JaVaScRiPt:alert(1)">a</a>', "<a>a</a>"],
      ['<a href="&#106;avascript:alert(1)">a</a>', "<a>a</a>"],
      ['<a href="data:text/html,<script>alert(1)</script>">a</a>', "<a>a</a>"],
      ['<img src="data:text/html;base64,PHNjcmlwdD4=">', ""],
      ['<img src="http://tracker.example/p.gif">', ""],
      ["<style>p{color:red}</style><p>a</p>", "<p>a</p>"],
      ['<iframe src="https://evil.example"></iframe>b', "b"],
      ['<svg onload="alert(1)"><circle /></svg>c', "c"],
      ['<form action="/x"><input name="a"><button>go</button></form>', "go"],
      ["<object data='x'></object><embed src='x'>d", "d"],
    ];
    for (const [html, safe] of cases) expect(sanitizeQuestionHtml(html), html).toBe(safe);
  });

  it("sanitises HTML nested up to the depth limit, and shows deeper HTML as text", () => {
    const nest = (depth: number) => `${"<b>".repeat(depth)}x${"</b>".repeat(depth)}`;
    expect(sanitizeQuestionHtml(nest(HTML_MAX_DEPTH))).toBe(nest(HTML_MAX_DEPTH));
    // Void elements and implied closes do not count as depth: a long flat list is fine.
    const flat = `<ul>${"<li>a<br>b".repeat(2 * HTML_MAX_DEPTH)}</ul>`;
    expect(sanitizeQuestionHtml(flat)).toContain("<li>a<br />b</li><li>");
    const deep = `${nest(HTML_MAX_DEPTH + 1)}<script>x()</script>`;
    const shown = sanitizeQuestionHtml(deep);
    expect(shown).not.toMatch(/<[a-z]/i);
    expect(shown).toBe(deep.replaceAll("<", "&lt;").replaceAll(">", "&gt;"));
    // Behind a CDATA opener, which sanitize-html reads as a comment ending at the first `>`
    // (it takes the first <b> with it): counted as it is parsed, not hidden.
    expect(sanitizeQuestionHtml(`<![CDATA[${nest(HTML_MAX_DEPTH + 1)}]]>`)).toContain(
      nest(HTML_MAX_DEPTH).slice(0, 3 * HTML_MAX_DEPTH),
    );
    expect(sanitizeQuestionHtml(`<![CDATA[${nest(HTML_MAX_DEPTH + 2)}]]>`)).not.toMatch(/<[a-z]/i);
  });
});

describe("markdown", () => {
  it("loses raw HTML and script links; everything else is left as written", () => {
    expect(neutraliseMarkdown("**x** < 3 and `a<b`")).toBe("**x** < 3 and `a&lt;b`");
    expect(neutraliseMarkdown('<script>alert(1)</script><img src=x onerror="a()">')).toBe(
      '&lt;script>alert(1)&lt;/script>&lt;img src=x onerror="a()">',
    );
    expect(neutraliseMarkdown("[x](javascript:alert(1)) [y]( JavaScript :a) [z]: vbscript:b")).toBe(
      "[x](#javascript:alert(1)) [y]( #JavaScript :a) [z]: #vbscript:b",
    );
    expect(neutraliseMarkdown("![g](data:image/png;base64,AAAA) [h](https://a.example)")).toBe(
      "![g](data:image/png;base64,AAAA) [h](https://a.example)",
    );
  });
});

describe("questions carry a text format", () => {
  it("defaults to plain and leaves plain text alone (integrators escape it)", () => {
    const q = validated({ prompt: "Is 1 < 2 <b>?" });
    expect(q.format).toBeUndefined();
    expect(q.prompt).toBe("Is 1 < 2 <b>?");
  });

  it("sanitises every text of an HTML question: prompt, passage, options, explanation", () => {
    const q = validated({
      format: "html",
      prompt: '<p onmouseover="x()">What is 2 + 2?<script>x()</script></p>',
      passage: "<p>Read<iframe src=x></iframe></p>",
      explanation: '<img src="x" onerror="x()"><b>4</b>',
      options: [
        { id: "A", text: "<i>3</i><script>1</script>" },
        { id: "B", text: '<a href="javascript:x()">4</a>' },
      ],
    });
    expect(q).toMatchObject({
      format: "html",
      prompt: "<p>What is 2 + 2?</p>",
      passage: "<p>Read</p>",
      explanation: "<b>4</b>",
      options: [
        { id: "A", text: "<i>3</i>" },
        { id: "B", text: "<a>4</a>" },
      ],
    });
  });

  it("sanitises quantities, sentences and blanks too", () => {
    const qc = validateQuestion(
      {
        externalId: "qc",
        type: "quantitative_comparison",
        format: "html",
        prompt: "Compare",
        topic: "t",
        difficulty: 2,
        quantityA: "x<sup>2</sup><script>1</script>",
        quantityB: '<span onclick="1">4</span>',
        answer: "D",
      },
      "gre",
    );
    const quantities = qc.ok && (qc.question as { quantityA: string; quantityB: string });
    expect(quantities && [quantities.quantityA, quantities.quantityB]).toEqual([
      "x<sup>2</sup>",
      "<span>4</span>",
    ]);
    const sip = validateQuestion(
      {
        externalId: "sip",
        type: "select_in_passage",
        format: "html",
        prompt: "Which sentence?",
        topic: "t",
        difficulty: 2,
        sentences: ["<b>One.</b><script>1</script>", "Two.<img src=x onerror=1>"],
        answer: 0,
      },
      "gre",
    );
    expect(sip.ok && (sip.question as { sentences: string[] }).sentences).toEqual([
      "<b>One.</b>",
      "Two.",
    ]);
  });

  it("rejects an HTML text with nothing left once unsafe HTML is removed, naming the field", () => {
    const result = validateQuestion(
      { ...base, format: "html", prompt: "<script>x()</script>" },
      "gre",
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "prompt", message: "Nothing is left of this text once unsafe HTML is removed." },
      ],
    });
  });

  it("rejects HTML nested deeper than the limit, naming the field (the parser's work grows with depth)", () => {
    const deep = `${"<i>".repeat(HTML_MAX_DEPTH + 1)}x`;
    const result = validateQuestion({ ...base, format: "html", explanation: deep }, "gre");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "explanation",
          message: `HTML nested more than ${HTML_MAX_DEPTH} elements deep; flatten it.`,
        },
      ],
    });
    const within = `${"<i>".repeat(HTML_MAX_DEPTH)}x`;
    expect(validated({ format: "html", explanation: within }).explanation).toBe(
      `${within}${"</i>".repeat(HTML_MAX_DEPTH)}`,
    );
  });

  it("refuses an unknown format", () => {
    const result = validateQuestion({ ...base, format: "rtf" }, "gre");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]?.path).toBe("format");
  });

  it("reads the format from a CSV column and a JSON field", async () => {
    const csv = `externalId,type,format,prompt,topic,difficulty,optionA,optionB,answer\nc1,multiple_choice,html,"<p>Two?<script>x()</script></p>",t,1,<b>1</b>,2,B\n`;
    const [row] = await readAll([csv], { bank: "gre", format: "csv" });
    expect(row?.ok && row.question).toMatchObject({
      format: "html",
      prompt: "<p>Two?</p>",
      options: [{ text: "<b>1</b>" }, { text: "2" }],
    });
    const json = JSON.stringify({
      questions: [{ ...base, format: "markdown", prompt: "**Two**<script>x()</script>" }],
    });
    const rows = [];
    for await (const r of readQuestionFile([json], { bank: "gre", format: "json" })) rows.push(r);
    expect(rows[0]?.ok && rows[0].question).toMatchObject({
      format: "markdown",
      prompt: "**Two**&lt;script>x()&lt;/script>",
    });
  });

  it("does not count inline images towards a text's length, within their own limit", () => {
    const image = `<img src="data:image/png;base64,${"A".repeat(30_000)}">`;
    const q = validated({ format: "html", prompt: `<p>Look:</p>${image}` });
    expect(q.prompt.length).toBeGreaterThan(30_000);
    const tooMany = validateQuestion(
      {
        ...base,
        format: "html",
        prompt: `<img src="data:image/png;base64,${"A".repeat(2_000_001)}">`,
      },
      "gre",
    );
    expect(tooMany.ok).toBe(false);
    expect(!tooMany.ok && tooMany.errors[0]?.message).toMatch(/Inline images take/);
  });
});
