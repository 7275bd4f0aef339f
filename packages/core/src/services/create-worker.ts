import type { AiGateway } from "../ai/ai-gateway.js";
import { gradingJobHandler } from "../ai/grading/grading-job.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { JobWorker, type JobWorkerOptions } from "../jobs/job-worker.js";

export type WorkerOptions = Omit<JobWorkerOptions, "db" | "handlers">;

/**
 * The worker with every job kind SkillBridge queues (today: AI pre-grading
 * of submissions), over `db` and the AI gateway the server uses.
 *
 * @example
 * const worker = createJobWorker({ db, ai: createAiGateway({ db }) });
 * worker.start();
 */
export function createJobWorker(
  options: WorkerOptions & { readonly db: SkillBridgeDatabase; readonly ai: AiGateway },
): JobWorker {
  const { db, ai, ...rest } = options;
  return new JobWorker({ ...rest, db, handlers: [gradingJobHandler({ db, ai })] });
}
