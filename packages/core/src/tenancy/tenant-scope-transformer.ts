import {
  AliasNode,
  AndNode,
  BinaryOperationNode,
  ColumnNode,
  type ColumnUpdateNode,
  type DeleteQueryNode,
  type FromNode,
  InsertQueryNode,
  type JoinNode,
  type MergeQueryNode,
  type OperationNode,
  OperationNodeTransformer,
  OperatorNode,
  ParensNode,
  PrimitiveValueListNode,
  type QueryId,
  ReferenceNode,
  type SelectQueryNode,
  TableNode,
  type UpdateQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  WhereNode,
} from "kysely";
import { TenantScopeViolationError } from "../errors.js";
import { isTenantTable } from "../schema/tenant-tables.js";

const TENANT_COLUMN = "tenant_id";

interface TableRef {
  readonly table: string;
  /** The name the query refers to the table by: its alias, or the (schema-qualified) table. */
  readonly qualifier: TableNode;
}

/** The tenant table a FROM/JOIN item names, if any (subqueries are scoped on their own). */
function tenantTableRef(node: OperationNode): TableRef | undefined {
  if (TableNode.is(node)) {
    const name = node.table.identifier.name;
    return isTenantTable(name) ? { table: name, qualifier: node } : undefined;
  }
  if (AliasNode.is(node) && TableNode.is(node.node) && "name" in node.alias) {
    const name = node.node.table.identifier.name;
    const alias = (node.alias as { name: string }).name;
    return isTenantTable(name) ? { table: name, qualifier: TableNode.create(alias) } : undefined;
  }
  return undefined;
}

/** Whether an assignment list writes `tenant_id`, however the column is spelled (`col`, `t.col`). */
function setsTenantColumn(updates: readonly ColumnUpdateNode[] | undefined): boolean {
  return (updates ?? []).some((update) => {
    const column = ReferenceNode.is(update.column) ? update.column.column : update.column;
    return ColumnNode.is(column) && column.column.name === TENANT_COLUMN;
  });
}

/**
 * `existing AND scope`, with the existing condition in parentheses: Kysely
 * prints AND/OR trees without them, and `a OR b AND scope` would scope only `b`.
 */
function andScope(existing: OperationNode | undefined, scope: OperationNode): OperationNode {
  return existing ? AndNode.create(ParensNode.create(existing), scope) : scope;
}

function withWhere<T extends SelectQueryNode | UpdateQueryNode | DeleteQueryNode>(
  node: T,
  scope: OperationNode,
): T {
  const next: T = { ...node, where: WhereNode.create(andScope(node.where?.where, scope)) };
  return Object.freeze(next);
}

/**
 * Rewrites every query that touches a tenant table so that it only reaches the
 * current academy: `tenant_id = $tenant` on selects, updates and deletes (on
 * the JOIN's ON clause for joined tables, so outer joins stay outer), and a
 * stamped `tenant_id` on inserts. Code that writes `tenant_id` itself is a
 * bug, and is refused rather than silently corrected.
 */
export class TenantScopeTransformer extends OperationNodeTransformer {
  readonly #tenantId: string;

  constructor(tenantId: string) {
    super();
    this.#tenantId = tenantId;
  }

  #condition(ref: TableRef): OperationNode {
    return BinaryOperationNode.create(
      ReferenceNode.create(ColumnNode.create(TENANT_COLUMN), ref.qualifier),
      OperatorNode.create("="),
      ValueNode.create(this.#tenantId),
    );
  }

  #scopeFroms<T extends SelectQueryNode | UpdateQueryNode | DeleteQueryNode>(
    node: T,
    from: FromNode | undefined,
  ): T {
    let scoped = node;
    for (const item of from?.froms ?? []) {
      const ref = tenantTableRef(item);
      if (ref) scoped = withWhere(scoped, this.#condition(ref));
    }
    return scoped;
  }

  #scopeJoins<T extends SelectQueryNode | UpdateQueryNode | DeleteQueryNode>(node: T): T {
    if (!node.joins) return node;
    let scoped = node;
    const joins: JoinNode[] = [];
    for (const join of node.joins) {
      const ref = tenantTableRef(join.table);
      if (!ref) {
        joins.push(join);
      } else if (join.on) {
        joins.push(
          Object.freeze({
            ...join,
            on: Object.freeze({
              ...join.on,
              on: andScope(join.on.on, this.#condition(ref)),
            }),
          }),
        );
      } else {
        joins.push(join);
        scoped = withWhere(scoped, this.#condition(ref));
      }
    }
    const next: T = { ...scoped, joins: Object.freeze(joins) };
    return Object.freeze(next);
  }

  protected override transformSelectQuery(
    node: SelectQueryNode,
    queryId?: QueryId,
  ): SelectQueryNode {
    const transformed = super.transformSelectQuery(node, queryId);
    return this.#scopeJoins(this.#scopeFroms(transformed, transformed.from));
  }

  protected override transformUpdateQuery(
    node: UpdateQueryNode,
    queryId?: QueryId,
  ): UpdateQueryNode {
    const transformed = super.transformUpdateQuery(node, queryId);
    const target = transformed.table ? tenantTableRef(transformed.table) : undefined;
    if (!target) return this.#scopeJoins(this.#scopeFroms(transformed, transformed.from));
    if (setsTenantColumn(transformed.updates)) {
      throw new TenantScopeViolationError(`update of ${target.table} sets tenant_id`);
    }
    const scoped = withWhere(transformed, this.#condition(target));
    return this.#scopeJoins(this.#scopeFroms(scoped, scoped.from));
  }

  protected override transformDeleteQuery(
    node: DeleteQueryNode,
    queryId?: QueryId,
  ): DeleteQueryNode {
    const transformed = super.transformDeleteQuery(node, queryId);
    let scoped = this.#scopeFroms(transformed, transformed.from);
    for (const item of scoped.using?.tables ?? []) {
      const ref = tenantTableRef(item);
      if (ref) scoped = withWhere(scoped, this.#condition(ref));
    }
    return this.#scopeJoins(scoped);
  }

  protected override transformInsertQuery(
    node: InsertQueryNode,
    queryId?: QueryId,
  ): InsertQueryNode {
    const transformed = super.transformInsertQuery(node, queryId);
    const target = transformed.into ? tenantTableRef(transformed.into) : undefined;
    if (!target) return transformed;
    if (transformed.columns?.some((c) => c.column.name === TENANT_COLUMN)) {
      throw new TenantScopeViolationError(`insert into ${target.table} sets tenant_id`);
    }
    if (setsTenantColumn(transformed.onConflict?.updates)) {
      throw new TenantScopeViolationError(`upsert into ${target.table} sets tenant_id on conflict`);
    }
    const values = transformed.values;
    if (!values || !ValuesNode.is(values)) {
      throw new TenantScopeViolationError(
        `insert into ${target.table} must use a VALUES list so tenant_id can be stamped`,
      );
    }
    const rows = values.values.map((row) =>
      PrimitiveValueListNode.is(row)
        ? PrimitiveValueListNode.create([...row.values, this.#tenantId])
        : ValueListNode.create([...row.values, ValueNode.create(this.#tenantId)]),
    );
    return InsertQueryNode.cloneWith(transformed, {
      columns: Object.freeze([...(transformed.columns ?? []), ColumnNode.create(TENANT_COLUMN)]),
      values: ValuesNode.create(rows),
    });
  }

  /** MERGE's branches cannot be stamped and scoped reliably: refused on tenant tables. */
  protected override transformMergeQuery(node: MergeQueryNode, queryId?: QueryId): MergeQueryNode {
    const into = tenantTableRef(node.into);
    const using = node.using ? tenantTableRef(node.using.table) : undefined;
    if (into || using) {
      throw new TenantScopeViolationError(
        `MERGE on tenant table ${(into ?? using)?.table} is not supported`,
      );
    }
    return super.transformMergeQuery(node, queryId);
  }
}
