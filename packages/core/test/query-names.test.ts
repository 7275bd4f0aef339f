import { describe, expect, it } from "vitest";
import {
  MAX_NAMED_PARAMETERS,
  QueryNames,
  queryNamesFor,
} from "../src/tenancy/pipelined-connection.js";

// #21: route queries become named prepared statements, by their SQL text,
// for a bounded number of texts (each name is a statement on every connection).

describe("query names", () => {
  it("give one text one name every time, and different texts different names", () => {
    const names = new QueryNames(10);
    const a = names.nameOf('select "id" from "courses" where "id" = $1', 1);
    expect(a).toMatch(/^sb_[0-9a-f]{24}$/);
    expect(names.nameOf('select "id" from "courses" where "id" = $1', 1)).toBe(a);
    expect(names.nameOf('select "id" from "users" where "id" = $1', 1)).not.toBe(a);
  });

  it("leave `*` column lists unnamed (a migration may change their shape), count(*) named", () => {
    const names = new QueryNames(10);
    expect(names.nameOf('select * from "courses"', 1)).toBeUndefined();
    expect(names.nameOf('select "c".* from "courses" as "c"', 1)).toBeUndefined();
    expect(
      names.nameOf('insert into "courses" ("title") values ($1) returning *', 1),
    ).toBeUndefined();
    expect(names.nameOf('select count(*) as "n" from "courses"', 1)).toMatch(/^sb_/);
  });

  it("leave texts with more than the bound of parameters unnamed (a list's length makes a new text)", () => {
    const names = new QueryNames(10);
    const list = (n: number) =>
      `select "id" from "users" where "id" in (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(", ")})`;
    expect(names.nameOf(list(MAX_NAMED_PARAMETERS), MAX_NAMED_PARAMETERS)).toMatch(/^sb_/);
    expect(names.nameOf(list(MAX_NAMED_PARAMETERS + 1), MAX_NAMED_PARAMETERS + 1)).toBeUndefined();
  });

  it("belong to a pool: another pool's texts never use up its bound", () => {
    const one = {};
    const other = {};
    expect(queryNamesFor(one)).toBe(queryNamesFor(one));
    expect(queryNamesFor(one)).not.toBe(queryNamesFor(other));
  });

  it("stop at their bound: later texts go unnamed, named ones keep their names", () => {
    const names = new QueryNames(3);
    const first = ["a", "b", "c"].map((t) => names.nameOf(`select '${t}'`, 1));
    expect(first.every((n) => n !== undefined)).toBe(true);
    expect(names.nameOf("select 'd'", 1)).toBeUndefined();
    expect(["a", "b", "c"].map((t) => names.nameOf(`select '${t}'`, 1))).toEqual(first);
  });
});
