/**
 * The services the reliability suite runs against. It needs both: real
 * PostgreSQL (scratch databases are created there and dropped) and real
 * Redis (rate limits and idempotency keys, under a key prefix of its own).
 */
export interface ReliabilityEnv {
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

export const MISSING_ENV_MESSAGE =
  "The reliability suite runs against real PostgreSQL and Redis: set SKILLBRIDGE_TEST_DATABASE_URL " +
  "(a PostgreSQL URL whose user may CREATE DATABASE, e.g. postgres://postgres@127.0.0.1:5432/postgres) " +
  "and REDIS_URL (e.g. redis://127.0.0.1:6379).";

export function reliabilityEnv(env: NodeJS.ProcessEnv = process.env): ReliabilityEnv {
  const databaseUrl = env.SKILLBRIDGE_TEST_DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  const missing = [
    ...(databaseUrl ? [] : ["SKILLBRIDGE_TEST_DATABASE_URL"]),
    ...(redisUrl ? [] : ["REDIS_URL"]),
  ];
  if (!databaseUrl || !redisUrl)
    throw new Error(`${missing.join(" and ")} missing. ${MISSING_ENV_MESSAGE}`);
  return { databaseUrl, redisUrl };
}

/** `url` pointing at another database on the same server. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
