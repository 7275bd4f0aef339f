/**
 * The databases the API benchmarks share: `small` holds the ten measured
 * academies; `large` holds the same ten (same ids, so the same tokens) plus
 * thousands more of realistic, skewed sizes (about 1M tenant rows at 10,000
 * academies). Both migrated by core, seeded by the owner, then ANALYZEd.
 */
import { performance } from "node:perf_hooks";
import {
  createServices,
  migrate,
  OWASP_SCRYPT,
  openDatabase,
  PasswordHasher,
  withPlatform,
} from "@skillbridge/core";
import pg from "pg";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";
import {
  type AcademyShape,
  academyId,
  measuredShape,
  prng,
  type SeedCounts,
  seedAcademies,
  tenantRows,
  typicalShape,
  userId,
} from "../support/seed-academies.js";
import type { BenchOptions } from "./options.js";

export const MEASURED_ACADEMIES = 10;

export interface SeededDatabase {
  readonly scratch: ScratchDatabase;
  readonly academies: number;
  readonly counts: SeedCounts;
  readonly seedSeconds: number;
}

export interface World {
  readonly small: SeededDatabase;
  readonly large: SeededDatabase;
  /** The platform admin in `small` (onboarding). */
  readonly platformAdminId: string;
  /** The measured instructors: academy id and user id (instructor 1) of academies 0..9. */
  readonly instructors: readonly { readonly academyId: string; readonly userId: string }[];
  drop(): Promise<void>;
}

/** The password of every seeded user (stored as one real scrypt hash). */
export const SEED_PASSWORD = "bench-password-1";

async function seeded(
  options: BenchOptions,
  label: string,
  shapes: readonly AcademyShape[],
  passwordHash: string,
  log: (line: string) => void,
): Promise<SeededDatabase> {
  const scratch = await createScratchDatabase(options.baseUrl, label);
  const db = await openDatabase({ url: scratch.url, poolSize: 2 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  const clients = [0, 1].map(
    () => new pg.Client({ connectionString: scratch.url, application_name: "bench-seed" }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  const client = clients[0] as pg.Client;
  try {
    const started = performance.now();
    let lastReport = started;
    const counts = await seedAcademies(clients, shapes, passwordHash, {
      chunk: 250,
      onProgress: (done, c) => {
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          log(
            `  ${label}: ${done.toLocaleString("en-US")} academies, ${tenantRows(c).toLocaleString("en-US")} tenant rows so far`,
          );
        }
      },
    });
    await client.query("analyze");
    const seedSeconds = (performance.now() - started) / 1000;
    log(
      `  ${label}: ${shapes.length.toLocaleString("en-US")} academies, ` +
        `${tenantRows(counts).toLocaleString("en-US")} tenant rows ` +
        `(users ${counts.users}, courses ${counts.courses}, enrollments ${counts.enrollments}, ` +
        `assignments ${counts.assignments}, submissions ${counts.submissions}, ` +
        `parent links ${counts.parent_links}) in ${seedSeconds.toFixed(1)} s, then ANALYZE`,
    );
    return { scratch, academies: shapes.length, counts, seedSeconds };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * `large`: seed the 10,000-academy database too (25-46 s here). Only tenant
 * scale and fairness read it, so `--only=isolation` and the like skip it.
 */
export async function createWorld(
  options: BenchOptions,
  log: (line: string) => void,
  { large: withLarge = true }: { readonly large?: boolean } = {},
): Promise<World> {
  const passwordHash = await new PasswordHasher(OWASP_SCRYPT).hash(SEED_PASSWORD);
  const measured = Array.from({ length: MEASURED_ACADEMIES }, (_, n) => measuredShape(n));
  const random = prng(20_261_202);
  const others = Array.from(
    { length: Math.max(0, options.scaleAcademies - MEASURED_ACADEMIES) },
    (_, k) => typicalShape(MEASURED_ACADEMIES + k, random),
  );
  const made: ScratchDatabase[] = [];
  try {
    const small = await seeded(options, "small", measured, passwordHash, log);
    made.push(small.scratch);
    const large = withLarge
      ? await seeded(options, "large", [...measured, ...others], passwordHash, log)
      : null;
    if (large) made.push(large.scratch);

    const db = await openDatabase({ url: small.scratch.url, poolSize: 1 });
    let platformAdminId: string;
    try {
      const services = createServices({
        passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
      });
      const admin = await withPlatform(db, (trx) =>
        services.platformUsers.create(trx, {
          email: "root@bench.example.com",
          name: "Bench Root",
          role: "platform_admin",
          password: SEED_PASSWORD,
        }),
      );
      platformAdminId = admin.id;
    } finally {
      await db.close();
    }
    return {
      small,
      get large(): SeededDatabase {
        if (!large) throw new Error("this run did not seed the large database");
        return large;
      },
      platformAdminId,
      instructors: measured.map((s) => ({ academyId: academyId(s.n), userId: userId(s.n, 1) })),
      async drop() {
        await Promise.all(made.map((m) => m.drop()));
      },
    };
  } catch (error) {
    await Promise.all(made.map((m) => m.drop()));
    throw error;
  }
}
