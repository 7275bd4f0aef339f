import { randomBytes } from "node:crypto";
import { migrate, openDatabase, type SkillBridgeDatabase } from "@skillbridge/core";
import pg from "pg";
import { withDatabase } from "./env.js";

export interface ScratchDatabase {
  /** URL of the scratch database (same user as the server URL it was made on). */
  readonly url: string;
  readonly name: string;
  /**
   * A handle as the URL's user. The suite connects as a superuser, which
   * bypasses row-level security: this handle is for seeding and for
   * inspecting what really is in the tables, never for serving.
   */
  readonly db: SkillBridgeDatabase;
  /** Closes the handle and drops the database (ending whatever still uses it). */
  dispose(): Promise<void>;
}

/** A fresh, migrated database on the PostgreSQL server at `serverUrl`. */
export async function createScratchDatabase(
  serverUrl: string,
  options: { poolSize?: number; prefix?: string } = {},
): Promise<ScratchDatabase> {
  const name = `${options.prefix ?? "sb_rel"}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const db = await openDatabase({ url, poolSize: options.poolSize ?? 5 });
  await migrate(db);
  return {
    url,
    name,
    db,
    async dispose() {
      await db.close().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
