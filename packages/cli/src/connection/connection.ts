import type { SkillBridgeDatabase } from "@skillbridge/core";
import type { SkillBridge } from "@skillbridge/sdk";

/** The SDK client a command talks through, and where it points. */
export interface Connection {
  /** `embedded`: a server in this process over the local database; `remote`: `--api-url`. */
  readonly mode: "embedded" | "remote";
  /** What answers: `PGlite in ./.skillbridge`, `PostgreSQL at host/db`, or the server's URL. */
  readonly description: string;
  /** The server's base URL (`http://127.0.0.1:PORT` when embedded). */
  readonly apiUrl: string;
  readonly client: SkillBridge;
  /** The bearer token the client sends, if any (handed to `impersonate --exec` children). */
  readonly token: string | undefined;
  /**
   * Embedded mode only: the local database under the server, and the operator's
   * platform user id. Bulk question imports write through it with core's COPY
   * path instead of HTTP batches (docs/cli.md, "Imports in embedded mode").
   */
  readonly local?: { readonly db: SkillBridgeDatabase; readonly operatorId: string } | undefined;
  /** Stops the embedded server and closes the database; nothing for remote. */
  close(): Promise<void>;
}
