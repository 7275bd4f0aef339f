import { LoginResponseSchema, MeResponseSchema } from "@skillbridge/core/contracts";
import { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions } from "../core/resource.js";
import type { LoginResponse, MeResponse } from "../types/models.js";
import type { LoginBody } from "../types/requests.js";

/** `/auth/login`, `/auth/invitations/{token}`, `/auth/logout` and `/me`. */
export class Auth extends APIResource {
  /**
   * Signs in and keeps the token: later calls on this client send it. With
   * `academy` (its slug) for an academy user, without for a platform user.
   * Never retried and sent without an idempotency key.
   *
   * @example
   * await client.auth.login({ academy: "north-prep", email: "ada@north.example", password });
   */
  login(body: LoginBody, options?: RequestOptions): APIPromise<LoginResponse> {
    return this.#signIn("/auth/login", body, options);
  }

  /** POSTs `body` to a route that answers a login, and keeps its token (never retried). */
  #signIn(path: string, body: unknown, options?: RequestOptions): APIPromise<LoginResponse> {
    const result = this.request(
      { method: "POST", path, body, schema: LoginResponseSchema, auth: false, idempotent: false },
      options,
    )
      .withResponse()
      .then((response) => {
        this.client.token = response.data.accessToken;
        return response;
      });
    return new APIPromise(result);
  }

  /**
   * Accepts an invitation (the token `academies.create` returned for an admin
   * without a password): sets their password, spends the token, and signs in
   * as them, keeping the token like `login`. An unknown token is a
   * `NotFoundError`; an expired or used one a `SkillBridgeError` with status
   * 410 and code `invitation_expired` or `invitation_used`. Never retried.
   *
   * @example
   * const { user } = await client.auth.acceptInvitation(token, "a passphrase of my own");
   */
  acceptInvitation(
    token: string,
    password: string,
    options?: RequestOptions,
  ): APIPromise<LoginResponse> {
    return this.#signIn(`/auth/invitations/${encodeURIComponent(token)}`, { password }, options);
  }

  /**
   * Signs out: the server revokes the token this client holds (every server
   * process refuses it from then on; the user's other tokens keep working),
   * and the client forgets it. Safe to retry: revoking twice is a no-op, and
   * a token already refused (expired, revoked) answers 401.
   *
   * @example
   * await client.auth.logout();
   */
  logout(options?: RequestOptions): APIPromise<void> {
    const result = this.request<void>(
      { method: "POST", path: "/auth/logout", idempotent: false },
      options,
    )
      .withResponse()
      .then((response) => {
        this.client.token = undefined;
        return response;
      });
    return new APIPromise(result);
  }

  /**
   * The signed-in user and their academy (`academy` is null for platform users).
   *
   * @example
   * const { user, academy } = await client.auth.me();
   */
  me(options?: RequestOptions): APIPromise<MeResponse> {
    return this.request({ method: "GET", path: "/me", schema: MeResponseSchema }, options);
  }
}
