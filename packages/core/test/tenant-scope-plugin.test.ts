import {
  type Compilable,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type SqlBool,
  sql,
} from "kysely";
import { describe, expect, it } from "vitest";
import { type Database, TenantScopePlugin, TenantScopeViolationError } from "../src/index.js";

// Unit tests of the data-layer half of isolation: queries are compiled, never run.

const TENANT = "0b5c1e8e-6b1f-4c55-9a57-3f1d2c9e7a10";
const OTHER_TENANT = "9f0a7d1c-2e4b-4a6f-8c3d-5b7e9a1f2c40";

function database(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

function scopedTo(tenantId: string): Kysely<Database> {
  return database().withPlugin(new TenantScopePlugin(tenantId));
}

const db = scopedTo(TENANT);

function compile(query: Compilable): { sql: string; parameters: readonly unknown[] } {
  const compiled = query.compile();
  return { sql: compiled.sql, parameters: compiled.parameters };
}

describe("selects", () => {
  it("a select from a tenant table is scoped to the tenant", () => {
    expect(compile(db.selectFrom("users").selectAll())).toEqual({
      sql: `select * from "users" where "users"."tenant_id" = $1`,
      parameters: [TENANT],
    });
  });

  it("the scope carries the plugin's own tenant id", () => {
    const other = compile(scopedTo(OTHER_TENANT).selectFrom("courses").select("id"));
    expect(other).toEqual({
      sql: `select "id" from "courses" where "courses"."tenant_id" = $1`,
      parameters: [OTHER_TENANT],
    });
  });

  it("the scope is added after the query's own conditions, which keep their values", () => {
    expect(
      compile(db.selectFrom("courses").select("id").where("title", "=", "SAT Math").limit(5)),
    ).toEqual({
      sql: `select "id" from "courses" where ("title" = $1) and "courses"."tenant_id" = $2 limit $3`,
      parameters: ["SAT Math", TENANT, 5],
    });
  });

  it.each(["academies", "exam_questions"] as const)(
    "a select from the platform table %s is left unscoped",
    (table) => {
      expect(compile(db.selectFrom(table).selectAll())).toEqual({
        sql: `select * from "${table}"`,
        parameters: [],
      });
    },
  );

  it("an aliased tenant table is scoped through its alias", () => {
    expect(compile(db.selectFrom("users as u").select("u.id"))).toEqual({
      sql: `select "u"."id" from "users" as "u" where "u"."tenant_id" = $1`,
      parameters: [TENANT],
    });
  });

  it("a schema-qualified tenant table is scoped with its schema", () => {
    expect(compile(db.withSchema("academy_north").selectFrom("users").select("id"))).toEqual({
      sql: `select "id" from "academy_north"."users" where "academy_north"."users"."tenant_id" = $1`,
      parameters: [TENANT],
    });
  });

  it("every tenant table of a multi-table FROM is scoped", () => {
    expect(compile(db.selectFrom(["users as u", "courses as c"]).select("u.id"))).toEqual({
      sql: `select "u"."id" from "users" as "u", "courses" as "c" where ("u"."tenant_id" = $1) and "c"."tenant_id" = $2`,
      parameters: [TENANT, TENANT],
    });
  });

  it("a joined tenant table is scoped in the JOIN's ON clause, so a left join stays a left join", () => {
    const query = db
      .selectFrom("courses as c")
      .leftJoin("users as u", "u.id", "c.instructor_id")
      .select(["c.id", "u.name"]);
    expect(compile(query)).toEqual({
      sql: `select "c"."id", "u"."name" from "courses" as "c" left join "users" as "u" on ("u"."id" = "c"."instructor_id") and "u"."tenant_id" = $1 where "c"."tenant_id" = $2`,
      parameters: [TENANT, TENANT],
    });
  });

  it("an inner join of a tenant table is scoped in its ON clause too", () => {
    const query = db
      .selectFrom("submissions as s")
      .innerJoin("assignments as a", "a.id", "s.assignment_id")
      .innerJoin("courses as c", "c.id", "a.course_id")
      .select("s.id");
    expect(compile(query)).toEqual({
      sql: `select "s"."id" from "submissions" as "s" inner join "assignments" as "a" on ("a"."id" = "s"."assignment_id") and "a"."tenant_id" = $1 inner join "courses" as "c" on ("c"."id" = "a"."course_id") and "c"."tenant_id" = $2 where "s"."tenant_id" = $3`,
      parameters: [TENANT, TENANT, TENANT],
    });
  });

  it("a joined platform table gets no scope, and the tenant table in the FROM still does", () => {
    const query = db
      .selectFrom("question_attempts as qa")
      .innerJoin("exam_questions as q", "q.id", "qa.question_id")
      .select(["qa.id", "q.prompt"]);
    expect(compile(query)).toEqual({
      sql: `select "qa"."id", "q"."prompt" from "question_attempts" as "qa" inner join "exam_questions" as "q" on "q"."id" = "qa"."question_id" where "qa"."tenant_id" = $1`,
      parameters: [TENANT],
    });
  });

  it("a cross-joined tenant table, having no ON clause, is scoped in the WHERE", () => {
    expect(compile(db.selectFrom("users as u").crossJoin("courses as c").select("u.id"))).toEqual({
      sql: `select "u"."id" from "users" as "u" cross join "courses" as "c" where ("u"."tenant_id" = $1) and "c"."tenant_id" = $2`,
      parameters: [TENANT, TENANT],
    });
  });

  it("an OR condition is parenthesised so the scope applies to both branches", () => {
    const query = db
      .selectFrom("users as u")
      .select("u.id")
      .where((eb) => eb.or([eb("u.email", "=", "a@example.com"), eb("u.role", "=", "admin")]));
    const { sql: text, parameters } = compile(query);
    expect(text).toBe(
      `select "u"."id" from "users" as "u" where (("u"."email" = $1 or "u"."role" = $2)) and "u"."tenant_id" = $3`,
    );
    expect(parameters).toEqual(["a@example.com", "admin", TENANT]);
  });

  it("a bare OR condition that Kysely prints without parentheses is parenthesised by the scope", () => {
    // Raw SQL reaches the compiler as is: only the plugin's parentheses stop
    // `a or b and scope` from scoping the second branch alone.
    const query = db
      .selectFrom("users as u")
      .select("u.id")
      .where(
        sql<SqlBool>`${sql.ref("u.email")} = ${"a@example.com"} or ${sql.ref("u.role")} = ${"admin"}`,
      );
    expect(compile(query)).toEqual({
      sql: `select "u"."id" from "users" as "u" where ("u"."email" = $1 or "u"."role" = $2) and "u"."tenant_id" = $3`,
      parameters: ["a@example.com", "admin", TENANT],
    });
  });

  it("a subquery in WHERE EXISTS (...) is scoped as well as the outer query", () => {
    const query = db
      .selectFrom("users as u")
      .select("u.id")
      .where((eb) =>
        eb.exists(
          eb.selectFrom("enrollments as e").select("e.id").whereRef("e.student_id", "=", "u.id"),
        ),
      );
    expect(compile(query)).toEqual({
      sql: `select "u"."id" from "users" as "u" where (exists (select "e"."id" from "enrollments" as "e" where ("e"."student_id" = "u"."id") and "e"."tenant_id" = $1)) and "u"."tenant_id" = $2`,
      parameters: [TENANT, TENANT],
    });
  });

  it("a subquery in the select list, a derived table and a CTE are scoped", () => {
    const query = db
      .with("live", (qc) => qc.selectFrom("courses").select("id").where("deleted_at", "is", null))
      .selectFrom("live")
      .innerJoin(
        (eb) => eb.selectFrom("assignments").select(["id", "course_id"]).as("a"),
        (join) => join.onRef("a.course_id", "=", "live.id"),
      )
      .select((eb) => [
        "a.id",
        eb
          .selectFrom("submissions as s")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("s.assignment_id", "=", "a.id")
          .as("submission_count"),
      ]);
    expect(compile(query)).toEqual({
      sql:
        `with "live" as (select "id" from "courses" where ("deleted_at" is null) and "courses"."tenant_id" = $1) ` +
        `select "a"."id", (select count(*) as "n" from "submissions" as "s" where ("s"."assignment_id" = "a"."id") and "s"."tenant_id" = $2) as "submission_count" ` +
        `from "live" inner join (select "id", "course_id" from "assignments" where "assignments"."tenant_id" = $3) as "a" on "a"."course_id" = "live"."id"`,
      parameters: [TENANT, TENANT, TENANT],
    });
  });

  it("both sides of a UNION are scoped", () => {
    const query = db
      .selectFrom("users")
      .select("id")
      .union((eb) => eb.selectFrom("courses").select("id"));
    expect(compile(query)).toEqual({
      sql: `select "id" from "users" where "users"."tenant_id" = $1 union select "id" from "courses" where "courses"."tenant_id" = $2`,
      parameters: [TENANT, TENANT],
    });
  });
});

describe("updates and deletes", () => {
  it("an update of a tenant table is scoped", () => {
    expect(
      compile(db.updateTable("users").set({ name: "New name" }).where("id", "=", "u-1")),
    ).toEqual({
      sql: `update "users" set "name" = $1 where ("id" = $2) and "users"."tenant_id" = $3`,
      parameters: ["New name", "u-1", TENANT],
    });
  });

  it("an update without a WHERE is still scoped", () => {
    expect(compile(db.updateTable("courses").set({ title: "All" }))).toEqual({
      sql: `update "courses" set "title" = $1 where "courses"."tenant_id" = $2`,
      parameters: ["All", TENANT],
    });
  });

  it("an aliased update with a FROM scopes the target and the FROM table", () => {
    const query = db
      .updateTable("courses as c")
      .from("users as u")
      .set({ title: "Renamed" })
      .whereRef("u.id", "=", "c.instructor_id");
    expect(compile(query)).toEqual({
      sql: `update "courses" as "c" set "title" = $1 from "users" as "u" where (("u"."id" = "c"."instructor_id") and "c"."tenant_id" = $2) and "u"."tenant_id" = $3`,
      parameters: ["Renamed", TENANT, TENANT],
    });
  });

  it("a delete from a tenant table is scoped", () => {
    expect(compile(db.deleteFrom("enrollments").where("course_id", "=", "c-1"))).toEqual({
      sql: `delete from "enrollments" where ("course_id" = $1) and "enrollments"."tenant_id" = $2`,
      parameters: ["c-1", TENANT],
    });
  });

  it("a delete without a WHERE is still scoped", () => {
    expect(compile(db.deleteFrom("mastery"))).toEqual({
      sql: `delete from "mastery" where "mastery"."tenant_id" = $1`,
      parameters: [TENANT],
    });
  });

  it("an aliased delete with USING scopes the target and the USING table", () => {
    const query = db
      .deleteFrom("courses as c")
      .using("users as u")
      .whereRef("u.id", "=", "c.instructor_id");
    expect(compile(query)).toEqual({
      sql: `delete from "courses" as "c" using "users" as "u" where (("u"."id" = "c"."instructor_id") and "c"."tenant_id" = $1) and "u"."tenant_id" = $2`,
      parameters: [TENANT, TENANT],
    });
  });

  it("an update or delete of a platform table is left unscoped", () => {
    expect(compile(db.updateTable("academies").set({ name: "A" }).where("id", "=", "x"))).toEqual({
      sql: `update "academies" set "name" = $1 where "id" = $2`,
      parameters: ["A", "x"],
    });
    expect(compile(db.deleteFrom("exam_questions").where("id", "=", "q"))).toEqual({
      sql: `delete from "exam_questions" where "id" = $1`,
      parameters: ["q"],
    });
  });

  it("an update that sets tenant_id from an object throws TenantScopeViolationError", () => {
    const query = db.updateTable("users").set({ tenant_id: OTHER_TENANT } as never);
    expect(() => query.compile()).toThrow(TenantScopeViolationError);
  });

  it("an update that sets tenant_id by column name throws TenantScopeViolationError", () => {
    // Type-correct code: `set(column, value)` accepts a `sql<never>` value for a
    // column whose update type is never, and parses the column as a reference.
    const query = db.updateTable("users").set("tenant_id", sql<never>`${OTHER_TENANT}`);
    expect(() => query.compile()).toThrow(TenantScopeViolationError);
  });

  it("an update that sets tenant_id through the table's alias throws TenantScopeViolationError", () => {
    const query = db.updateTable("users as u").set("u.tenant_id", sql<never>`${OTHER_TENANT}`);
    expect(() => query.compile()).toThrow(TenantScopeViolationError);
  });
});

describe("inserts", () => {
  it("an insert into a tenant table gets a tenant_id column with the tenant's value", () => {
    const query = db
      .insertInto("courses")
      .values({ title: "SAT Math", description: null, instructor_id: "i-1" });
    expect(compile(query)).toEqual({
      sql: `insert into "courses" ("title", "description", "instructor_id", "tenant_id") values ($1, $2, $3, $4)`,
      parameters: ["SAT Math", null, "i-1", TENANT],
    });
  });

  it("every row of a multi-row insert gets the tenant value, whatever its values are made of", () => {
    const query = db.insertInto("users").values([
      { email: "a@example.com", name: "A", role: "student", password_hash: "h1" },
      { email: "b@example.com", name: "B", role: "student", password_hash: sql<string>`'h2'` },
      { email: "c@example.com", name: "C", role: "parent", password_hash: "h3" },
    ]);
    expect(compile(query)).toEqual({
      sql:
        `insert into "users" ("email", "name", "role", "password_hash", "tenant_id") values ` +
        `($1, $2, $3, $4, $5), ($6, $7, $8, 'h2', $9), ($10, $11, $12, $13, $14)`,
      parameters: [
        "a@example.com",
        "A",
        "student",
        "h1",
        TENANT,
        "b@example.com",
        "B",
        "student",
        TENANT,
        "c@example.com",
        "C",
        "parent",
        "h3",
        TENANT,
      ],
    });
  });

  it("an insert into a platform table gets no tenant_id", () => {
    const query = db.insertInto("academies").values({ slug: "north", name: "North" });
    expect(compile(query)).toEqual({
      sql: `insert into "academies" ("slug", "name") values ($1, $2)`,
      parameters: ["north", "North"],
    });
  });

  it("an insert that writes tenant_id by hand throws TenantScopeViolationError", () => {
    const query = db.insertInto("courses").values({
      title: "Forged",
      instructor_id: "i-1",
      tenant_id: OTHER_TENANT,
    } as never);
    expect(() => query.compile()).toThrow(TenantScopeViolationError);
  });

  it("an insert ... select into a tenant table throws TenantScopeViolationError", () => {
    const query = db
      .insertInto("enrollments")
      .columns(["course_id", "student_id"])
      .expression((eb) => eb.selectFrom("users").select(["id as course_id", "id as student_id"]));
    expect(() => query.compile()).toThrow(TenantScopeViolationError);
  });

  it("an insert ... select into a platform table is allowed and left alone", () => {
    const query = db
      .insertInto("exam_questions")
      .columns(["bank"])
      .expression((eb) => eb.selectFrom("exam_questions").select("bank"));
    expect(compile(query)).toEqual({
      sql: `insert into "exam_questions" ("bank") select "bank" from "exam_questions"`,
      parameters: [],
    });
  });

  it("an upsert whose conflict update sets tenant_id throws TenantScopeViolationError", () => {
    const query = db
      .insertInto("users")
      .values({ email: "a@example.com", name: "A", role: "student", password_hash: "h" })
      .onConflict((oc) => oc.column("email").doUpdateSet({ tenant_id: OTHER_TENANT } as never));
    expect(() => query.compile()).toThrow(TenantScopeViolationError);
  });
});

describe("merge", () => {
  it("a MERGE into a tenant table is refused or scoped, never run unscoped", () => {
    const query = db
      .mergeInto("users as u")
      .using("courses as c", "c.instructor_id", "u.id")
      .whenMatched()
      .thenUpdateSet({ name: "Merged" })
      .whenNotMatched()
      .thenInsertValues({ email: "m@example.com", name: "M", role: "student", password_hash: "h" });
    let compiled: { sql: string; parameters: readonly unknown[] } | undefined;
    try {
      compiled = compile(query);
    } catch (error) {
      expect(error).toBeInstanceOf(TenantScopeViolationError);
      return;
    }
    // Not refused: then both tables must carry the tenant condition and the
    // inserted row the tenant's id.
    expect(compiled.sql).toContain(`"u"."tenant_id"`);
    expect(compiled.sql).toContain(`"c"."tenant_id"`);
    expect(compiled.sql).toMatch(/insert \([^)]*"tenant_id"\)/);
    expect(compiled.parameters).toContain(TENANT);
  });
});
