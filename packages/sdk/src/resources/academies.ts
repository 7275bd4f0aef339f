import {
  AcademyPageSchema,
  AcademySchema,
  CreateAcademyResponseSchema,
  MoveAcademyResponseSchema,
  UserPageSchema,
  UserSchema,
} from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { Academy, CreateAcademyResponse, MoveAcademyResponse, User } from "../types/models.js";
import type {
  AcademyListQuery,
  AcademyUserQuery,
  CreateAcademyBody,
  CreateUserBody,
  MoveAcademyBody,
  UpdateAcademyBody,
} from "../types/requests.js";

/** `/admin/academies`: platform admins only. */
export class Academies extends APIResource {
  /**
   * Onboards an academy and its first admin in one step; a taken slug is a `ConflictError`.
   *
   * @example
   * const { academy, admin } = await client.academies.create({
   *   slug: "north-prep",
   *   name: "North Prep",
   *   admin: { email: "ada@north.example", name: "Ada", password: "correct horse battery" },
   * });
   */
  create(body: CreateAcademyBody, options?: RequestOptions): APIPromise<CreateAcademyResponse> {
    return this.request(
      { method: "POST", path: "/admin/academies", body, schema: CreateAcademyResponseSchema },
      options,
    );
  }

  /**
   * Every live academy, page by page; `deleted: "include" | "only"` adds soft-deleted
   * ones, `slug` narrows to one.
   *
   * @example
   * for await (const academy of client.academies.list()) console.log(academy.slug);
   * const [north] = (await client.academies.list({ slug: "north-prep" })).data;
   */
  list(query: AcademyListQuery = {}, options?: RequestOptions): PagePromise<Academy> {
    return this.paginate("/admin/academies", query, AcademyPageSchema, options);
  }

  /**
   * An academy's users (by exact `email` or `role`): whom a platform admin may impersonate.
   *
   * @example
   * const [ada] = (await client.academies.users(academyId, { email: "ada@north.example" })).data;
   */
  users(id: string, query: AcademyUserQuery = {}, options?: RequestOptions): PagePromise<User> {
    return this.paginate(`/admin/academies/${segment(id)}/users`, query, UserPageSchema, options);
  }

  /**
   * Creates a user in an academy as the platform admin (audit-logged as
   * `academy.users.create`); an impersonation cannot create users. A taken
   * email is a `ConflictError`; an unknown academy a `NotFoundError`.
   *
   * @example
   * const user = await client.academies.createUser(academyId, {
   *   email: "sam@north.example", name: "Sam", role: "student", password,
   * });
   */
  createUser(id: string, body: CreateUserBody, options?: RequestOptions): APIPromise<User> {
    return this.request(
      {
        method: "POST",
        path: `/admin/academies/${segment(id)}/users`,
        body,
        schema: UserSchema,
      },
      options,
    );
  }

  /**
   * Moves an academy's rows to the shared schema or to a dedicated schema of its own,
   * in one transaction (copied, verified per table, switched, old rows removed): an
   * interrupted move leaves it where it was. Already there: `ConflictError`. A large
   * academy may take longer than the default timeout; pass `{ timeoutMs }`.
   *
   * @example
   * const { tables } = await client.academies.move(id, { to: "schema" }, { timeoutMs: 600_000 });
   */
  move(
    id: string,
    body: MoveAcademyBody,
    options?: RequestOptions,
  ): APIPromise<MoveAcademyResponse> {
    return this.request(
      {
        method: "POST",
        path: `/admin/academies/${segment(id)}/move`,
        body,
        schema: MoveAcademyResponseSchema,
      },
      options,
    );
  }

  /** @example const academy = await client.academies.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<Academy> {
    return this.request(
      { method: "GET", path: `/admin/academies/${segment(id)}`, schema: AcademySchema },
      options,
    );
  }

  /**
   * Renames, suspends or reactivates an academy (the slug never changes).
   *
   * @example
   * await client.academies.update(id, { status: "suspended" });
   */
  update(id: string, body: UpdateAcademyBody, options?: RequestOptions): APIPromise<Academy> {
    return this.request(
      { method: "PATCH", path: `/admin/academies/${segment(id)}`, body, schema: AcademySchema },
      options,
    );
  }

  /**
   * Soft-deletes an academy: its users get 401 until it is restored.
   *
   * @example
   * await client.academies.delete(id);
   */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.request({ method: "DELETE", path: `/admin/academies/${segment(id)}` }, options);
  }

  /**
   * Removes a deleted academy for good: its rows, its schema, the academy
   * itself (audit-log entries stay). A live academy is a `ConflictError`:
   * `delete` it first.
   *
   * @example
   * await client.academies.delete(id);
   * await client.academies.purge(id);
   */
  purge(id: string, options?: RequestOptions): APIPromise<void> {
    return this.request({ method: "POST", path: `/admin/academies/${segment(id)}/purge` }, options);
  }

  /** @example const academy = await client.academies.restore(id); */
  restore(id: string, options?: RequestOptions): APIPromise<Academy> {
    return this.request(
      { method: "POST", path: `/admin/academies/${segment(id)}/restore`, schema: AcademySchema },
      options,
    );
  }
}
