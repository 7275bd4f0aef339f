import type { FixtureAcademy, FixtureObject, ProbeRole } from "./fixture-academy.js";
import type { KindRef } from "./kinds.js";

/**
 * Who may see what in the probed academy, by API.md's visibility rules (the
 * fixture is built so that each role has objects it sees and objects it must
 * not): an admin sees everything; instructor i1 their course c1, its student
 * s1, its assignment and submission; student s1 themself, c1, a1, sub1;
 * parent p1 themself, their child s1 and the child's course, assignment and
 * submission; all three see s1's quiz submission qs1 (to q1), practice set ps1 and mock
 * exam me1. Enrolments are
 * counted visible to the people they concern, so
 * that a route exposing one's own enrolment is no finding.
 */
const VISIBLE: Readonly<Record<Exclude<ProbeRole, "admin">, readonly string[]>> = {
  instructor: ["i1", "s1", "c1", "c1:s1", "a1", "sub1", "q1", "qs1", "ps1", "me1"],
  student: ["s1", "c1", "c1:s1", "a1", "sub1", "q1", "qs1", "ps1", "me1"],
  parent: ["p1", "s1", "p1:s1", "c1", "c1:s1", "a1", "sub1", "q1", "qs1", "ps1", "me1"],
};

/** One person of each role, as the stand-ins for "a user" of another academy. */
const USER_SPREAD = ["admin", "i1", "s1", "p1"];

function matches(object: FixtureObject, ref: KindRef): boolean {
  return object.kind === ref.kind && (ref.role === undefined || object.role === ref.role);
}

/** The two fixture academies: `home` is probed, `away`'s ids must never be served to it. */
export class ProbeWorld {
  readonly home: FixtureAcademy;
  readonly away: FixtureAcademy;

  constructor(home: FixtureAcademy, away: FixtureAcademy) {
    this.home = home;
    this.away = away;
  }

  visibleTo(role: ProbeRole, object: FixtureObject): boolean {
    if (role === "admin" || object.generic || object.kind === "academies") return true;
    return VISIBLE[role].includes(object.name);
  }

  /**
   * The other academy's objects to try where `ref` is expected: all of that
   * kind (users: one per role unless a role is named); for a kind the probe
   * has no object of, one object of every kind.
   */
  foreign(ref: KindRef): FixtureObject[] {
    const objects = this.away.objects;
    const ofKind = objects.filter((o) => matches(o, ref));
    if (ref.kind === "users" && ref.role === undefined) {
      return ofKind.filter((o) => USER_SPREAD.includes(o.name));
    }
    if (ofKind.length > 0) return ofKind;
    const kinds = new Map<string, FixtureObject>();
    for (const o of objects) if (!kinds.has(o.kind)) kinds.set(o.kind, o);
    return [...kinds.values()];
  }

  /**
   * Objects of the probed academy that `role` may not see, where `ref` is
   * expected; for a kind the probe has no object of, one of every kind.
   */
  hidden(role: ProbeRole, ref: KindRef): FixtureObject[] {
    const hidden = this.home.objects.filter((o) => !this.visibleTo(role, o));
    const ofKind = hidden.filter((o) => matches(o, ref));
    if (ofKind.length > 0 || this.home.objects.some((o) => o.kind === ref.kind)) return ofKind;
    // A kind the probe has no object of: a hidden object of every kind must be refused there too.
    const kinds = new Map<string, FixtureObject>();
    for (const o of hidden) if (!kinds.has(o.kind)) kinds.set(o.kind, o);
    return [...kinds.values()];
  }

  /** An object of the probed academy for `ref` that `role` sees (else any of that kind). */
  own(role: ProbeRole, ref: KindRef): FixtureObject | undefined {
    const ofKind = this.home.objects.filter((o) => matches(o, ref));
    return ofKind.find((o) => this.visibleTo(role, o)) ?? ofKind[0];
  }

  /** Every id of the other academy, for scanning answers. */
  foreignIds(): ReadonlyMap<string, FixtureObject> {
    return new Map(this.away.objects.map((o) => [o.id, o]));
  }

  /** Ids of the probed academy `role` may not see. */
  hiddenIds(role: ProbeRole): ReadonlyMap<string, FixtureObject> {
    return new Map(this.home.objects.filter((o) => !this.visibleTo(role, o)).map((o) => [o.id, o]));
  }
}
