import type { AcademyRole } from "@skillbridge/sdk";

/**
 * What an id names: a kind of object (`users`, `courses`, or a resource the
 * probe learnt from the document, e.g. `quizzes`) and, for users, the role
 * the route or field expects.
 */
export interface KindRef {
  readonly kind: string;
  readonly role?: AcademyRole;
}

/** Path segments that name users of one role. */
const PEOPLE: Readonly<Record<string, KindRef>> = {
  users: { kind: "users" },
  students: { kind: "users", role: "student" },
  instructors: { kind: "users", role: "instructor" },
  parents: { kind: "users", role: "parent" },
};

/** `/courses/{id}` → courses; `/students/{id}/summary` → users who are students. */
export function kindOfSegment(segment: string): KindRef {
  return PEOPLE[segment] ?? { kind: segment };
}

function plural(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return word.endsWith("z") ? `${word}zes` : `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

const FIELD_PEOPLE: Readonly<Record<string, KindRef>> = {
  user: { kind: "users" },
  student: { kind: "users", role: "student" },
  instructor: { kind: "users", role: "instructor" },
  parent: { kind: "users", role: "parent" },
  admin: { kind: "users", role: "admin" },
  academy: { kind: "academies" },
};

/**
 * `studentId` → users who are students; `courseId` → courses;
 * `tutorSessionId` → tutor-sessions. Null for a field that is not an id.
 */
export function kindOfField(name: string): KindRef | null {
  const match = /^(.+?)(Id|_id)$/.exec(name);
  if (!match?.[1]) return null;
  const stem = match[1];
  const known = FIELD_PEOPLE[stem.toLowerCase()];
  if (known) return known;
  const kebab = stem.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, "-");
  return { kind: plural(kebab) };
}
