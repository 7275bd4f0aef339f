import { sql } from "kysely";
import { z } from "zod";
import type { AiGateway } from "../ai/ai-gateway.js";
import { tutorTurn } from "../ai/tutor/socratic-tutor.js";
import {
  type CreateTutorSessionBody,
  CreateTutorSessionBodySchema,
  type SendTutorMessageBody,
  SendTutorMessageBodySchema,
  type TutorMessage,
  TutorMessageSchema,
  type TutorReply,
  type TutorSession,
  type TutorSessionSummary,
} from "../contracts/index.js";
import { AiUnavailableError, ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { tutorSessionReadScope, tutorSessionRules } from "../policies/tutor-sessions.js";
import type { TenantDb } from "../tenancy/context.js";
import type { AssignmentService } from "./assignments.js";
import { parseInput } from "./parse-input.js";
import { tutorSessionScopeFilter } from "./scopes.js";
import { iso, type ServiceDeps } from "./service-deps.js";

/** Runs work in the caller's tenant transaction (the server's `tenant`, which re-checks the caller each time). */
export type TenantRunner = <T>(fn: (trx: TenantDb, actor: Actor) => Promise<T>) => Promise<T>;

export interface TutorSessionFilter extends PageRequest {
  readonly assignmentId?: string | undefined;
  readonly studentId?: string | undefined;
}

export interface TutorOptions {
  /** The metered model access; without it, sending a message is `ai_unavailable`. */
  readonly ai?: AiGateway | undefined;
  /** Ask the guard-model judge after the deterministic check (default: on with Groq, off offline). */
  readonly judge?: boolean | undefined;
}

/** A session holds at most this many messages; then the student starts a new one. */
export const MAX_SESSION_MESSAGES = 200;

const columns = [
  "t.id",
  "t.assignment_id",
  "t.student_id",
  "t.messages",
  "t.hint_level",
  "t.created_at",
  "t.updated_at",
] as const;

interface SessionRow {
  id: string;
  assignment_id: string;
  student_id: string;
  messages: unknown[];
  hint_level: number;
  created_at: Date;
  updated_at: Date;
}

const StoredMessages = z.array(TutorMessageSchema);

function toSession(row: SessionRow): TutorSession {
  return {
    id: row.id,
    assignmentId: row.assignment_id,
    studentId: row.student_id,
    hintLevel: row.hint_level,
    messages: StoredMessages.parse(row.messages),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/**
 * Socratic tutor sessions. Reads are role-filtered like submissions; only the
 * session's student writes to it. A message is three steps so that no
 * transaction stays open while the model thinks: read the session, the
 * assignment (with its reference answer) and the student's latest work;
 * run the guarded tutor turn; append both messages, refusing if the session
 * changed in between.
 */
export class TutorSessionService {
  readonly #deps: ServiceDeps;
  readonly #assignments: AssignmentService;
  readonly #ai: AiGateway | undefined;
  readonly #judge: boolean;

  constructor(deps: ServiceDeps, assignments: AssignmentService, options: TutorOptions = {}) {
    this.#deps = deps;
    this.#assignments = assignments;
    this.#ai = options.ai;
    this.#judge = options.judge ?? (options.ai !== undefined && !options.ai.provider.offline);
  }

  #scoped(trx: TenantDb, actor: Actor) {
    return (
      trx
        .selectFrom("tutor_sessions as t")
        .innerJoin("assignments as a", "a.id", "t.assignment_id")
        .innerJoin("courses as c", "c.id", "a.course_id")
        // Like submissions: sessions under a soft-deleted assignment or course are hidden until restored.
        .where("a.deleted_at", "is", null)
        .where("c.deleted_at", "is", null)
        .where((eb) => tutorSessionScopeFilter(eb, tutorSessionReadScope(actor)))
    );
  }

  #visible(trx: TenantDb, actor: Actor) {
    return this.#scoped(trx, actor).select(columns);
  }

  async get(trx: TenantDb, actor: Actor, id: string): Promise<TutorSession> {
    const row = await this.#visible(trx, actor).where("t.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Tutor session");
    return toSession(row);
  }

  async list(
    trx: TenantDb,
    actor: Actor,
    filter: TutorSessionFilter,
  ): Promise<Page<TutorSessionSummary>> {
    // Summaries: the messages are counted in SQL, never shipped to be counted.
    let query = this.#scoped(trx, actor).select([
      "t.id",
      "t.assignment_id",
      "t.student_id",
      "t.hint_level",
      "t.created_at",
      "t.updated_at",
      sql<number>`jsonb_array_length(t.messages)`.as("message_count"),
    ]);
    if (filter.assignmentId) query = query.where("t.assignment_id", "=", filter.assignmentId);
    if (filter.studentId) query = query.where("t.student_id", "=", filter.studentId);
    return paginate(query, {
      alias: "t",
      list: `tutor-sessions:${filter.assignmentId ?? "*"}:${filter.studentId ?? "*"}`,
      page: filter,
      cursors: this.#deps.cursors,
      map: (row) => ({
        id: row.id,
        assignmentId: row.assignment_id,
        studentId: row.student_id,
        hintLevel: row.hint_level,
        messageCount: Number(row.message_count),
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      }),
    });
  }

  async create(trx: TenantDb, actor: Actor, input: CreateTutorSessionBody): Promise<TutorSession> {
    const body = parseInput(CreateTutorSessionBodySchema, input);
    // Visible means enrolled for a student: the assignment's course scope is enrolment.
    const assignment = await this.#assignments.get(trx, actor, body.assignmentId);
    if (!tutorSessionRules.create(actor))
      throw new ForbiddenError("Only a student opens a tutor session.");
    if (assignment.tutorMode === "off") {
      throw new ConflictError("The tutor is turned off for this assignment.");
    }
    const row = await trx
      .insertInto("tutor_sessions")
      .values({ assignment_id: body.assignmentId, student_id: actor.userId, messages: "[]" })
      .returning([
        "id",
        "assignment_id",
        "student_id",
        "messages",
        "hint_level",
        "created_at",
        "updated_at",
      ])
      .executeTakeFirstOrThrow();
    return toSession(row);
  }

  /**
   * Sends the student's message and returns the guarded reply with the
   * session. Call it outside any transaction: `tenant` opens its own, twice.
   */
  async sendMessage(
    tenant: TenantRunner,
    academyId: string,
    id: string,
    input: SendTutorMessageBody,
    signal?: AbortSignal,
  ): Promise<TutorReply> {
    const body = parseInput(SendTutorMessageBodySchema, input);
    const ai = this.#ai;
    if (!ai) throw new AiUnavailableError("No AI provider is configured for the tutor.");

    const before = await tenant(async (trx, actor) => {
      const row = await this.#visible(trx, actor)
        .where("t.id", "=", id)
        .select(["a.instructions", "a.reference_answer", "a.tutor_mode"])
        .executeTakeFirst();
      if (!row) throw new NotFoundError("Tutor session");
      if (!tutorSessionRules.message(actor, { studentId: row.student_id }))
        throw new ForbiddenError("Only the session's student talks to the tutor.");
      if (row.tutor_mode === "off")
        throw new ConflictError("The tutor is turned off for this assignment.");
      if (row.messages.length + 2 > MAX_SESSION_MESSAGES) {
        throw new ConflictError("This tutor session is full; start a new one.");
      }
      const work = await trx
        .selectFrom("submissions")
        .select("content")
        .where("assignment_id", "=", row.assignment_id)
        .where("student_id", "=", actor.userId)
        .orderBy("submitted_at", "desc")
        .limit(1)
        .executeTakeFirst();
      return { actor, row, session: toSession(row), studentWork: work?.content ?? null };
    });

    const askedAt = new Date();
    const turn = await tutorTurn(
      ai.forAcademy(academyId, before.actor.userId),
      {
        problem: before.row.instructions,
        referenceAnswer: before.row.reference_answer,
        studentWork: before.studentWork,
        history: before.session.messages,
        message: body.content,
        hintLevel: before.session.hintLevel,
      },
      { judge: this.#judge, signal },
    );
    // A client that hung up gets nothing stored: it never saw the reply.
    signal?.throwIfAborted();
    const studentMessage: TutorMessage = {
      role: "student",
      content: body.content,
      createdAt: askedAt.toISOString(),
    };
    const reply: TutorMessage = {
      role: "tutor",
      content: turn.reply,
      createdAt: new Date().toISOString(),
      hintLevel: turn.hintLevel,
      guard: turn.guard,
      provider: turn.provider,
    };

    const updated = await tenant(async (trx, actor) => {
      if (actor.userId !== before.actor.userId) throw new NotFoundError("Tutor session");
      // Appended in SQL (`||`), never rewritten; the length check refuses a
      // message that raced another one, and a trigger refuses any rewrite.
      return trx
        .updateTable("tutor_sessions")
        .set({
          messages: sql`messages || ${JSON.stringify([studentMessage, reply])}::jsonb`,
          hint_level: turn.hintLevel,
          updated_at: sql`now()`,
        })
        .where("id", "=", id)
        .where("student_id", "=", actor.userId)
        .where(sql<boolean>`jsonb_array_length(messages) = ${before.session.messages.length}`)
        .returning([
          "id",
          "assignment_id",
          "student_id",
          "messages",
          "hint_level",
          "created_at",
          "updated_at",
        ])
        .executeTakeFirst();
    });
    if (!updated) {
      throw new ConflictError(
        "The session changed while the tutor was answering (another message was sent); send yours again.",
      );
    }
    return { reply, session: toSession(updated) };
  }
}
