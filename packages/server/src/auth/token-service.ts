import { randomUUID, webcrypto } from "node:crypto";
import { UnauthenticatedError } from "@skillbridge/core";
import { AcademyRoleSchema, PlatformRoleSchema, UuidSchema } from "@skillbridge/core/contracts";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { ServerConfig } from "../config.js";

/**
 * The credential versions a token was issued under (`users`, `academies` and
 * `platform_users.credentials_version`): the per-request re-check refuses a
 * token whose versions are not the current ones. Unset parts are 0, the
 * version of an account whose credentials never changed.
 */
export interface CredentialVersions {
  /** The token's user (academy or platform). */
  readonly user?: number | undefined;
  /** The academy of an academy token. */
  readonly academy?: number | undefined;
  /** The platform admin of an impersonation token. */
  readonly impersonator?: number | undefined;
}

/** What a verified token says about itself: its id (for logout) and expiry. */
export interface TokenFacts {
  readonly id: string;
  readonly expiresAt: Date;
}

interface PrincipalCommon {
  /** Versions to sign into a token; what a verified token carried. */
  readonly credentials?: CredentialVersions | undefined;
  /** Set on a verified token only. */
  readonly token?: TokenFacts | undefined;
}

/** Who a verified token speaks for. */
export type Principal = PrincipalCommon &
  (
    | {
        readonly kind: "academy";
        readonly userId: string;
        readonly academyId: string;
        readonly role: z.infer<typeof AcademyRoleSchema>;
        /** The platform user acting through impersonation, if any. */
        readonly impersonatorId: string | null;
        /** The impersonation's `impersonation.create` audit event (its reason), if any. */
        readonly impersonationEventId?: string | null | undefined;
      }
    | {
        readonly kind: "platform";
        readonly userId: string;
        readonly role: z.infer<typeof PlatformRoleSchema>;
      }
  );

const ALGORITHM = "HS256";
/** Seconds of clock skew an `exp` is allowed (jose's `clockTolerance`). */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Verified tokens remembered at most (a few MB); past it the oldest is forgotten first. */
export const VERIFIED_TOKENS_KEPT = 10_000;

/** A verified token's principal, and the instant (ms) past which jose would call it expired. */
interface Verified {
  readonly principal: Principal;
  readonly usableUntilMs: number;
}

// Claims are validated after the signature: a well-signed token with a bad shape is still rejected.
const Version = z.number().int().nonnegative().optional();
const ClaimsSchema = z.union([
  z.object({
    sub: UuidSchema,
    jti: UuidSchema,
    exp: z.number(),
    aid: UuidSchema,
    role: AcademyRoleSchema,
    imp: UuidSchema.optional(),
    ise: UuidSchema.optional(),
    cv: Version,
    av: Version,
    icv: Version,
  }),
  z.object({
    sub: UuidSchema,
    jti: UuidSchema,
    exp: z.number(),
    aid: z.never().optional(),
    role: PlatformRoleSchema,
    imp: z.never().optional(),
    ise: z.never().optional(),
    cv: Version,
    av: z.never().optional(),
    icv: z.never().optional(),
  }),
]);

/**
 * Signs and verifies access tokens with jose: one algorithm on an explicit
 * allow-list (so `alg: none` and HS/asymmetric confusion are refused),
 * required `exp`, `iat`, `iss`, `aud` and `sub`.
 */
export class TokenService {
  readonly #secret: Uint8Array;
  readonly #config: ServerConfig;
  #key: Promise<webcrypto.CryptoKey> | undefined;
  /**
   * Tokens already verified, by their exact text. A client sends the same
   * token on every request until it expires; checking its HMAC again costs
   * a round trip through libuv's thread pool (WebCrypto is asynchronous),
   * which a busy event loop makes long, and jose's parsing besides. What
   * jose decides of a token can change with time only at its `exp` (an
   * `nbf` only ever becomes true), so a verdict kept until then is the one
   * jose would give again. Only successes are kept; revocation is not
   * decided here but by the per-request re-check in the transaction.
   */
  readonly #verified = new Map<string, Verified>();
  readonly #kept: number;

  constructor(config: ServerConfig, kept = VERIFIED_TOKENS_KEPT) {
    this.#config = config;
    this.#secret = new TextEncoder().encode(config.jwtSecret);
    this.#kept = kept;
  }

  /** Verified tokens remembered now (diagnostics and tests). */
  get verifiedKept(): number {
    return this.#verified.size;
  }

  /**
   * The secret as a WebCrypto key, imported once: given the raw bytes, jose
   * imports them again on every sign and verify (3 % of the server's CPU per
   * request in the isolation benchmark's profile, #21).
   */
  #cryptoKey(): Promise<webcrypto.CryptoKey> {
    this.#key ??= webcrypto.subtle.importKey(
      "raw",
      this.#secret,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    return this.#key;
  }

  async sign(
    principal: Principal,
    ttlSeconds = this.#config.accessTokenTtlSeconds,
  ): Promise<string> {
    const versions = principal.credentials ?? {};
    const claims =
      principal.kind === "academy"
        ? {
            aid: principal.academyId,
            role: principal.role,
            cv: versions.user ?? 0,
            av: versions.academy ?? 0,
            ...(principal.impersonatorId
              ? {
                  imp: principal.impersonatorId,
                  icv: versions.impersonator ?? 0,
                  ...(principal.impersonationEventId
                    ? { ise: principal.impersonationEventId }
                    : {}),
                }
              : {}),
          }
        : { role: principal.role, cv: versions.user ?? 0 };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
      .setSubject(principal.userId)
      .setIssuer(this.#config.issuer)
      .setAudience(this.#config.audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${Math.floor(ttlSeconds)}s`)
      .sign(await this.#cryptoKey());
  }

  /** The principal of a valid token; anything else is a 401 that says no more than "invalid". */
  async verify(token: string): Promise<Principal> {
    const known = this.#verified.get(token);
    if (known) {
      if (Date.now() < known.usableUntilMs) return known.principal;
      this.#verified.delete(token);
    }
    const principal = await this.#verifyAnew(token);
    const exp = principal.token?.expiresAt.getTime();
    if (exp !== undefined) {
      if (this.#verified.size >= this.#kept) {
        const oldest = this.#verified.keys().next();
        if (!oldest.done) this.#verified.delete(oldest.value);
      }
      this.#verified.set(token, {
        principal,
        usableUntilMs: exp + CLOCK_TOLERANCE_SECONDS * 1000,
      });
    }
    return principal;
  }

  async #verifyAnew(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.#cryptoKey(), {
        algorithms: [ALGORITHM],
        issuer: this.#config.issuer,
        audience: this.#config.audience,
        requiredClaims: ["exp", "iat", "sub", "jti"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError("The token has expired.");
      throw new UnauthenticatedError("The token is not valid.");
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthenticatedError("The token is not valid.");
    const { sub, jti, exp, aid, role, imp, ise, cv, av, icv } = claims.data;
    const facts = { id: jti, expiresAt: new Date(exp * 1000) };
    if (aid !== undefined) {
      return deepFreeze({
        kind: "academy",
        userId: sub,
        academyId: aid,
        role: role as z.infer<typeof AcademyRoleSchema>,
        impersonatorId: imp ?? null,
        impersonationEventId: imp ? (ise ?? null) : null,
        credentials: { user: cv ?? 0, academy: av ?? 0, impersonator: icv ?? 0 },
        token: facts,
      });
    }
    return deepFreeze({
      kind: "platform",
      userId: sub,
      role: role as z.infer<typeof PlatformRoleSchema>,
      credentials: { user: cv ?? 0 },
      token: facts,
    });
  }
}

/** A principal shared by every request that shows the same token: nobody may change it. */
function deepFreeze<T extends Principal>(principal: T): T {
  if (principal.credentials) Object.freeze(principal.credentials);
  if (principal.token) Object.freeze(principal.token);
  return Object.freeze(principal);
}
