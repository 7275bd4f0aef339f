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

function panels(result: DemoResult, created: boolean): PanelsView {
  const names = new Map<string, string>();
  const titles = new Map<string, string>();
  for (const view of Object.values(result.views)) {
    for (const u of view.users) names.set(u.id, u.name);
    for (const a of view.assignments) titles.set(a.id, a.title);
  }
  const section = <T>(heading: string, items: readonly T[], line: (item: T) => string) => ({
    heading: `${heading} (${items.length})`,
    lines: [
      ...items.slice(0, SHOWN).map(line),
      ...(items.length > SHOWN ? [`… and ${items.length - SHOWN} more`] : []),
    ],
  });
  return {
    kind: "panels",
    title: `${result.academy.slug}: one academy, four filtered views (${created ? "seeded now" : "reused"})`,
    panels: Object.entries(result.views).map(([role, view]) => ({
      title: `${role}: ${view.as.name}`,
      sections: [
        section("courses", view.courses, (c) => c.title),
        section("users", view.users, (u) => `${u.name} (${u.role})`),
        section("assignments", view.assignments, (a) => a.title),
        section("submissions", view.submissions, (s) => {
          const grade = s.grade === null ? "ungraded" : `graded ${s.grade}`;
          return `${names.get(s.studentId) ?? "a student"}: ${titles.get(s.assignmentId) ?? "assignment"}, ${grade}`;
        }),
      ],
    })),
    notes: [
      "Each column is what the API returned to that role (impersonation tokens, audit-logged).",
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
  const views = await session.task("Fetching each role's view", () =>
    fetchViews(client, seeded.academy, roles),
  );
  const result: DemoResult = {
    academy: { id: seeded.academy.id, slug: seeded.academy.slug },
    views,
  };
  return { data: result, view: panels(result, seeded.created) };
}
