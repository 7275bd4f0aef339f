/**
 * A separate process that moves one academy between placements and reports
 * each step of the move on stdout ("step <phase> <table>"); at the copy of
 * SB_CHILD_PAUSE_AT it prints "paused" and waits, with the move's transaction
 * open and tables already copied, so a test can SIGKILL it half-way.
 * Env: SB_CHILD_DATABASE_URL (PostgreSQL) or SB_CHILD_DATA_DIR (PGlite files),
 * SB_CHILD_ACADEMY, SB_CHILD_TO, SB_CHILD_PAUSE_AT.
 *
 * It runs the built core (`@skillbridge/core` without the source condition;
 * the suite's global setup rebuilds it when a source is newer): through tsx,
 * the sources cost the child about 2 s of CPU to transform and load, the
 * bundle well under one.
 */
import { openDatabase } from "@skillbridge/core";
import { fastServices } from "./fast-services.js";

const db = await openDatabase(
  process.env.SB_CHILD_DATABASE_URL
    ? { url: process.env.SB_CHILD_DATABASE_URL, poolSize: 2 }
    : { dataDir: process.env.SB_CHILD_DATA_DIR },
);
const to = process.env.SB_CHILD_TO === "shared" ? "shared" : "schema";
await fastServices().academies.move(
  db,
  { platformUserId: null },
  process.env.SB_CHILD_ACADEMY ?? "",
  { to },
  {
    onStep: async (step) => {
      process.stdout.write(`step ${step.phase} ${step.table ?? ""}\n`);
      if (step.phase === "copy" && step.table === process.env.SB_CHILD_PAUSE_AT) {
        process.stdout.write("paused\n");
        await new Promise(() => {});
      }
    },
  },
);
process.stdout.write("moved\n");
await db.close();
