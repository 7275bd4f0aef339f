import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import { TenantScopeTransformer } from "./tenant-scope-transformer.js";

/**
 * Scopes every Kysely query on a tenant table to one academy (see
 * {@link TenantScopeTransformer}). It is the data-layer half of isolation;
 * row-level security in the database holds even where this is bypassed.
 *
 * @example
 * const scoped = trx.withPlugin(new TenantScopePlugin(academyId));
 */
export class TenantScopePlugin implements KyselyPlugin {
  readonly #transformer: TenantScopeTransformer;

  constructor(tenantId: string) {
    this.#transformer = new TenantScopeTransformer(tenantId);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
