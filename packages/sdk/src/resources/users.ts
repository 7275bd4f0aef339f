import { UserPageSchema, UserSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { User } from "../types/models.js";
import type { CreateUserBody, UpdateUserBody, UserListQuery } from "../types/requests.js";

/** `/users`: the people of the signed-in user's academy. */
export class Users extends APIResource {
  /**
   * Adds a user to the academy (admins only); a taken email is a `ConflictError`.
   *
   * @example
   * const student = await client.users.create({
   *   email: "sam@north.example", name: "Sam", role: "student", password: "long enough",
   * });
   */
  create(body: CreateUserBody, options?: RequestOptions): APIPromise<User> {
    return this.request({ method: "POST", path: "/users", body, schema: UserSchema }, options);
  }

  /**
   * Users the caller may see, optionally one role.
   *
   * @example
   * const students = await client.users.list({ role: "student" }).toArray({ limit: 200 });
   */
  list(query: UserListQuery = {}, options?: RequestOptions): PagePromise<User> {
    return this.paginate("/users", query, UserPageSchema, options);
  }

  /** @example const user = await client.users.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<User> {
    return this.request(
      { method: "GET", path: `/users/${segment(id)}`, schema: UserSchema },
      options,
    );
  }

  /**
   * Changes name, email or password (admins: anyone; everyone: themself).
   *
   * @example
   * await client.users.update(id, { name: "Samantha" });
   */
  update(id: string, body: UpdateUserBody, options?: RequestOptions): APIPromise<User> {
    return this.request(
      { method: "PATCH", path: `/users/${segment(id)}`, body, schema: UserSchema },
      options,
    );
  }

  /**
   * Soft-deletes a user; their tokens stop working at once.
   *
   * @example
   * await client.users.delete(id);
   */
  delete(id: string, options?: RequestOptions): APIPromise<void> {
    return this.request({ method: "DELETE", path: `/users/${segment(id)}` }, options);
  }
}
