import { ParentLinkPageSchema, ParentLinkSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions } from "../core/resource.js";
import type { ParentLink } from "../types/models.js";
import type { CreateParentLinkBody, PageQuery } from "../types/requests.js";

/** `/parent-links`: which parent may see which student. */
export class ParentLinks extends APIResource {
  /**
   * Links a parent to a student (admins only).
   *
   * @example
   * await client.parentLinks.create({ parentId: parent.id, studentId: student.id });
   */
  create(body: CreateParentLinkBody, options?: RequestOptions): APIPromise<ParentLink> {
    return this.request(
      { method: "POST", path: "/parent-links", body, schema: ParentLinkSchema },
      options,
    );
  }

  /**
   * Admins see every link, a parent their own.
   *
   * @example
   * const links = await client.parentLinks.list().toArray({ limit: 100 });
   */
  list(query: PageQuery = {}, options?: RequestOptions): PagePromise<ParentLink> {
    return this.paginate("/parent-links", query, ParentLinkPageSchema, options);
  }
}
