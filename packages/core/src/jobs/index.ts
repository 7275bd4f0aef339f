/**
 * Background jobs (docs/jobs.md): the queue, the worker and its backoff.
 */

export { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from "./backoff.js";
export { type ClaimedJob, enqueueInTenant, JobQueue } from "./job-queue.js";
export {
  type DrainSummary,
  type JobEvent,
  type JobHandler,
  JobWorker,
  type JobWorkerOptions,
  PermanentJobError,
} from "./job-worker.js";
