import type {
  JobWorker,
  Services,
  SkillBridgeDatabase,
  SpareSchemaPool,
  UploadedFile,
} from "@skillbridge/core";
import type { ParameterizedContext } from "koa";
import type { Logger } from "pino";
import type { Principal, TokenService } from "./auth/token-service.js";
import type { ServerConfig } from "./config.js";
import type { EventLoopMonitor } from "./event-loop-monitor.js";
import type { AcademyGate, GatePriority } from "./fairness/academy-gate.js";
import type { LoopTurns } from "./fairness/loop-turns.js";
import type { IdempotencyStore } from "./idempotency/idempotency-store.js";
import type { Limiters } from "./rate-limit/limiters.js";

/** What every request can reach: built once per server, shared by all requests. */
export interface AppDeps {
  readonly db: SkillBridgeDatabase;
  readonly config: ServerConfig;
  readonly services: Services;
  readonly tokens: TokenService;
  readonly limiters: Limiters;
  /**
   * The per-academy cap on concurrent tenant transactions (config
   * `tenantConcurrency`), and the pool's slots served inside-budget first.
   */
  readonly academyGate: AcademyGate;
  /**
   * Requests of callers pressing against their limit wait for a turn on the
   * event loop (config `loopTurns`; `fairness/loop-turns.ts`).
   */
  readonly loopTurns: LoopTurns;
  /** Idempotency keys of POST requests (memory, or Redis when `redisUrl` is set). */
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  /** The app's job worker (AI pre-grading), when it has one; `wake` it after queueing work. */
  readonly workers: JobWorker | undefined;
  /** The event loop's delay, watched (warnings in the log, the p99 in `/ready`). */
  readonly eventLoop: EventLoopMonitor;
  /** Spare dedicated schemas: `refill` after an academy is placed in one. */
  readonly spares: SpareSchemaPool;
}

/** Per-request state, filled in middleware order. */
export interface RequestState {
  requestId: string;
  principal?: Principal;
  /** The file of a multipart upload route. */
  upload?: UploadedFile;
  /** A write through impersonation already has its audit event (see route.ts). */
  impersonatedWriteAudited?: boolean;
  /** What idempotency keys compare of the uploaded file. */
  uploadFingerprint?: { name: string; size: number; sha256: string };
  /**
   * Where this request's tenant transactions wait for a connection when the
   * pool is full: "later" once its academy has spent more than half its
   * burst (see `fairness/academy-gate.ts`).
   */
  gatePriority?: GatePriority;
}

export type AppContext = ParameterizedContext<RequestState, { deps: AppDeps }>;
