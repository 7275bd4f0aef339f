import {
  type CreateParentLinkBody,
  CreateParentLinkBodySchema,
  type ParentLink,
} from "../contracts/index.js";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { parentLinkReadScope, parentLinkRules } from "../policies/parent-links.js";
import type { TenantDb } from "../tenancy/context.js";
import { isUniqueViolation } from "./db-errors.js";
import { parseInput } from "./parse-input.js";
import { iso, type ServiceDeps } from "./service-deps.js";

interface LinkRow {
  id: string;
  parent_id: string;
  student_id: string;
  created_at: Date;
}

const toParentLink = (row: LinkRow): ParentLink => ({
  id: row.id,
  parentId: row.parent_id,
  studentId: row.student_id,
  createdAt: iso(row.created_at),
});

/** Parent-to-student links: what a parent may see is decided per link, not per academy. */
export class ParentLinkService {
  readonly #deps: ServiceDeps;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  async create(trx: TenantDb, actor: Actor, input: CreateParentLinkBody): Promise<ParentLink> {
    const body = parseInput(CreateParentLinkBodySchema, input);
    if (!parentLinkRules.create(actor)) throw new ForbiddenError();
    const people = await trx
      .selectFrom("users")
      .select(["id", "role"])
      .where("id", "in", [body.parentId, body.studentId])
      .where("deleted_at", "is", null)
      .execute();
    const roleOf = (id: string) => people.find((p) => p.id === id)?.role;
    const problems = [];
    if (roleOf(body.parentId) !== "parent")
      problems.push({ path: "parentId", message: "No parent with this id." });
    if (roleOf(body.studentId) !== "student")
      problems.push({ path: "studentId", message: "No student with this id." });
    if (problems.length > 0)
      throw new ValidationError("The link does not name a parent and a student.", problems);
    try {
      const row = await trx
        .insertInto("parent_links")
        .values({ parent_id: body.parentId, student_id: body.studentId })
        .returning(["id", "parent_id", "student_id", "created_at"])
        .executeTakeFirstOrThrow();
      return toParentLink(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("This parent is already linked to this student.");
      throw error;
    }
  }

  async list(trx: TenantDb, actor: Actor, page: PageRequest): Promise<Page<ParentLink>> {
    const scope = parentLinkReadScope(actor);
    if (scope.kind === "none") throw new ForbiddenError();
    let query = trx
      .selectFrom("parent_links as pl")
      .select(["pl.id", "pl.parent_id", "pl.student_id", "pl.created_at"]);
    if (scope.kind === "parent") query = query.where("pl.parent_id", "=", scope.parentId);
    return paginate(query, {
      alias: "pl",
      list: "parent-links",
      page,
      cursors: this.#deps.cursors,
      map: toParentLink,
    });
  }
}
