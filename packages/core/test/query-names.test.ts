import { describe, expect, it } from "vitest";
import { QueryNames } from "../src/tenancy/pipelined-connection.js";

// #21: route queries become named prepared statements, by their SQL text,
// for a bounded number of texts (each name is a statement on every connection).

describe("query names", () => {
  it("give one text one name every time, and different texts different names", () => {
    const names = new QueryNames(10);
    const a = names.nameOf('select "id" from "courses" where "id" = $1');
    expect(a).toMatch(/^sb_[0-9a-f]{24}$/);
    expect(names.nameOf('select "id" from "courses" where "id" = $1')).toBe(a);
    expect(names.nameOf('select "id" from "users" where "id" = $1')).not.toBe(a);
  });

  it("leave `*` column lists unnamed (a migration may change their shape), count(*) named", () => {
    const names = new QueryNames(10);
    expect(names.nameOf('select * from "courses"')).toBeUndefined();
    expect(names.nameOf('select "c".* from "courses" as "c"')).toBeUndefined();
    expect(names.nameOf('insert into "courses" ("title") values ($1) returning *')).toBeUndefined();
    expect(names.nameOf('select count(*) as "n" from "courses"')).toMatch(/^sb_/);
  });

  it("stop at their bound: later texts go unnamed, named ones keep their names", () => {
    const names = new QueryNames(3);
    const first = ["a", "b", "c"].map((t) => names.nameOf(`select '${t}'`));
    expect(first.every((n) => n !== undefined)).toBe(true);
    expect(names.nameOf("select 'd'")).toBeUndefined();
    expect(["a", "b", "c"].map((t) => names.nameOf(`select '${t}'`))).toEqual(first);
  });
});
