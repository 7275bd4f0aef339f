import { randomUUID } from "node:crypto";
import { UnauthenticatedError } from "@skillbridge/core";
import { AcademyRoleSchema, PlatformRoleSchema, UuidSchema } from "@skillbridge/core/contracts";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { ServerConfig } from "../config.js";

/** Who a verified token speaks for. */
export type Principal =
  | {
      readonly kind: "academy";
      readonly userId: string;
      readonly academyId: string;
      readonly role: z.infer<typeof AcademyRoleSchema>;
      /** The platform user acting through impersonation, if any. */
      readonly impersonatorId: string | null;
    }
  | {
      readonly kind: "platform";
      readonly userId: string;
      readonly role: z.infer<typeof PlatformRoleSchema>;
    };

const ALGORITHM = "HS256";

// Claims are validated after the signature: a well-signed token with a bad shape is still rejected.
const ClaimsSchema = z.union([
  z.object({
    sub: UuidSchema,
    aid: UuidSchema,
    role: AcademyRoleSchema,
    imp: UuidSchema.optional(),
  }),
  z.object({
    sub: UuidSchema,
    aid: z.never().optional(),
    role: PlatformRoleSchema,
    imp: z.never().optional(),
  }),
]);

/**
 * Signs and verifies access tokens with jose: one algorithm on an explicit
 * allow-list (so `alg: none` and HS/asymmetric confusion are refused),
 * required `exp`, `iat`, `iss`, `aud` and `sub`.
 */
export class TokenService {
  readonly #key: Uint8Array;
  readonly #config: ServerConfig;

  constructor(config: ServerConfig) {
    this.#config = config;
    this.#key = new TextEncoder().encode(config.jwtSecret);
  }

  async sign(
    principal: Principal,
    ttlSeconds = this.#config.accessTokenTtlSeconds,
  ): Promise<string> {
    const claims =
      principal.kind === "academy"
        ? {
            aid: principal.academyId,
            role: principal.role,
            ...(principal.impersonatorId ? { imp: principal.impersonatorId } : {}),
          }
        : { role: principal.role };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
      .setSubject(principal.userId)
      .setIssuer(this.#config.issuer)
      .setAudience(this.#config.audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${Math.floor(ttlSeconds)}s`)
      .sign(this.#key);
  }

  /** The principal of a valid token; anything else is a 401 that says no more than "invalid". */
  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        algorithms: [ALGORITHM],
        issuer: this.#config.issuer,
        audience: this.#config.audience,
        requiredClaims: ["exp", "iat", "sub"],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError("The token has expired.");
      throw new UnauthenticatedError("The token is not valid.");
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthenticatedError("The token is not valid.");
    const { sub, aid, role, imp } = claims.data;
    if (aid !== undefined) {
      return {
        kind: "academy",
        userId: sub,
        academyId: aid,
        role: role as z.infer<typeof AcademyRoleSchema>,
        impersonatorId: imp ?? null,
      };
    }
    return { kind: "platform", userId: sub, role: role as z.infer<typeof PlatformRoleSchema> };
  }
}
