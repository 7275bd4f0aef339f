import {
  createOfflineProvider,
  type DatabaseEngine,
  PasswordHasher,
  type SkillBridgeDatabase,
  withPlatform,
} from "@skillbridge/core";
import { inject } from "light-my-request";
import { pino } from "pino";
import { openTestDatabase } from "../../../core/test/support/engines.js";
import type { SeededAcademy } from "../../../core/test/support/seed.js";
import {
  type CreateServerOptions,
  createServer,
  type RouteDefinition,
  type ServerConfig,
  type SkillBridgeApp,
  serverConfig,
} from "../../src/index.js";
import type { MultipartBody } from "./multipart.js";

export { ENGINES } from "../../../core/test/support/engines.js";

export const TEST_SECRET = "test-secret-test-secret-test-secret-0123456789";
export const PLATFORM_ADMIN = { email: "root@platform.example", password: "platform-password-1" };

export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies of every shape.
  readonly body: any;
}

export interface TestApp {
  readonly app: SkillBridgeApp;
  readonly db: SkillBridgeDatabase;
  /** Calls the app in-process through `app.callback()`: no socket. */
  request(
    method: string,
    path: string,
    options?: {
      token?: string | undefined;
      body?: unknown;
      headers?: Record<string, string>;
      rawBody?: string | Buffer;
      /** A multipart/form-data body (see `support/multipart.ts`). */
      form?: MultipartBody;
    },
  ): Promise<TestResponse>;
  login(body: { academy?: string; email: string; password: string }): Promise<string>;
  platformToken(): Promise<string>;
  dispose(): Promise<void>;
}

/** The AI side of a test app: the offline provider unless a test brings its own (a local Groq server). */
export type TestAi = NonNullable<CreateServerOptions["ai"]>;
/** What a test may add to the app: an AI provider and limits, and routes of its own. */
export type TestOptions = TestAi & { readonly routes?: readonly RouteDefinition[] };

/**
 * A server over a fresh migrated database, with a cheap password hash, a
 * silent logger, one platform admin and the offline AI provider (never the
 * environment's Groq key). Config overrides for rate-limit tests; `options`
 * for an injected AI provider, or extra routes for tests that need a route
 * the API does not have.
 */
export async function createTestApp(
  engine: DatabaseEngine,
  overrides: Partial<ServerConfig> = {},
  options: TestOptions = {},
): Promise<TestApp> {
  const { db, dispose } = await openTestDatabase(engine);
  let app: SkillBridgeApp;
  try {
    app = buildApp(db, overrides, options);
  } catch (error) {
    // A config the server refuses: its database goes too (no scratch database left behind).
    await dispose();
    throw error;
  }
  await withPlatform(db, (trx) =>
    app.context.deps.services.platformUsers.create(trx, {
      email: PLATFORM_ADMIN.email,
      name: "Platform Root",
      role: "platform_admin",
      password: PLATFORM_ADMIN.password,
    }),
  );

  const request = requestVia(app);
  const login: TestApp["login"] = async (body) => {
    const response = await request("POST", "/api/v1/auth/login", { body });
    if (response.status !== 200)
      throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken as string;
  };
  return {
    app,
    db,
    request,
    login,
    platformToken: () => login(PLATFORM_ADMIN),
    async dispose() {
      await app.closeResources();
      await dispose();
    },
  };
}

/** An app over `db` with the test secret, a silent logger and a cheap password hash. */
function buildApp(
  db: SkillBridgeDatabase,
  overrides: Partial<ServerConfig>,
  options: TestOptions = {},
): SkillBridgeApp {
  const { routes = [], ...ai } = options;
  return createServer({
    routes,
    ai: { ...ai, provider: ai.provider ?? createOfflineProvider() },
    db,
    config: serverConfig({
      jwtSecret: TEST_SECRET,
      logger: pino({ level: "silent" }),
      ...overrides,
    }),
    passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
  });
}

/** A second server process, as it were, over the same database and secret (close its resources). */
export function createPeerApp(
  t: TestApp,
  overrides: Partial<ServerConfig> = {},
  ai: TestAi = {},
): SkillBridgeApp {
  return buildApp(t.db, overrides, ai);
}

/** In-process requests to any app through `app.callback()`: no socket. */
export function requestVia(app: SkillBridgeApp): TestApp["request"] {
  const callback = app.callback();
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Buffer | undefined = options.rawBody;
    if (options.form) {
      payload = options.form.body;
      headers["content-type"] ??= options.form.contentType;
    }
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await inject(callback, {
      method: method as "GET",
      url: path,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    let body: unknown = response.payload;
    if (response.payload && /json/.test(String(response.headers["content-type"]))) {
      body = JSON.parse(response.payload);
    }
    return { status: response.statusCode, headers: response.headers, body };
  };
}

/** A token `app` signs for the admin of an academy seeded by core's `seedAcademy`, as sign-in would issue it. */
export function adminTokenOf(app: SkillBridgeApp, academy: SeededAcademy): Promise<string> {
  return app.context.deps.tokens.sign({
    kind: "academy",
    userId: academy.users.admin,
    academyId: academy.academyId,
    role: "admin",
    impersonatorId: null,
  });
}
