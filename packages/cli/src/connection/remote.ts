import { SkillBridge } from "@skillbridge/sdk";
import { readLogin } from "../config-store.js";
import type { Connection } from "./connection.js";

export interface RemoteOptions {
  readonly apiUrl: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Same scheme, host, port and path: `localhost` and `127.0.0.1` are different servers to a token. */
export function sameServer(a: string, b: string): boolean {
  const norm = (url: string) => {
    try {
      const parsed = new URL(url);
      return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
    } catch {
      return url;
    }
  };
  return norm(a) === norm(b);
}

/**
 * The token for `apiUrl`: `SKILLBRIDGE_TOKEN`, else the stored login, but only
 * if that login was made against this same server, so a token is never sent
 * to a server it was not issued by.
 */
export function resolveToken(
  apiUrl: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (env.SKILLBRIDGE_TOKEN) return env.SKILLBRIDGE_TOKEN;
  const login = readLogin(env);
  return login && sameServer(login.apiUrl, apiUrl) ? login.token : undefined;
}

/** Remote mode: the SDK against `--api-url` / `SKILLBRIDGE_API_URL` / the stored login's server. */
export function openRemote(options: RemoteOptions): Connection {
  const token = resolveToken(options.apiUrl, options.env);
  return {
    mode: "remote",
    description: options.apiUrl,
    apiUrl: options.apiUrl,
    client: new SkillBridge({ baseUrl: options.apiUrl, token }),
    token,
    close: async () => {},
  };
}
