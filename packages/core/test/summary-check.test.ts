import { describe, expect, it } from "vitest";
import type { SummaryFact } from "../src/contracts/index.js";
import { namesAnotherUser, templateSummary } from "../src/index.js";

// The deterministic check behind parent summaries: a model's text that names
// any other user of the academy is rejected (the template replaces it).

const OTHERS = [
  { name: "Zebulon Quartermaine", email: "zq.grand@example.com" },
  { name: "Marigold Fetherston", email: "m.fetherston@example.com" },
  { name: "Ada Admin", email: "admin@example.com" },
];
const FACTS: SummaryFact[] = [
  { kind: "grade", label: "Linear equations (SAT Math)", value: "9 / 10", at: null },
  { kind: "quiz", label: "Grand review", value: "4 / 5", at: null },
];
const allowed = { studentName: "Marigold Featherstone", facts: FACTS };
const names = (text: string) => namesAnotherUser(text, OTHERS, allowed);

describe("the other-user check of parent summaries", () => {
  it("passes a text about the student and their own facts", () => {
    expect(
      names(
        "Marigold Featherstone scored 9 / 10 on Linear equations and 4 / 5 on the Grand review.",
      ),
    ).toBe(false);
  });

  it("rejects another user's full name, in any case and spacing", () => {
    expect(names("Unlike Zebulon Quartermaine, Marigold finished early.")).toBe(true);
    expect(names("unlike ZEBULON   quartermaine, she finished early.")).toBe(true);
    expect(names("Marigold Fetherston was absent.")).toBe(true);
  });

  it("rejects one word of another user's name that is not the student's own", () => {
    expect(names("She beat Quartermaine.")).toBe(true);
    expect(names("Ask Ada about it.")).toBe(true);
    expect(names("Zebu\u200blon helped.")).toBe(true);
    // The student's own first name is shared with a classmate: allowed alone.
    expect(names("Marigold had a good week.")).toBe(false);
  });

  it("rejects another user's email, or the distinctive part of it", () => {
    expect(names("Write to admin@example.com for details.")).toBe(true);
    expect(names("Her friend fetherston sent notes.")).toBe(true);
  });

  it("allows a word of another user's name when it is in the student's facts", () => {
    // "grand" is in zq.grand@… and in the quiz title the student took.
    expect(names("Marigold scored 4 / 5 on the Grand review.")).toBe(false);
  });

  it("the template names only the student and their facts", () => {
    const text = templateSummary({
      firstName: "Marigold",
      from: "2026-11-25T00:00:00.000Z",
      to: "2026-12-02T00:00:00.000Z",
      facts: FACTS,
    });
    expect(text).toContain("Weekly summary for Marigold, 2026-11-25 to 2026-12-02.");
    expect(text).toContain("Linear equations (SAT Math): 9 / 10");
    expect(names(text)).toBe(false);
  });
});
