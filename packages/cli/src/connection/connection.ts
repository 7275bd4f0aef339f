import type { SkillBridge } from "@skillbridge/sdk";

/** The SDK client a command talks through, and where it points. */
export interface Connection {
  /** `embedded`: a server in this process over the local database; `remote`: `--api-url`. */
  readonly mode: "embedded" | "remote";
  /** The server's base URL (`http://127.0.0.1:PORT` when embedded). */
  readonly apiUrl: string;
  readonly client: SkillBridge;
  /** The bearer token the client sends, if any (handed to `impersonate --exec` children). */
  readonly token: string | undefined;
  /** Stops the embedded server and closes the database; nothing for remote. */
  close(): Promise<void>;
}
