import { join } from "node:path";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type Academy,
  type Assignment,
  type Course,
  type CreateAssignmentBody,
  type CreateAssignmentBodyInput,
  type CreateCourseBody,
  IdempotencyError,
  type Page,
  type PagePromise,
  type Quiz,
  type QuizSummary,
  SkillBridge,
  SkillBridgeError,
  type StudentAssignment,
  type TutorSession,
  type User,
  type UserListQuery,
} from "../src/index.js";

// Named types: an editor's hover and a compiler error read `Course`, not the
// expanded object; bodies and filters have one naming scheme.

const client = new SkillBridge({ baseUrl: "http://127.0.0.1:1", token: "t" });
type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

describe("the SDK's types", () => {
  it("every method resolves to a named resource type", () => {
    expectTypeOf<Result<typeof client.courses.get>>().toEqualTypeOf<Course>();
    expectTypeOf<Result<typeof client.users.get>>().toEqualTypeOf<User>();
    expectTypeOf<Result<typeof client.academies.get>>().toEqualTypeOf<Academy>();
    expectTypeOf<Result<typeof client.tutorSessions.get>>().toEqualTypeOf<TutorSession>();
    expectTypeOf<Result<typeof client.assignments.get>>().toEqualTypeOf<
      Assignment | StudentAssignment
    >();
    expectTypeOf<Result<typeof client.quizzes.update>>().toEqualTypeOf<Quiz>();
  });

  it("a list call is a PagePromise whose await is a Page of the named type", () => {
    expectTypeOf(client.courses.list()).toEqualTypeOf<PagePromise<Course>>();
    expectTypeOf<Awaited<ReturnType<typeof client.courses.list>>>().toEqualTypeOf<Page<Course>>();
    expectTypeOf<Awaited<ReturnType<typeof client.quizzes.list>>>().toEqualTypeOf<
      Page<QuizSummary>
    >();
  });

  it("bodies are …Body and filters …Query; the old …Input names remain as aliases", () => {
    expectTypeOf(client.assignments.create).parameter(1).toEqualTypeOf<CreateAssignmentBody>();
    expectTypeOf(client.courses.create).parameter(0).toEqualTypeOf<CreateCourseBody>();
    expectTypeOf(client.users.list).parameter(0).toEqualTypeOf<UserListQuery | undefined>();
    expectTypeOf<CreateAssignmentBodyInput>().toEqualTypeOf<CreateAssignmentBody>();
    // Fields with a server default may be left out of a body.
    expectTypeOf<{
      title: string;
      instructions: string;
      maxPoints: number;
    }>().toExtend<CreateAssignmentBody>();
  });

  it("IdempotencyError is a SkillBridgeError of its own", () => {
    expectTypeOf<IdempotencyError>().toExtend<SkillBridgeError>();
    expect(new IdempotencyError("idempotency_key_reused", "x")).toBeInstanceOf(SkillBridgeError);
  });

  it("an editor shows the names: the compiler prints Course, Page<Course>, PagePromise<Course>", () => {
    const root = join(import.meta.dirname, "../../..");
    const file = join(root, "packages/sdk/test/hover-fixture.ts");
    const source = `import { SkillBridge } from "@skillbridge/sdk";
const client = new SkillBridge({ baseUrl: "http://x" });
export async function f() {
  const course = await client.courses.get("id");
  const page = await client.courses.list();
  const list = client.courses.list();
  const assignment = await client.assignments.create("c", { title: "t", instructions: "i", maxPoints: 1 });
  return { course, page, list, assignment };
}
`;
    const configFile = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root).options;
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile;
    host.readFile = (name) => (name === file ? source : readFile(name));
    host.fileExists = (
      (exists) => (name: string) =>
        name === file || exists(name)
    )(host.fileExists);
    const program = ts.createProgram([file], { ...options, noEmit: true }, host);
    const checker = program.getTypeChecker();
    const shown: Record<string, string> = {};
    const visit = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
        shown[node.name.text] = checker.typeToString(checker.getTypeAtLocation(node.name));
      }
      ts.forEachChild(node, visit);
    };
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) throw new Error("the fixture did not load");
    visit(sourceFile);
    expect(shown).toMatchObject({
      course: "Course",
      page: "Page<Course>",
      list: "PagePromise<Course>",
      assignment: "Assignment",
    });
  }, 120_000);
});
