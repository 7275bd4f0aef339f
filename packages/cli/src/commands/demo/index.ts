import { CliError } from "../../errors.js";
import type { CommandOutput, PanelsView } from "../../output/view.js";
import type { Session } from "../../session.js";
import { DEMO_ROLES, type DemoRole } from "./script.js";
import { seedDemo } from "./seed.js";
import { fetchViews, type RoleView } from "./views.js";

export interface DemoInput {
  readonly role?: string | undefined;
  readonly reset?: boolean | undefined;
}

export interface DemoResult {
  readonly academy: { readonly id: string; readonly slug: string };
  readonly views: Partial<Record<DemoRole, RoleView>>;
}

const SHOWN = 3;

type ListName = Exclude<keyof RoleView, "as">;

/** "3 of 7" beside a heading when the admin's view (the whole academy) is known. */
function ofAll(items: readonly unknown[], all: readonly unknown[] | undefined): string {
  return all === undefined || all === items
    ? `${items.length}`
    : `${items.length} of ${all.length}`;
}

function panels(result: DemoResult, whole: RoleView | undefined, created: boolean): PanelsView {
  const names = new Map<string, string>();
  const titles = new Map<string, string>();
  for (const view of [...Object.values(result.views), ...(whole ? [whole] : [])]) {
    for (const u of view.users) names.set(u.id, u.name);
    for (const a of view.assignments) titles.set(a.id, a.title);
  }
  const student = (id: string) => names.get(id) ?? "a student";
  const assignment = (id: string) => titles.get(id) ?? "an assignment";
  const graded = (view: RoleView) => view.submissions.filter((x) => x.grade !== null);
  const section = <T>(
    heading: string,
    items: readonly T[],
    all: readonly T[] | undefined,
    line: (item: T) => string,
  ) => ({
    heading: `${heading} (${ofAll(items, all)})`,
    lines: [
      ...items.slice(0, SHOWN).map(line),
      ...(items.length > SHOWN ? [`… and ${items.length - SHOWN} more`] : []),
      ...(items.length === 0 ? ["none visible"] : []),
    ],
  });
  return {
    kind: "panels",
    title: `${result.academy.slug}: one academy, four filtered views (${created ? "seeded now" : "reused"})`,
    panels: Object.entries(result.views).map(([role, view]) => {
      // The admin's own column is the whole academy: no "of M" there.
      const all = view === whole ? undefined : whole;
      const list = <K extends ListName>(name: K) => all?.[name] as RoleView[K] | undefined;
      return {
        title: `${role}: ${view.as.name}`,
        sections: [
          section("courses", view.courses, list("courses"), (c) => c.title),
          section("users", view.users, list("users"), (u) => `${u.name} (${u.role})`),
          section("assignments", view.assignments, list("assignments"), (a) => a.title),
          section(
            "submissions",
            view.submissions,
            list("submissions"),
            (x) => `${student(x.studentId)}: ${assignment(x.assignmentId)}`,
          ),
          section(
            "grades",
            graded(view),
            all ? graded(all) : undefined,
            (x) => `${student(x.studentId)}: ${x.grade} on ${assignment(x.assignmentId)}`,
          ),
          section("quizzes", view.quizzes, list("quizzes"), (q) => `${q.title} (${q.status})`),
          section(
            "quiz results",
            view.quizSubmissions,
            list("quizSubmissions"),
            (x) => `${student(x.studentId)}: ${x.score} of ${x.maxScore}`,
          ),
          section(
            "practice sets",
            view.practiceSets,
            list("practiceSets"),
            (p) =>
              `${student(p.studentId)}: ${p.correct} right of ${p.answered} answered, ${p.total} in the set (${p.status.replace("_", " ")})`,
          ),
          section("mock exams", view.mockExams, list("mockExams"), (e) =>
            e.report
              ? `${student(e.studentId)}: ${e.exam.toUpperCase()} ${e.length}, ${e.report.sections
                  .map(
                    (s) =>
                      `${s.section.replace("_", " and ")} ${s.correct}/${s.total} (${s.route}) est. ${s.estimatedScore.low}-${s.estimatedScore.high}`,
                  )
                  .join("; ")}`
              : `${student(e.studentId)}: ${e.exam.toUpperCase()} ${e.length}, in progress`,
          ),
          section(
            "tutor sessions",
            view.tutorSessions,
            list("tutorSessions"),
            (t) => `${student(t.studentId)} on ${assignment(t.assignmentId)}`,
          ),
        ],
      };
    }),
    notes: [
      "Each column is what the API returned to that role (impersonation tokens, audit-logged); N of M counts against the whole academy.",
      "The instructor sees only their courses' work, the student only their own, the parent only the linked child's.",
    ],
  };
}

/**
 * `skillbridge demo`: seeds (idempotently) a demo academy, then shows what
 * admin, instructor, student and parent each get from the same API.
 */
export async function demo(session: Session, input: DemoInput): Promise<CommandOutput<DemoResult>> {
  let roles: DemoRole[] = DEMO_ROLES;
  if (input.role !== undefined) {
    if (!DEMO_ROLES.includes(input.role as DemoRole)) {
      throw new CliError(`--role must be one of ${DEMO_ROLES.join(", ")}; got "${input.role}".`);
    }
    roles = [input.role as DemoRole];
  }
  const { client } = await session.connect();
  const me = await client.auth.me();
  if (me.academy || me.user.role !== "platform_admin") {
    throw new CliError(
      "The demo needs a platform admin (it creates an academy and impersonates its users).",
      "Run it on the local database (no API URL), or log in as a platform admin.",
    );
  }
  const seeded = await session.task("Seeding the demo academy", () =>
    seedDemo(client, { reset: input.reset === true }),
  );
  // The admin's view is the whole academy: what the other roles are compared with.
  const fetched = await session.task("Fetching each role's view", () =>
    fetchViews(client, seeded.academy, roles.includes("admin") ? roles : [...roles, "admin"]),
  );
  const views = Object.fromEntries(
    roles.map((role) => [role, fetched[role]]),
  ) as DemoResult["views"];
  const result: DemoResult = {
    academy: { id: seeded.academy.id, slug: seeded.academy.slug },
    views,
  };
  return { data: result, view: panels(result, fetched.admin, seeded.created) };
}
