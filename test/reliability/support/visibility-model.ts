import type { SkillBridgeDatabase } from "@skillbridge/core";
import { sql } from "kysely";

// A client-side model of every academy's rows and of who may see them, kept in
// step with the real server by applying each acknowledged write. It restates
// API.md's visibility rules in plain code, independently of the server's SQL,
// so the property test can say for any request what the answer must be.

export type Role = "admin" | "instructor" | "student" | "parent";

interface UserRow {
  role: Role;
  deleted: boolean;
}
interface CourseRow {
  instructorId: string;
  deleted: boolean;
}
interface AssignmentRow {
  courseId: string;
  maxPoints: number;
}

export interface Actor {
  readonly id: string;
  readonly role: Role;
}

/** One academy as the model knows it. */
export class AcademyModel {
  readonly id: string;
  readonly users = new Map<string, UserRow>();
  readonly courses = new Map<string, CourseRow>();
  readonly enrollments = new Map<string, { courseId: string; studentId: string }>();
  readonly links = new Map<string, { parentId: string; studentId: string }>();
  readonly assignments = new Map<string, AssignmentRow>();
  readonly submissions = new Map<string, { assignmentId: string; studentId: string }>();

  constructor(id: string) {
    this.id = id;
  }

  /** Reads the academy's rows as they are in the database (superuser, past RLS). */
  static async load(db: SkillBridgeDatabase, academyId: string): Promise<AcademyModel> {
    const m = new AcademyModel(academyId);
    const q = <T>(text: string) =>
      sql<T>`${sql.raw(text.replace("$TENANT", `'${academyId.replace(/[^0-9a-f-]/gi, "")}'`))}`
        .execute(db.kysely)
        .then((r) => r.rows);
    for (const u of await q<{ id: string; role: Role; deleted: boolean }>(
      "select id, role, deleted_at is not null as deleted from users where tenant_id = $TENANT",
    ))
      m.users.set(u.id, { role: u.role, deleted: u.deleted });
    for (const c of await q<{ id: string; instructor_id: string; deleted: boolean }>(
      "select id, instructor_id, deleted_at is not null as deleted from courses where tenant_id = $TENANT",
    ))
      m.courses.set(c.id, { instructorId: c.instructor_id, deleted: c.deleted });
    for (const e of await q<{ id: string; course_id: string; student_id: string }>(
      "select id, course_id, student_id from enrollments where tenant_id = $TENANT",
    ))
      m.enrollments.set(e.id, { courseId: e.course_id, studentId: e.student_id });
    for (const l of await q<{ id: string; parent_id: string; student_id: string }>(
      "select id, parent_id, student_id from parent_links where tenant_id = $TENANT",
    ))
      m.links.set(l.id, { parentId: l.parent_id, studentId: l.student_id });
    for (const a of await q<{
      id: string;
      course_id: string;
      max_points: number;
      deleted: boolean;
    }>(
      "select id, course_id, max_points, deleted_at is not null as deleted from assignments where tenant_id = $TENANT",
    )) {
      if (a.deleted) throw new Error("the model does not know deleted assignments");
      m.assignments.set(a.id, { courseId: a.course_id, maxPoints: a.max_points });
    }
    for (const s of await q<{ id: string; assignment_id: string; student_id: string }>(
      "select id, assignment_id, student_id from submissions where tenant_id = $TENANT",
    ))
      m.submissions.set(s.id, { assignmentId: s.assignment_id, studentId: s.student_id });
    return m;
  }

  // ─── relations ────────────────────────────────────────────────────────────

  liveUser(id: string, role?: Role): boolean {
    const u = this.users.get(id);
    return u !== undefined && !u.deleted && (role === undefined || u.role === role);
  }
  liveCourse(id: string): boolean {
    const c = this.courses.get(id);
    return c !== undefined && !c.deleted;
  }
  isEnrolled(studentId: string, courseId: string): boolean {
    for (const e of this.enrollments.values())
      if (e.studentId === studentId && e.courseId === courseId) return true;
    return false;
  }
  isLinked(parentId: string, studentId: string): boolean {
    for (const l of this.links.values())
      if (l.parentId === parentId && l.studentId === studentId) return true;
    return false;
  }
  /** Admins and the course's own instructor manage a course. */
  manages(actor: Actor, courseId: string): boolean {
    return (
      actor.role === "admin" ||
      (actor.role === "instructor" && this.courses.get(courseId)?.instructorId === actor.id)
    );
  }

  // ─── what each role sees (API.md, "Visibility") ──────────────────────────

  userVisible(actor: Actor, id: string): boolean {
    if (!this.liveUser(id)) return false;
    if (actor.role === "admin" || actor.id === id) return true;
    if (actor.role === "instructor") {
      for (const e of this.enrollments.values()) {
        const c = this.courses.get(e.courseId);
        if (e.studentId === id && c && !c.deleted && c.instructorId === actor.id) return true;
      }
      return false;
    }
    if (actor.role === "parent") return this.isLinked(actor.id, id);
    return false;
  }

  courseVisible(actor: Actor, id: string): boolean {
    const c = this.courses.get(id);
    if (!c || c.deleted) return false;
    switch (actor.role) {
      case "admin":
        return true;
      case "instructor":
        return c.instructorId === actor.id;
      case "student":
        return this.isEnrolled(actor.id, id);
      case "parent":
        for (const l of this.links.values())
          if (l.parentId === actor.id && this.isEnrolled(l.studentId, id)) return true;
        return false;
    }
  }

  assignmentVisible(actor: Actor, id: string): boolean {
    const a = this.assignments.get(id);
    return a !== undefined && this.courseVisible(actor, a.courseId);
  }

  submissionVisible(actor: Actor, id: string): boolean {
    const s = this.submissions.get(id);
    if (!s) return false;
    const a = this.assignments.get(s.assignmentId);
    if (!a || !this.liveCourse(a.courseId)) return false;
    switch (actor.role) {
      case "admin":
        return true;
      case "instructor":
        return this.courses.get(a.courseId)?.instructorId === actor.id;
      case "student":
        return s.studentId === actor.id;
      case "parent":
        return this.isLinked(actor.id, s.studentId);
    }
  }

  linkVisible(actor: Actor, id: string): boolean {
    const l = this.links.get(id);
    return l !== undefined && (actor.role === "admin" || l.parentId === actor.id);
  }

  /** The roster as GET /courses/:id/enrollments shows it: soft-deleted students leave it. */
  rosterOf(courseId: string): Set<string> {
    const ids = new Set<string>();
    for (const [id, e] of this.enrollments)
      if (e.courseId === courseId && this.liveUser(e.studentId)) ids.add(id);
    return ids;
  }

  visibleIds(table: "users" | "courses" | "assignments" | "submissions" | "links", actor: Actor) {
    const ids = new Set<string>();
    const check = {
      users: (id: string) => this.userVisible(actor, id),
      courses: (id: string) => this.courseVisible(actor, id),
      assignments: (id: string) => this.assignmentVisible(actor, id),
      submissions: (id: string) => this.submissionVisible(actor, id),
      links: (id: string) => this.linkVisible(actor, id),
    }[table];
    const source = table === "links" ? this.links : this[table];
    for (const id of source.keys()) if (check(id)) ids.add(id);
    return ids;
  }
}
