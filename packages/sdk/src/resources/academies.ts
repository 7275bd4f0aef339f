import {
  type Academy,
  type AcademyListQueryInput,
  AcademyPageSchema,
  AcademySchema,
  type AcademyUserQueryInput,
  type CreateAcademyBody,
  type CreateAcademyResponse,
  CreateAcademyResponseSchema,
  type MoveAcademyBody,
  type MoveAcademyResponse,
  MoveAcademyResponseSchema,
  type UpdateAcademyBody,
  type User,
  UserPageSchema,
} from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";

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
  list(query: AcademyListQueryInput = {}, options?: RequestOptions): PagePromise<Academy> {
    return this.paginate("/admin/academies", query, AcademyPageSchema, options);
  }

  /**
   * An academy's users (by exact `email` or `role`): whom a platform admin may impersonate.
   *
   * @example
   * const [ada] = (await client.academies.users(academyId, { email: "ada@north.example" })).data;
   */
  users(
    id: string,
    query: AcademyUserQueryInput = {},
    options?: RequestOptions,
  ): PagePromise<User> {
    return this.paginate(`/admin/academies/${segment(id)}/users`, query, UserPageSchema, options);
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

  /** @example const academy = await client.academies.restore(id); */
  restore(id: string, options?: RequestOptions): APIPromise<Academy> {
    return this.request(
      { method: "POST", path: `/admin/academies/${segment(id)}/restore`, schema: AcademySchema },
      options,
    );
  }
}
