import type { AuditFinding, AuditSeverity } from "@skillbridge/sdk";
import type { FixtureObject, ProbeRole } from "./fixture-academy.js";
import { ACTS_AS } from "./fixture-academy.js";

export type ProbeCheck = "probe.cross-academy" | "probe.role-visibility" | "probe.coverage";

/** What went wrong on one route for one role. */
export type Problem =
  | "served"
  | "differs"
  | "server-error"
  | "leaks-foreign"
  | "leaks-hidden"
  | "inconclusive";

interface Entry {
  readonly severity: AuditSeverity;
  readonly check: ProbeCheck;
  readonly route: string;
  readonly role: ProbeRole;
  readonly problem: Problem;
  readonly examples: string[];
  count: number;
}

const FIX: Record<Problem, (check: ProbeCheck) => string> = {
  served: (check) =>
    check === "probe.cross-academy"
      ? "Reach the object only through withTenant (the academy from the token) and answer NotFoundError for any id the tenant scope does not return; never read rows by id alone or on an unscoped connection."
      : "Apply the resource's read scope (packages/core/src/policies, services/scopes.ts) before acting on the id: an object the role may not see is a NotFoundError, exactly like a missing one.",
  differs: () =>
    "Answer an object the caller may not see exactly as a missing one (same status, same problem code), so that its existence does not show.",
  "server-error": () =>
    "Check the id in the caller's scope before it reaches the database (a foreign key or a cast failing is a 500): answer 404, or 400 for a body field.",
  "leaks-foreign": () =>
    "Build the answer inside withTenant with the resource's scope: no row of another academy may be read, listed or referenced in a response.",
  "leaks-hidden": () =>
    "Filter the list or object with the role's read scope (packages/core/src/policies): it may hold only objects the role may see.",
  inconclusive: () =>
    "Make the route's body and query documented well enough to build (a valid example per field), or probe it by hand.",
};

function describeProblem(problem: Problem, examples: readonly string[], count: number): string {
  const more = count > examples.length ? ` (and ${count - examples.length} more)` : "";
  const list = `${examples.join("; ")}${more}`;
  switch (problem) {
    case "served":
      return `Served: ${list}.`;
    case "differs":
      return `Answered differently than for an id that does not exist, which shows that the object exists: ${list}.`;
    case "server-error":
      return `Failed with a server error: ${list}.`;
    case "leaks-foreign":
      return `The answer holds another academy's ids: ${list}.`;
    case "leaks-hidden":
      return `The answer holds objects the role may not see: ${list}.`;
    case "inconclusive":
      return `Could not be probed: ${list}.`;
  }
}

/** "academy B's course c1 (3f2a…)". */
export function describeObject(object: FixtureObject, origin: "foreign" | "hidden"): string {
  const owner = origin === "foreign" ? "the other academy's" : "a hidden";
  const singular = object.kind.replace(/ies$/, "y").replace(/s$/, "").replaceAll("-", " ");
  const what =
    object.kind === "users" && object.role
      ? `${object.role} ${object.name}`
      : `${singular} ${object.name}`;
  return `${owner} ${what} (${object.id})`;
}

/** Findings of the probe, one per route, role and problem, with a few examples each. */
export class ProbeFindings {
  readonly #entries = new Map<string, Entry>();

  add(
    severity: AuditSeverity,
    check: ProbeCheck,
    route: string,
    role: ProbeRole,
    problem: Problem,
    example: string,
  ): void {
    const key = `${check}|${route}|${role}|${problem}`;
    const entry = this.#entries.get(key) ?? {
      severity,
      check,
      route,
      role,
      problem,
      examples: [],
      count: 0,
    };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(example);
    this.#entries.set(key, entry);
  }

  count(check: ProbeCheck): number {
    return [...this.#entries.values()].filter((e) => e.check === check).length;
  }

  toFindings(): AuditFinding[] {
    return [...this.#entries.values()].map((e) => ({
      severity: e.severity,
      check: e.check,
      object: e.route,
      detail: `As ${e.role} (${ACTS_AS[e.role]}): ${describeProblem(e.problem, e.examples, e.count)}`,
      fix: FIX[e.problem](e.check),
    }));
  }
}
