import type { ParentLink } from "@skillbridge/core/contracts";
import type { SkillBridge, User } from "@skillbridge/sdk";
import { CliError } from "../../errors.js";
import type { CommandOutput } from "../../output/view.js";
import type { Session } from "../../session.js";
import { actInAcademy } from "../act-in-academy.js";

export interface ParentsLinkInput {
  readonly academy?: string | undefined;
  readonly parent?: string | undefined;
  readonly student?: string | undefined;
  readonly reason?: string | undefined;
}

async function userByEmail(
  client: SkillBridge,
  email: string,
  role: "parent" | "student",
): Promise<User> {
  const { data } = await client.users.list({ email, limit: 1 }).firstPage();
  const user = data[0];
  if (!user) throw new CliError(`No user ${email} in this academy.`);
  if (user.role !== role) throw new CliError(`${email} is a ${user.role}, not a ${role}.`);
  return user;
}

/** `skillbridge parents link`: lets a parent see one student (by emails). */
export async function parentsLink(
  session: Session,
  input: ParentsLinkInput,
): Promise<CommandOutput<ParentLink>> {
  session.prompt.requireAll([
    [input.parent, "--parent", "parent's email"],
    [input.student, "--student", "student's email"],
    ...(session.actsAsPlatformUser
      ? ([[input.academy, "--academy", "the academy's slug"]] as const)
      : []),
  ]);
  const parentEmail = await session.prompt.text(input.parent, "--parent", "Parent's email:");
  const studentEmail = await session.prompt.text(input.student, "--student", "Student's email:");
  const access = await actInAcademy(
    session,
    input.academy,
    input.reason ?? "skillbridge CLI: parents link",
  );
  const parent = await userByEmail(access.client, parentEmail, "parent");
  const student = await userByEmail(access.client, studentEmail, "student");
  const link = await access.client.parentLinks.create({
    parentId: parent.id,
    studentId: student.id,
  });
  return {
    data: link,
    view: {
      kind: "summary",
      title: `Linked ${parent.email} to ${student.email} in ${access.academy.slug}`,
      fields: [
        ["parent", `${parent.name} <${parent.email}>`],
        ["student", `${student.name} <${student.email}>`],
      ],
    },
  };
}
