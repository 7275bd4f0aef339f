import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededAcademy, seedAcademy } from "../../packages/core/test/support/seed.js";
import { reliabilityEnv } from "./support/env.js";
import { HttpClient } from "./support/http.js";
import { type LiveServer, startLiveServer } from "./support/live-server.js";
import { createTally } from "./support/tally.js";

// Concurrent enrolment into capped courses, over real sockets and real
// PostgreSQL connections (a pool of 10, so transactions truly overlap): every
// seat is given exactly once, the rest get 409 course_full, and the database
// agrees.

reliabilityEnv();
const tally = createTally("capacity-race");

const COURSES = 5;
const CAPACITY = 7;
const STUDENTS = 40;

let server: LiveServer;
let academies: { seeded: SeededAcademy; token: string; students: string[] }[];

beforeAll(async () => {
  server = await startLiveServer({
    config: {
      rateLimit: {
        points: 1_000_000,
        durationSeconds: 60,
        burstPoints: 0,
        burstDurationSeconds: 1,
      },
    },
    poolSize: 10,
  });
  academies = [];
  for (const slug of ["race-north", "race-south"]) {
    const seeded = await seedAcademy(server.db, server.services, slug);
    const token = await server.login({
      academy: slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    const students: string[] = [];
    for (let i = 0; i < STUDENTS; i++) {
      const created = await server.http.request("POST", "/api/v1/users", {
        token,
        body: {
          email: `racer-${i}@example.com`,
          name: `Racer ${i}`,
          role: "student",
          password: "racer-password-1",
        },
      });
      students.push(created.body.id);
    }
    academies.push({ seeded, token, students });
  }
});

afterAll(async () => {
  tally.save();
  await server?.close();
});

describe("capped courses under concurrent enrolment", () => {
  it(`${COURSES} courses × ${STUDENTS} students at once (two academies): exactly ${CAPACITY} seats each, the rest 409 course_full`, async () => {
    const courses: { academy: (typeof academies)[number]; id: string }[] = [];
    for (let c = 0; c < COURSES; c++) {
      const academy = academies[c % academies.length] as (typeof academies)[number];
      const created = await server.http.request("POST", "/api/v1/courses", {
        token: academy.token,
        body: { title: `Race ${c}`, instructorId: academy.seeded.users.i1, capacity: CAPACITY },
      });
      expect(created.status).toBe(201);
      courses.push({ academy, id: created.body.id });
    }
    // One connection per request: all of them reach the server together.
    const client = new HttpClient(server.url, { connections: COURSES * STUDENTS });
    try {
      const results = await Promise.all(
        courses.flatMap(({ academy, id }) =>
          academy.students.map(async (studentId) => ({
            course: id,
            response: await client.request("POST", `/api/v1/courses/${id}/enrollments`, {
              token: academy.token,
              body: { studentId },
            }),
          })),
        ),
      );
      tally.requests += results.length;
      for (const { id } of courses) {
        const mine = results.filter((r) => r.course === id);
        const seated = mine.filter((r) => r.response.status === 201);
        const full = mine.filter(
          (r) => r.response.status === 409 && r.response.body?.code === "course_full",
        );
        expect(seated.length, `course ${id}`).toBe(CAPACITY);
        expect(full.length, `course ${id}`).toBe(STUDENTS - CAPACITY);
        const stored = await sql<{ n: number }>`
          select count(*)::int as n from enrollments where course_id = ${id}`.execute(
          server.db.kysely,
        );
        expect(stored.rows[0]?.n).toBe(CAPACITY);
        tally.faults += 1;
      }
      tally.note(
        `${results.length} concurrent enrolments into ${COURSES} courses of ${CAPACITY} seats: ${COURSES * CAPACITY} seated, ${results.length - COURSES * CAPACITY} refused course_full, none over`,
      );
    } finally {
      await client.close();
    }
  });
});
