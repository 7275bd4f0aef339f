import {
  AcademySuspendedError,
  type Authenticated,
  toAcademy,
  UnauthenticatedError,
  withPlatform,
  withTenant,
} from "@skillbridge/core";
import {
  AcceptInvitationBodySchema,
  InvitationParamsSchema,
  type LoginBody,
  LoginBodySchema,
  LoginResponseSchema,
  MeResponseSchema,
} from "@skillbridge/core/contracts";
import { isRateLimitVerdict } from "../rate-limit/limiters.js";
import { SignInAttempt, tooMany } from "../rate-limit/login-guard.js";
import { defineRoute } from "../route.js";
import type { AppContext } from "../state.js";

/** An invitation try spends the client's failed-sign-in budget, given back when it succeeds. */
async function spendInvitationTry(ctx: AppContext): Promise<void> {
  try {
    await ctx.deps.limiters.loginPerIp.consume(ctx.ip);
  } catch (rejection) {
    if (!isRateLimitVerdict(rejection)) throw rejection;
    throw tooMany(rejection.msBeforeNext);
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
      const attempt = await SignInAttempt.begin(ctx, account);
      const { services, tokens, db, config } = deps;
      let found: Authenticated | undefined;
      let suspended = false;
      if (slug === undefined) {
        found = await withPlatform(db, (trx) =>
          services.platformUsers.authenticate(trx, email, password),
        );
      } else {
        const academy = await withPlatform(db, (trx) => services.academies.findBySlug(trx, slug));
        if (!academy) {
          await services.passwords.verifyNothing(password);
        } else {
          found = await withTenant(
            db,
            { tenantId: academy.id, userId: null, role: "system" },
            (trx) => services.users.authenticate(trx, email, password),
          );
          suspended = academy.status !== "active";
        }
      }
      // Unknown academy, unknown email and wrong password are one answer.
      if (!found) {
        await attempt.failed();
        throw new UnauthenticatedError("The email or password is wrong.");
      }
      await attempt.succeeded();
      if (suspended) throw new AcademySuspendedError();
      const { user, credentials } = found;
      // Signed under the credential versions read with the password hash: a
      // change committed since then already revokes this token.
      const accessToken = await tokens.sign(
        user.academyId === null
          ? {
              kind: "platform",
              userId: user.id,
              role: user.role as "platform_admin" | "content_manager",
              credentials,
            }
          : {
              kind: "academy",
              userId: user.id,
              academyId: user.academyId,
              role: user.role as "admin" | "instructor" | "student" | "parent",
              impersonatorId: null,
              credentials,
            },
      );
      return { accessToken, tokenType: "Bearer", expiresIn: config.accessTokenTtlSeconds, user };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/invitations/{token}",
    summary:
      "Accept an invitation: set the invited admin's password, spend the token and sign in (unknown token 404; expired or used 410)",
    tag: "auth",
    auth: "none",
    params: InvitationParamsSchema,
    body: AcceptInvitationBodySchema,
    status: 200,
    response: LoginResponseSchema,
    errors: [400, 403, 404, 410, 413, 429],
    handler: async ({ params, body, deps, ctx }) => {
      // Tokens are 256-bit and cannot be guessed, but every try still spends
      // the caller's login budget: this route is a door that needs no account.
      await spendInvitationTry(ctx);
      const { token } = params as { token: string };
      const { user, credentials } = await deps.services.invitations.accept(deps.db, token, body);
      await deps.limiters.loginPerIp.reward(ctx.ip, 1);
      const accessToken = await deps.tokens.sign({
        kind: "academy",
        userId: user.id,
        academyId: user.academyId as string,
        role: user.role as "admin" | "instructor" | "student" | "parent",
        impersonatorId: null,
        credentials,
      });
      return {
        accessToken,
        tokenType: "Bearer",
        expiresIn: deps.config.accessTokenTtlSeconds,
        user,
      };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/logout",
    summary:
      "Sign out: the token this is called with stops working at once, in every server process (other tokens of the user are untouched)",
    tag: "auth",
    auth: "any",
    status: 204,
    errors: [401, 403, 429],
    handler: async ({ principal, tenant, platform, deps }) => {
      if (!principal?.token) throw new UnauthenticatedError();
      const { id, expiresAt } = principal.token;
      const academyId = principal.kind === "academy" ? principal.academyId : null;
      // The caller is re-checked first (a revoked or outdated token is a 401 here too).
      await (principal.kind === "platform"
        ? platform(async () => undefined)
        : tenant(async () => undefined));
      await withPlatform(deps.db, (trx) =>
        deps.services.revokedTokens.revoke(trx, { tokenId: id, academyId, expiresAt }),
      );
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
