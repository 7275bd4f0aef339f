import type { Dispatcher } from "undici";
import type { APIPromise } from "./core/api-promise.js";
import {
  FetchHttpClient,
  type FetchLike,
  type HttpClient,
  UndiciHttpClient,
} from "./core/http-client.js";
import type { ClientContext, RawResponse, RequestOptions } from "./core/resource.js";
import { Academies } from "./resources/academies.js";
import { Assignments } from "./resources/assignments.js";
import { AuditLog } from "./resources/audit-log.js";
import { Auth } from "./resources/auth.js";
import { Courses } from "./resources/courses.js";
import { Enrollments } from "./resources/enrollments.js";
import { GamificationResource } from "./resources/gamification.js";
import { Impersonations } from "./resources/impersonations.js";
import { IsolationAudit } from "./resources/isolation-audit.js";
import { MockExams } from "./resources/mock-exams.js";
import { ParentLinks } from "./resources/parent-links.js";
import { PlatformUsers } from "./resources/platform-users.js";
import { PracticeSets } from "./resources/practice-sets.js";
import { Questions } from "./resources/questions.js";
import { QuizSubmissions } from "./resources/quiz-submissions.js";
import { Quizzes } from "./resources/quizzes.js";
import { Raw, type RawRequest } from "./resources/raw.js";
import { Students } from "./resources/students.js";
import { Submissions } from "./resources/submissions.js";
import { TutorSessions } from "./resources/tutor-sessions.js";
import { Users } from "./resources/users.js";

export const VERSION = "0.1.0";

export interface SkillBridgeOptions {
  /** The server, e.g. `http://localhost:3000`; `/api/v1` is added unless already there. */
  readonly baseUrl: string;
  /** A bearer token to start with; `auth.login` sets one. */
  readonly token?: string | undefined;
  /** Send requests through this `fetch` instead of undici's `request`. */
  readonly fetch?: FetchLike | undefined;
  /** The undici dispatcher (an `Agent`, `Pool`, `ProxyAgent`, `MockAgent`) for the default transport. */
  readonly dispatcher?: Dispatcher | undefined;
  /** A transport of your own; exclusive with `fetch` and `dispatcher`. */
  readonly httpClient?: HttpClient | undefined;
  /** Limit for each attempt, in milliseconds (default 60,000). */
  readonly timeoutMs?: number | undefined;
  /**
   * Retries on connection errors, timeouts, 408, 429, 5xx and a 409
   * `idempotency_key_in_progress` (default 2).
   * POSTs are retried only with an idempotency key, which the SDK adds to
   * every POST but login.
   */
  readonly maxRetries?: number | undefined;
  /**
   * Check every success body against the API contract and throw a
   * `ResponseValidationError` naming the field on a mismatch. Default: on
   * unless `NODE_ENV` is `production`.
   */
  readonly validateResponses?: boolean | undefined;
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

const API_ROOT = "/api/v1";

function apiUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith(API_ROOT) ? path : `${path}${API_ROOT}`;
  url.search = "";
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer; got ${value}.`);
  }
  return value;
}

function transport(options: SkillBridgeOptions): HttpClient {
  const given = [options.fetch, options.dispatcher, options.httpClient].filter(Boolean);
  if (given.length > 1) {
    throw new TypeError("Pass at most one of `fetch`, `dispatcher` and `httpClient`.");
  }
  if (options.httpClient) return options.httpClient;
  if (options.fetch) return new FetchHttpClient(options.fetch);
  return new UndiciHttpClient(options.dispatcher);
}

/**
 * The SkillBridge API client. One instance per token: `auth.login` keeps the
 * token it gets, `withToken` makes a sibling client for another one (an
 * impersonation, say) sharing the same connections.
 *
 * Every method returns an `APIPromise` (`await` it for the contract type,
 * `.withResponse()` for the `x-request-id`); list methods return a
 * `PagePromise` that walks cursors on `for await`.
 *
 * @example
 * const client = new SkillBridge({ baseUrl: "http://localhost:3000" });
 * await client.auth.login({ email, password });
 * for await (const academy of client.academies.list()) console.log(academy.slug);
 */
export class SkillBridge {
  readonly auth: Auth;
  readonly academies: Academies;
  readonly impersonations: Impersonations;
  readonly platformUsers: PlatformUsers;
  readonly auditLog: AuditLog;
  readonly isolationAudit: IsolationAudit;
  readonly users: Users;
  readonly parentLinks: ParentLinks;
  readonly courses: Courses;
  readonly enrollments: Enrollments;
  readonly assignments: Assignments;
  readonly submissions: Submissions;
  readonly tutorSessions: TutorSessions;
  readonly questions: Questions;
  readonly quizzes: Quizzes;
  readonly students: Students;
  readonly gamification: GamificationResource;
  readonly quizSubmissions: QuizSubmissions;
  readonly practiceSets: PracticeSets;
  readonly mockExams: MockExams;

  readonly #options: SkillBridgeOptions;
  readonly #context: ClientContext;
  readonly #raw: Raw;

  constructor(options: SkillBridgeOptions) {
    this.#options = options;
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    this.#context = {
      apiUrl: apiUrl(options.baseUrl),
      http: transport(options),
      timeoutMs: options.timeoutMs ?? 60_000,
      maxRetries: nonNegativeInteger("maxRetries", options.maxRetries ?? 2),
      validateResponses: options.validateResponses ?? env?.NODE_ENV !== "production",
      headers: { ...options.headers },
      userAgent: `skillbridge-sdk/${VERSION} node/${globalThis.process?.version ?? "unknown"}`,
      token: options.token,
    };
    if (!(this.#context.timeoutMs > 0)) {
      throw new RangeError(`timeoutMs must be positive; got ${this.#context.timeoutMs}.`);
    }
    const context = this.#context;
    this.auth = new Auth(context);
    this.academies = new Academies(context);
    this.impersonations = new Impersonations(context);
    this.platformUsers = new PlatformUsers(context);
    this.auditLog = new AuditLog(context);
    this.isolationAudit = new IsolationAudit(context);
    this.users = new Users(context);
    this.parentLinks = new ParentLinks(context);
    this.courses = new Courses(context);
    this.enrollments = new Enrollments(context);
    this.assignments = new Assignments(context);
    this.submissions = new Submissions(context);
    this.tutorSessions = new TutorSessions(context);
    this.questions = new Questions(context);
    this.quizzes = new Quizzes(context);
    this.students = new Students(context);
    this.gamification = new GamificationResource(context);
    this.quizSubmissions = new QuizSubmissions(context);
    this.practiceSets = new PracticeSets(context);
    this.mockExams = new MockExams(context);
    this.#raw = new Raw(context);
  }

  /**
   * Calls any route of the API (one the typed resources do not cover yet, or
   * one an embedding server added) with this client's token, transport,
   * timeouts and idempotency keys. Every status is answered, never thrown:
   * check `status` yourself. Only a 429 is retried.
   *
   * @example
   * const { status, body } = await client.rawRequest({ method: "GET", path: `/courses/${id}` });
   * if (status === 404) console.log("not visible to this caller");
   */
  rawRequest(request: RawRequest, options?: RequestOptions): APIPromise<RawResponse> {
    return this.#raw.send(request, options);
  }

  /** The bearer token requests carry, if any. */
  get token(): string | undefined {
    return this.#context.token;
  }

  /** Replaces the token (undefined: send none). */
  setToken(token: string | undefined): void {
    this.#context.token = token;
  }

  /**
   * A client with the same options and transport, acting with `token`.
   *
   * @example
   * const { accessToken } = await admin.impersonations.create({ academyId, userId, reason });
   * const asStudent = admin.withToken(accessToken);
   * await asStudent.courses.list().toArray({ limit: 10 });
   */
  withToken(token: string | undefined): SkillBridge {
    const { fetch: _fetch, dispatcher: _dispatcher, ...rest } = this.#options;
    return new SkillBridge({ ...rest, httpClient: this.#context.http, token });
  }
}
