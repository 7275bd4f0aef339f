import {
  AcademySuspendedError,
  RateLimitedError,
  toAcademy,
  UnauthenticatedError,
  withPlatform,
  withTenant,
} from "@skillbridge/core";
import {
  type LoginBody,
  LoginBodySchema,
  LoginResponseSchema,
  MeResponseSchema,
  type User,
} from "@skillbridge/core/contracts";
import { isRateLimitVerdict } from "../rate-limit/limiters.js";
import { defineRoute } from "../route.js";
import type { AppContext } from "../state.js";

/** Spends one login attempt for this IP and this account; 429 once either budget is gone. */
async function spendLoginAttempt(ctx: AppContext, account: string): Promise<void> {
  const { limiters } = ctx.deps;
  try {
    await Promise.all([
      limiters.loginPerIp.consume(ctx.ip),
      limiters.loginPerAccount.consume(account),
    ]);
  } catch (rejection) {
    if (!isRateLimitVerdict(rejection)) throw rejection;
    throw new RateLimitedError(
      rejection.msBeforeNext / 1000,
      "Too many login attempts; retry later.",
    );
  }
}

export const authRoutes = [
  defineRoute({
    method: "post",
    path: "/auth/login",
    summary: "Sign in (with `academy` for an academy user, without for a platform user)",
    tag: "auth",
    auth: "none",
    body: LoginBodySchema,
    status: 200,
    response: LoginResponseSchema,
    errors: [400, 401, 403, 413, 429],
    handler: async ({ body, deps, ctx }) => {
      const { academy: slug, email, password } = body as LoginBody;
      const account = `${slug ?? "platform"}:${email}`;
      await spendLoginAttempt(ctx, account);
      const { services, tokens, db, config } = deps;
      let user: User | undefined;
      let suspended = false;
      if (slug === undefined) {
        user = await withPlatform(db, (trx) =>
          services.platformUsers.authenticate(trx, email, password),
        );
      } else {
        const academy = await withPlatform(db, (trx) => services.academies.findBySlug(trx, slug));
        if (!academy) {
          await services.passwords.verifyNothing(password);
        } else {
          user = await withTenant(
            db,
            { tenantId: academy.id, userId: null, role: "system" },
            (trx) => services.users.authenticate(trx, email, password),
          );
          suspended = academy.status !== "active";
        }
      }
      // Unknown academy, unknown email and wrong password are one answer.
      if (!user) throw new UnauthenticatedError("The email or password is wrong.");
      if (suspended) throw new AcademySuspendedError();
      await deps.limiters.loginPerAccount.delete(account);
      const accessToken = await tokens.sign(
        user.academyId === null
          ? {
              kind: "platform",
              userId: user.id,
              role: user.role as "platform_admin" | "content_manager",
            }
          : {
              kind: "academy",
              userId: user.id,
              academyId: user.academyId,
              role: user.role as "admin" | "instructor" | "student" | "parent",
              impersonatorId: null,
            },
      );
      return { accessToken, tokenType: "Bearer", expiresIn: config.accessTokenTtlSeconds, user };
    },
  }),
  defineRoute({
    method: "get",
    path: "/me",
    summary: "The signed-in user and their academy",
    tag: "auth",
    auth: "any",
    status: 200,
    response: MeResponseSchema,
    errors: [401, 403, 429],
    handler: async ({ principal, tenant, platform, deps }) => {
      if (principal?.kind === "platform")
        return platform(async (_trx, user) => ({ user, academy: null }));
      return tenant(async (trx, actor) => {
        const user = await deps.services.users.get(trx, actor, actor.userId);
        const academy = await trx
          .selectFrom("academies")
          .select(["id", "slug", "name", "status", "placement", "created_at", "deleted_at"])
          .executeTakeFirstOrThrow();
        return { user, academy: toAcademy(academy) };
      });
    },
  }),
];
