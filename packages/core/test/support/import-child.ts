/**
 * A separate process that imports generated questions and reports each
 * committed batch on stdout ("batch <n>"), so a test can SIGKILL it in the
 * middle of an import. Run with tsx.
 * Env: SB_CHILD_DATABASE_URL (PostgreSQL) or SB_CHILD_DATA_DIR (PGlite files),
 * SB_CHILD_COUNT, SB_CHILD_BATCH.
 *
 * It runs the built core (`@skillbridge/core` without the source condition;
 * the suite's global setup rebuilds it when a source is newer): through tsx,
 * the sources cost the child about 2 s of CPU to transform and load.
 */
import { importQuestions, openDatabase } from "@skillbridge/core";
import { generatedRows } from "./generated-questions.js";

const db = await openDatabase(
  process.env.SB_CHILD_DATABASE_URL
    ? { url: process.env.SB_CHILD_DATABASE_URL, poolSize: 2 }
    : { dataDir: process.env.SB_CHILD_DATA_DIR },
);
const report = await importQuestions(db, generatedRows(Number(process.env.SB_CHILD_COUNT)), {
  batchSize: Number(process.env.SB_CHILD_BATCH),
  onProgress: (p) => process.stdout.write(`batch ${p.batches}\n`),
});
process.stdout.write(`done ${JSON.stringify(report)}\n`);
await db.close();
