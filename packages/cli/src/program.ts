import { Command, CommanderError, Option } from "commander";
import type { UsersCreateInput } from "./commands/users/create.js";
import type { CliIO } from "./io.js";
import { errorLine } from "./output/error-line.js";
import type { CommandOutput } from "./output/view.js";
import type { GlobalOptions, Session } from "./session.js";
import { VERSION } from "./version.js";

/**
 * A command's function, loaded when the command runs: starting the CLI loads
 * commander and this file only, so `--version`, `--help` and a usage error
 * never load Ink, React, the SDK or the server (bench: `embedded.versionRatio`).
 */
// biome-ignore lint/suspicious/noExplicitAny: any function's parameters, typed again by `F`.
function lazy<F extends (...args: any[]) => Promise<unknown>>(load: () => Promise<F>): F {
  return (async (...args: Parameters<F>) => (await load())(...args)) as F;
}

const auditIsolation = lazy(() =>
  import("./commands/audit/isolation.js").then((m) => m.auditIsolation),
);
const login = lazy(() => import("./commands/auth.js").then((m) => m.login));
const logout = lazy(() => import("./commands/auth.js").then((m) => m.logout));
const whoami = lazy(() => import("./commands/auth.js").then((m) => m.whoami));
const dbMigrate = lazy(() => import("./commands/db/migrate.js").then((m) => m.dbMigrate));
const dbStatus = lazy(() => import("./commands/db/status.js").then((m) => m.dbStatus));
const demo = lazy(() => import("./commands/demo/index.js").then((m) => m.demo));
const impersonate = lazy(() => import("./commands/impersonate.js").then((m) => m.impersonate));
const init = lazy(() => import("./commands/init.js").then((m) => m.init));
const parentsLink = lazy(() => import("./commands/parents/link.js").then((m) => m.parentsLink));
const questionsImport = lazy(() =>
  import("./commands/questions/import.js").then((m) => m.questionsImport),
);
const questionsExport = lazy(() =>
  import("./commands/questions/export.js").then((m) => m.questionsExport),
);
const questionsList = lazy(() =>
  import("./commands/questions/list.js").then((m) => m.questionsList),
);
const questionsRetire = lazy(() =>
  import("./commands/questions/retire.js").then((m) => m.questionsRetire),
);
const questionsShow = lazy(() =>
  import("./commands/questions/show.js").then((m) => m.questionsShow),
);
const serve = lazy(() => import("./commands/serve.js").then((m) => m.serve));
const tenantsCreate = lazy(() =>
  import("./commands/tenants/create.js").then((m) => m.tenantsCreate),
);
const tenantsDelete = lazy(() =>
  import("./commands/tenants/delete.js").then((m) => m.tenantsDelete),
);
const tenantsList = lazy(() => import("./commands/tenants/list.js").then((m) => m.tenantsList));
const tenantsMove = lazy(() => import("./commands/tenants/move.js").then((m) => m.tenantsMove));
const tenantsShow = lazy(() => import("./commands/tenants/show.js").then((m) => m.tenantsShow));
const tenantsRestore = lazy(() =>
  import("./commands/tenants/status.js").then((m) => m.tenantsRestore),
);
const tenantsSuspend = lazy(() =>
  import("./commands/tenants/status.js").then((m) => m.tenantsSuspend),
);
const usersCreate = lazy(() => import("./commands/users/create.js").then((m) => m.usersCreate));
const usersList = lazy(() => import("./commands/users/list.js").then((m) => m.usersList));
const worker = lazy(() => import("./commands/worker.js").then((m) => m.worker));

const EXIT_CODES_HELP = `
Modes:
  Remote     --api-url / SKILLBRIDGE_API_URL (or the server of \`skillbridge login\`),
             with SKILLBRIDGE_TOKEN or the stored login token.
  Embedded   no API URL: the server runs in this process over the local database
             (DATABASE_URL, else PGlite in --data-dir / SKILLBRIDGE_DATA_DIR, default
             ./.skillbridge). Whoever holds the database is the operator: no login.

Exit codes:
  0    success
  1    a failure you can fix (bad input, a refused request, a missing flag),
       or an audit with a high finding
  70   an unexpected error: please report it (rerun with --verbose for details)
  130  interrupted

Environment:
  SKILLBRIDGE_API_URL, SKILLBRIDGE_TOKEN, SKILLBRIDGE_DATA_DIR, DATABASE_URL,
  GROQ_API_KEY (AI by Groq; offline rules without it),
  XDG_CONFIG_HOME (login stored in $XDG_CONFIG_HOME/skillbridge/login.json, mode 0600),
  NO_COLOR, CI (never prompt)`;

/** What the run ended with, read by `main` after commander returns. */
export interface RunState {
  session: Session | undefined;
  exitCode: number;
}

function globalOptions(command: Command, io: CliIO): GlobalOptions {
  const o = command.optsWithGlobals<{
    json?: boolean;
    yes?: boolean;
    quiet?: boolean;
    verbose?: boolean;
    color?: boolean;
    apiUrl?: string;
    dataDir?: string;
  }>();
  return {
    json: o.json === true,
    yes: o.yes === true,
    quiet: o.quiet === true,
    verbose: o.verbose === true,
    color: o.color !== false && !io.env.NO_COLOR && io.env.TERM !== "dumb",
    apiUrl: o.apiUrl,
    dataDir: o.dataDir,
  };
}

/**
 * The `skillbridge` command tree. Each action builds a session from the global
 * flags, calls a command function (which returns data) and prints it.
 */
export function buildProgram(
  io: CliIO,
  state: RunState,
  options: { readonly errorColor?: boolean } = {},
): Command {
  const program = new Command("skillbridge");
  // Commander's own errors (unknown option, missing argument) read like ours.
  const output = {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) =>
      write(errorLine(text, options.errorColor === true)),
  };

  const run =
    <A extends unknown[]>(
      fn: (session: Session, ...args: A) => Promise<CommandOutput | undefined>,
    ) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const { Session } = await import("./session.js");
      const session: Session = new Session(io, globalOptions(command, io));
      state.session = session;
      const output = await fn(session, ...(args.slice(0, -1) as A));
      if (output) await session.print(output);
      // A verdict (an audit's) travels beside the data; `impersonate --exec` reports its child's in the data.
      const exitCode =
        output?.exitCode ?? (output?.data as { exitCode?: unknown } | undefined)?.exitCode;
      if (typeof exitCode === "number") state.exitCode = exitCode;
    };

  program
    .description(
      "SkillBridge for platform admins: onboard academies, manage users, impersonate, serve the API",
    )
    .version(VERSION, "-v, --version", "print the version")
    .option("--api-url <url>", "the SkillBridge API to talk to (remote mode): an http(s) URL")
    .option(
      "--data-dir <dir>",
      "embedded mode: where PGlite keeps its data (default ./.skillbridge)",
    )
    .option("--json", "print the result as JSON on stdout, and nothing else there")
    .option("-y, --yes", "answer yes to confirmations")
    .option(
      "-q, --quiet",
      "print only what scripts need: ids, one-time passwords, tokens (errors still go to stderr)",
    )
    .option("--verbose", "server logs and stack traces on stderr")
    .option("--no-color", "no colours (also NO_COLOR)")
    .helpOption("-h, --help", "show help")
    .addHelpText("after", EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .configureOutput(output)
    .exitOverride();

  program
    .command("init")
    .description(
      "migrate the local database and create the first platform admin (re-running is harmless)",
    )
    .option("--admin-email <email>", "the platform admin's email")
    .option("--admin-name <name>", "the platform admin's name", "Platform Admin")
    .option(
      "--admin-password <password>",
      "the password, 8-256 characters (default: generated and shown once)",
    )
    .action(run((s, o: Record<string, string | undefined>) => init(s, o)));

  program
    .command("serve")
    .description(
      "run the API server in the foreground on the local database (SIGTERM drains and exits)",
    )
    .option("--port <port>", "port to listen on", "3000")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--workers <n|auto>",
      "server processes on one port, 1-64 or auto (one per CPU); above 1 needs PostgreSQL (DATABASE_URL), and REDIS_URL to share rate limits",
    )
    // The old spelling of --no-jobs, still understood (serve says so).
    .addOption(new Option("--no-workers").hideHelp())
    .option("--no-jobs", "run no background jobs here (run `skillbridge worker` beside it)")
    .addHelpText(
      "after",
      "\nEnvironment:\n" +
        "  DATABASE_URL                PostgreSQL (default: PGlite in the data dir)\n" +
        "  REDIS_URL                   rate limits and idempotency keys shared by every process\n" +
        "  SKILLBRIDGE_REDIS_PREFIX    first part of every Redis key (default sb)\n" +
        "  SKILLBRIDGE_RATE_LIMIT      each academy's budget, <requests>/<seconds> (default 600/60)\n" +
        "  SKILLBRIDGE_TENANT_SLOTS    tenant transactions at once, all academies (default: the pool)\n" +
        "  SKILLBRIDGE_ADAPTIVE_SLOTS  1: fewer of them while transactions slow down (default 0)\n" +
        "  SKILLBRIDGE_JWT_SECRET      token signing secret (default: the data dir's jwt-secret)\n" +
        "  LOG_LEVEL                   request log level (default info)\n",
    )
    .action(
      run(
        async (
          s,
          o: { port?: string; host?: string; workers?: string | boolean; jobs?: boolean },
        ) => {
          await serve(s, o);
          return undefined;
        },
      ),
    );

  program
    .command("worker")
    .description(
      "run background jobs (AI pre-grading) on the local database until SIGTERM, which stops it after the job in hand",
    )
    .option("--concurrency <n>", "jobs run at once (1-32)", "1")
    .option("--poll-interval <ms>", "wait between polls of an empty queue, in ms", "1000")
    .option("--once", "run the jobs due now, print what happened and exit")
    .action(
      run((s, o: { concurrency?: string; pollInterval?: string; once?: boolean }) => worker(s, o)),
    );

  program
    .command("login")
    .description("sign in to a remote server and keep the token (mode 0600)")
    .option("--email <email>", "your email")
    .option("--academy <slug>", "sign in as an academy user (default: a platform user)")
    .option("--password-stdin", "read the password from stdin instead of prompting")
    .action(
      run((s, o: { email?: string; academy?: string; passwordStdin?: boolean }) => login(s, o)),
    );

  program
    .command("logout")
    .description("revoke the stored token on its server and forget it")
    .action(run((s) => logout(s)));
  program
    .command("whoami")
    .description("who the CLI acts as, and where")
    .action(run((s) => whoami(s)));

  const tenants = program
    .command("tenants")
    .description("onboard and manage academies (platform admins)");
  tenants
    .command("create")
    .description("onboard an academy and its first admin in one call")
    .option("--slug <slug>", "URL name: 3-63 lowercase letters, digits, hyphens")
    .option("--name <name>", "display name (1-200 characters)")
    .option("--admin-email <email>", "first admin's email")
    .option("--admin-name <name>", "first admin's name")
    .option(
      "--admin-password <password>",
      "first admin's password, 8-256 characters (default: generated and shown once)",
    )
    .option(
      "--invite",
      "invite the first admin instead: print a one-time invitation token (7 days) with which they choose their password",
    )
    .addOption(
      new Option("--placement <placement>", "where its rows live")
        .choices(["shared", "schema"])
        .default("shared"),
    )
    .action(
      run((s, o: Record<string, string | undefined> & { invite?: boolean }) => tenantsCreate(s, o)),
    );
  tenants
    .command("list")
    .description("list academies")
    .option("--all", "include soft-deleted academies")
    .action(run((s, o: { all?: boolean }) => tenantsList(s, o)));
  tenants
    .command("show")
    .description("show one academy")
    .argument("<slug>", "the academy's slug")
    .action(run((s, slug: string) => tenantsShow(s, slug)));
  tenants
    .command("suspend")
    .description("suspend an academy: its users get 403 until restored")
    .argument("<slug>", "the academy's slug")
    .action(run((s, slug: string) => tenantsSuspend(s, slug)));
  tenants
    .command("restore")
    .description("bring back a deleted academy and reactivate a suspended one")
    .argument("<slug>", "the academy's slug")
    .action(run((s, slug: string) => tenantsRestore(s, slug)));
  tenants
    .command("delete")
    .description("soft-delete an academy (asks you to type the slug, or --yes)")
    .argument("<slug>", "the academy's slug")
    .action(run((s, slug: string) => tenantsDelete(s, slug)));
  tenants
    .command("move")
    .description(
      "move an academy's rows to a dedicated schema or back to the shared one, in one verified transaction (asks you to type the slug, or --yes)",
    )
    .argument("<slug>", "the academy's slug")
    .addOption(
      new Option("--to <placement>", "where its rows go")
        .choices(["schema", "shared"])
        .makeOptionMandatory(),
    )
    .action(run((s, slug: string, o: { to?: string }) => tenantsMove(s, slug, o)));

  const db = program
    .command("db")
    .description(
      "the local database's migrations (operator jobs: they work on the database directly)",
    );
  db.command("migrate")
    .description(
      "apply platform and tenant migrations to public and every dedicated schema, a few at a time, resumable (exit 1 if a schema is left behind)",
    )
    .option("--concurrency <n>", "dedicated schemas migrated at once (1-32; PGlite: 1)", "2")
    .action(run((s, o: { concurrency?: string }) => dbMigrate(s, o)));
  db.command("status")
    .description("each tenant schema's migration version (exit 1 if any is behind)")
    .action(run((s) => dbStatus(s)));

  const users = program.command("users").description("users of an academy, or of the platform");
  users
    .command("create")
    .description(
      "create a user (platform admins act through an audit-logged impersonation); with --platform, a platform user such as a content_manager",
    )
    .option(
      "--platform",
      "a platform user (role platform_admin or content_manager), not an academy's",
    )
    .option("--academy <slug>", "the academy (platform admins)")
    .option("--email <email>", "email")
    .option("--name <name>", "name")
    .option(
      "--role <role>",
      "admin, instructor, student or parent; with --platform, platform_admin or content_manager",
    )
    .option(
      "--password <password>",
      "password, 8-256 characters (default: generated and shown once)",
    )
    // Not used: a platform admin creates users through the audited platform route, not an
    // impersonation (docs/cli.md). Accepted, unlisted, so scripts that pass it still run.
    .addOption(new Option("--reason <reason>").hideHelp())
    .action(run((s, o: UsersCreateInput) => usersCreate(s, o)));
  users
    .command("list")
    .description("list an academy's users")
    .option("--academy <slug>", "the academy (platform admins)")
    .option("--role <role>", "only this role")
    .action(run((s, o: Record<string, string | undefined>) => usersList(s, o)));

  const parents = program.command("parents").description("parents and the students they follow");
  parents
    .command("link")
    .description("let a parent see one student")
    .option("--academy <slug>", "the academy (platform admins)")
    .option("--parent <email>", "the parent's email")
    .option("--student <email>", "the student's email")
    .option(
      "--reason <reason>",
      "reason written to the audit log for the impersonation (3-500 characters)",
    )
    .action(run((s, o: Record<string, string | undefined>) => parentsLink(s, o)));

  program
    .command("impersonate")
    .description("a short-lived, audit-logged token acting as an academy user")
    .option("--academy <slug>", "the academy")
    .option("--user <email>", "the user to act as")
    .option("--reason <reason>", "why, written to the audit log (3-500 characters)")
    .option("--ttl <duration>", "lifetime, 1m to 1h", "15m")
    .option("--exec <command>", "run a command with SKILLBRIDGE_TOKEN and SKILLBRIDGE_API_URL set")
    .action(run((s, o: Record<string, string | undefined>) => impersonate(s, o)));

  const audit = program.command("audit").description("audits of a SkillBridge deployment");
  audit
    .command("isolation")
    .description(
      "audit tenant isolation: the database's RLS, keys, views, functions, roles and data; with --probe, the live API (exit 1 on a high finding)",
    )
    .option(
      "--probe",
      "also call every API route as each role of a throwaway academy with another's ids (the fixture academies are removed afterwards)",
    )
    .action(run((s, o: { probe?: boolean }) => auditIsolation(s, o)));

  const questions = program
    .command("questions")
    .description("the shared SAT and GRE question banks");
  questions
    .command("import")
    .description(
      "import a question file (json, ndjson, csv, gift, aiken, Moodle xml) into a bank; exit 1 if any row is rejected",
    )
    .argument("<file>", "the file to import")
    .addOption(
      new Option("--bank <bank>", "the bank (default: the one the file names)").choices([
        "sat",
        "gre",
      ]),
    )
    .addOption(
      new Option(
        "--format <format>",
        "the file's format (default: from its extension, or XML from its content)",
      ).choices(["json", "ndjson", "csv", "gift", "aiken", "xml"]),
    )
    .option("--topic <topic>", "the topic of rows that do not name one")
    .option(
      "--difficulty <difficulty>",
      "the difficulty of rows that do not say: 1-5 or easy, medium, hard",
    )
    .addOption(
      new Option(
        "--section <section>",
        "the section of rows whose type does not decide it",
      ).choices(["reading_writing", "math", "verbal", "quantitative"]),
    )
    .option("--dry-run", "validate and show what would change (and how); write nothing")
    .option("--strict", "import nothing if any row is rejected")
    .action(
      run(
        (
          s,
          file: string,
          o: {
            bank?: string;
            format?: string;
            dryRun?: boolean;
            strict?: boolean;
            topic?: string;
            difficulty?: string;
            section?: string;
          },
        ) => questionsImport(s, file, o),
      ),
    );

  questions
    .command("list")
    .description("list the bank's questions (retired ones only with --retired)")
    .addOption(new Option("--bank <bank>", "only this bank").choices(["sat", "gre"]))
    .option("--type <type>", "only this type")
    .option("--topic <topic>", "only this topic")
    .option("--section <section>", "only this section")
    .option("--search <words>", 'text search of prompts and passages (words, "a phrase", -not)')
    .option("--external-id <id>", "the question(s) with this externalId")
    .addOption(
      new Option("--retired <which>", "retired questions: leave out, list too, or only").choices([
        "exclude",
        "include",
        "only",
      ]),
    )
    .option("--limit <n>", 'most questions to list, or "all"', "50")
    .action(run((s, o: Record<string, string | undefined>) => questionsList(s, o)));
  questions
    .command("show")
    .description("one question, by id or externalId (retired ones too)")
    .argument("<question>", "its id or externalId")
    .addOption(
      new Option("--bank <bank>", "the bank, when both use the externalId").choices(["sat", "gre"]),
    )
    .action(run((s, ref: string, o: { bank?: string }) => questionsShow(s, ref, o)));
  questions
    .command("export")
    .description(
      "write a bank as canonical json, ndjson or csv (to stdout, or --out FILE) that re-imports unchanged",
    )
    .addOption(new Option("--bank <bank>", "the bank").choices(["sat", "gre"]))
    .addOption(
      new Option("--format <format>", "the file format")
        .choices(["json", "ndjson", "csv"])
        .default("json"),
    )
    .option("--out <file>", "write this file (complete, or not at all) instead of stdout")
    .addOption(
      new Option("--retired <which>", "retired questions: leave out, add, or only").choices([
        "exclude",
        "include",
        "only",
      ]),
    )
    .action(run((s, o: Record<string, string | undefined>) => questionsExport(s, o)));
  questions
    .command("retire")
    .description(
      "retire questions: out of practice, mock exams and quizzes from the bank, history kept (--undo brings them back)",
    )
    .argument("<questions...>", "ids or externalIds")
    .addOption(
      new Option("--bank <bank>", "the bank, when both use an externalId").choices(["sat", "gre"]),
    )
    .option("--undo", "bring the questions back")
    .action(
      run((s, refs: string[], o: { bank?: string; undo?: boolean }) => questionsRetire(s, refs, o)),
    );

  program
    .command("demo")
    .description("seed a demo academy and show what admin, instructor, student and parent each see")
    .addOption(
      new Option("--role <role>", "show one role only").choices([
        "admin",
        "instructor",
        "student",
        "parent",
      ]),
    )
    .option("--reset", "soft-delete the demo academy and seed a fresh one")
    .action(run((s, o: { role?: string; reset?: boolean }) => demo(s, o)));

  program
    .command("completion")
    .description("print a shell completion script")
    .argument("<shell>", "bash, zsh or fish")
    .action(async (shell: string) => {
      const { completion } = await import("./commands/completion.js");
      io.stdout.write(completion(program, shell));
    });

  // Subcommands share the parent's output and error handling.
  const inherit = (command: Command) => {
    for (const sub of command.commands) {
      sub.configureOutput(output);
      sub.exitOverride();
      sub.showSuggestionAfterError(true);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

export { CommanderError };
