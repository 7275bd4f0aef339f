import { withPlatform } from "@skillbridge/core";
import type { ServerConfig } from "@skillbridge/server";
import { type SeededAcademy, seedAcademy } from "../../../packages/core/test/support/seed.js";
import type { HttpClient } from "./http.js";
import { academyFingerprint, IdIndex } from "./id-index.js";
import { type LiveServer, PLATFORM_ADMIN, startLiveServer } from "./live-server.js";

/** Who sends an attack: a token, and what that caller may never see. */
export interface Caller {
  readonly name: string;
  readonly token: string | undefined;
  /** The caller's academy; null for platform users and anonymous callers. */
  readonly academyId: string | null;
  readonly role: string;
  /** Students and parents: never an answer key (`referenceAnswer`). */
  readonly learner: boolean;
  /** Rows of the caller's own academy that its role may not see (by id). */
  readonly hidden: ReadonlySet<string>;
  /** Seeded user key (admin, i1, s1, p) for academy callers. */
  readonly key?: "admin" | "i1" | "s1" | "p";
}

export interface AttackWorld {
  readonly server: LiveServer;
  readonly http: HttpClient;
  readonly index: IdIndex;
  /** The attackers' academy, and the look-alike victim academy. */
  readonly A: SeededAcademy;
  readonly B: SeededAcademy;
  readonly callers: {
    readonly admin: Caller;
    readonly instructor: Caller;
    readonly student: Caller;
    readonly parent: Caller;
    readonly platformAdmin: Caller;
    readonly contentManager: Caller;
    readonly anonymous: Caller;
    /** Academy B's admin: sets up what the attacks then try to reach. */
    readonly victimAdmin: Caller;
  };
  /** One id of academy B per table (its academy row included): foreign ids of every kind. */
  readonly foreignKinds: readonly { readonly table: string; readonly id: string }[];
  /** Everything B has, digested: unchanged means nothing of B was written. */
  fingerprintB(): Promise<string>;
  close(): Promise<void>;
}

/** Rows of one seeded academy each academy role may not see (API.md, "Visibility"). */
function hiddenRows(a: SeededAcademy, rows: Map<string, string[]>) {
  const { users: u, courses: c, assignments: as, submissions: s } = a;
  const all = (table: string) => rows.get(table) ?? [];
  const links = all("parent_links");
  const enrollments = all("enrollments");
  return {
    admin: new Set<string>(),
    // i1 teaches c1 (s1, s3): not i2, s2, p or the admin; not c2, its work or any link.
    i1: new Set([u.admin, u.i2, u.s2, u.p, c.c2, as.a2, s.sub2, ...links]),
    // s1: only self, c1 and its assignment, own submission.
    s1: new Set([
      u.admin,
      u.i1,
      u.i2,
      u.s2,
      u.s3,
      u.p,
      c.c2,
      as.a2,
      s.sub2,
      s.sub3,
      ...links,
      ...enrollments,
    ]),
    // p is linked to s1 only.
    p: new Set([u.admin, u.i1, u.i2, u.s2, u.s3, c.c2, as.a2, s.sub2, s.sub3, ...enrollments]),
  };
}

/**
 * The attack suite's world: the real server on loopback, academy A (whose
 * users attack) and its look-alike B (the victim; same names, same emails,
 * same shapes, so only a bug could mix them), a platform admin and a content
 * manager, each signed in over HTTP.
 */
export async function createAttackWorld(
  options: { config?: Partial<ServerConfig> } = {},
): Promise<AttackWorld> {
  // Budgets are not under attack here (see attacks-auth for login limits):
  // high enough that hundreds of attacks are each answered on their merits.
  const server = await startLiveServer({
    config: {
      rateLimit: {
        points: 1_000_000,
        durationSeconds: 60,
        burstPoints: 0,
        burstDurationSeconds: 1,
      },
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 60 },
      ...options.config,
    },
  });
  const A = await seedAcademy(server.db, server.services, "north");
  const B = await seedAcademy(server.db, server.services, "south");
  await withPlatform(server.db, (trx) =>
    server.services.platformUsers.create(trx, {
      email: "content@platform.example",
      name: "Content Manager",
      role: "content_manager",
      password: "content-password-1",
    }),
  );
  const index = new IdIndex(server.db);
  await index.refresh();
  const hidden = hiddenRows(A, index.idsOf(A.academyId));

  const academyLogin = (email: string, password: string) =>
    server.login({ academy: "north", email, password });
  const caller = async (
    key: "admin" | "i1" | "s1" | "p",
    role: string,
    password: string,
  ): Promise<Caller> => ({
    name: `north ${role}`,
    token: await academyLogin(`${key}@example.com`, password),
    academyId: A.academyId,
    role,
    learner: role === "student" || role === "parent",
    hidden: hidden[key],
    key,
  });
  const platform = (name: string, role: string, token: string): Caller => ({
    name,
    token,
    academyId: null,
    role,
    learner: false,
    hidden: new Set(),
  });

  const bRows = index.idsOf(B.academyId);
  // Audit events name B too, but they are platform rows no academy route reads.
  const foreignKinds = [...bRows.entries()]
    .filter(([table, ids]) => table !== "audit_log" && ids.length > 0)
    .map(([table, ids]) => ({ table, id: ids[0] as string }));

  return {
    server,
    http: server.http,
    index,
    A,
    B,
    callers: {
      admin: await caller("admin", "admin", "admin-password-1"),
      instructor: await caller("i1", "instructor", "password-i1-1"),
      student: await caller("s1", "student", "password-s1-1"),
      parent: await caller("p", "parent", "password-p-1"),
      platformAdmin: platform(
        "platform admin",
        "platform_admin",
        await server.login(PLATFORM_ADMIN),
      ),
      contentManager: platform(
        "content manager",
        "content_manager",
        await server.login({ email: "content@platform.example", password: "content-password-1" }),
      ),
      anonymous: platform("anonymous", "anonymous", ""),
      victimAdmin: {
        name: "south admin",
        token: await server.login({
          academy: "south",
          email: "admin@example.com",
          password: "admin-password-1",
        }),
        academyId: B.academyId,
        role: "admin",
        learner: false,
        hidden: new Set(),
        key: "admin",
      },
    },
    foreignKinds,
    fingerprintB: () => academyFingerprint(server.db, B.academyId),
    close: () => server.close(),
  };
}
