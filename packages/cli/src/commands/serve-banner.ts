import type { Session } from "../session.js";

/** Where and how one server process listens. */
export interface ListenInput {
  readonly port: number;
  readonly host: string;
  readonly jobs: boolean;
}

/** What `serve` prints once it listens (`--json`: this object). */
export interface ServeStarted {
  readonly url: string;
  readonly database: string;
  readonly migrationsApplied: readonly string[];
  readonly processes: number;
  readonly jobs: boolean;
}

export function printStarted(session: Session, started: ServeStarted): void {
  const { url, processes, jobs } = started;
  if (session.options.json) {
    const { database, migrationsApplied } = started;
    const payload = { url, docs: `${url}/docs`, database, migrationsApplied, processes, jobs };
    session.io.stdout.write(`${JSON.stringify(payload)}\n`);
    return;
  }
  session.io.stdout.write(
    `SkillBridge API on ${url} (${started.database})\n` +
      `  Docs       ${url}/docs (the API reference; try calls with a token)\n` +
      `  OpenAPI    ${url}/api/v1/openapi.json\n` +
      `  Processes  ${processes}${processes > 1 ? " (node:cluster, one port)" : ""}\n` +
      `  Jobs       ${jobs ? "on (AI pre-grading runs here)" : "off (run `skillbridge worker`)"}\n` +
      "  SIGTERM or Ctrl-C drains in-flight requests and stops.\n",
  );
}
