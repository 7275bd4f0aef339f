import {
  type LoginBody,
  type LoginResponse,
  LoginResponseSchema,
  type MeResponse,
  MeResponseSchema,
} from "@skillbridge/core/contracts";
import { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions } from "../core/resource.js";

/** `/auth/login` and `/me`. */
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
    const result = this.request(
      {
        method: "POST",
        path: "/auth/login",
        body,
        schema: LoginResponseSchema,
        auth: false,
        idempotent: false,
      },
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
   * The signed-in user and their academy (`academy` is null for platform users).
   *
   * @example
   * const { user, academy } = await client.auth.me();
   */
  me(options?: RequestOptions): APIPromise<MeResponse> {
    return this.request({ method: "GET", path: "/me", schema: MeResponseSchema }, options);
  }
}
