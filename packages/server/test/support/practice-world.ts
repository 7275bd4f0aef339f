import { withPlatform } from "@skillbridge/core";
import { fastServices } from "../../../core/test/support/fast-services.js";
import { practiceBank } from "../../../core/test/support/practice-bank.js";
import { type SeededAcademy, seedAcademy } from "../../../core/test/support/seed.js";
import type { TestApp } from "./test-app.js";

/**
 * Two seeded academies (core's seed: s1 linked to parent p, s1 and s3 in
 * i1's course c1, s2 in i2's course c2) and the practice bank
 * (`practiceBank`) in both banks, with a token per person of A and B's s1.
 */
export interface PracticeWorld {
  readonly A: SeededAcademy;
  readonly B: SeededAcademy;
  readonly tokens: Readonly<Record<"admin" | "i1" | "i2" | "s1" | "s2" | "s3" | "p", string>>;
  readonly bTokens: Readonly<Record<"s1", string>>;
}

const PASSWORDS = {
  admin: "admin-password-1",
  i1: "password-i1-1",
  i2: "password-i2-1",
  s1: "password-s1-1",
  s2: "password-s2-1",
  s3: "password-s3-1",
  p: "password-p-1",
} as const;

export async function importPracticeBank(
  t: TestApp,
  options: { readonly perLevel?: number } = {},
): Promise<void> {
  const services = fastServices();
  await withPlatform(t.db, async (trx) => {
    for (const bank of ["sat", "gre"] as const) {
      const report = await services.questions.batch(
        trx,
        { platformUserId: null },
        { bank, questions: practiceBank(bank, options) },
      );
      if (report.rejected.length > 0)
        throw new Error(`practice bank rejected: ${JSON.stringify(report.rejected[0])}`);
    }
  });
}

export async function seedPracticeWorld(
  t: TestApp,
  options: { readonly perLevel?: number; readonly bank?: boolean } = {},
): Promise<PracticeWorld> {
  const services = fastServices();
  const A = await seedAcademy(t.db, services, "practice-a");
  const B = await seedAcademy(t.db, services, "practice-b");
  if (options.bank !== false) await importPracticeBank(t, options);
  const login = (slug: string, key: keyof typeof PASSWORDS) =>
    t.login({
      academy: slug,
      email: key === "admin" ? "admin@example.com" : `${key}@example.com`,
      password: PASSWORDS[key],
    });
  const tokens = {} as Record<keyof typeof PASSWORDS, string>;
  for (const key of Object.keys(PASSWORDS) as (keyof typeof PASSWORDS)[])
    tokens[key] = await login(A.slug, key);
  return { A, B, tokens, bTokens: { s1: await login(B.slug, "s1") } };
}
