import type { AttackWorld, Caller } from "./attack-world.js";
import type { HttpResponse, RequestOptions } from "./http.js";
import { academyFingerprint, uuidsIn } from "./id-index.js";
import type { Tally } from "./tally.js";

/** Keys that never leave the server: secrets and the tenant column. */
const SECRET_KEYS = new Set(["password", "passwordHash", "password_hash", "tenantId", "tenant_id"]);
/** Keys students and parents never receive (an assignment's reference answer, a question's answer). */
const ANSWER_KEYS = new Set(["referenceAnswer", "reference_answer", "answer"]);

export interface Verdict {
  /** Breaches: another academy's ids, a hidden row, a secret, a 2xx where a refusal was due, a write into B. */
  readonly leaks: string[];
  /** Wrong but not a breach: an unexpected status, a 5xx, an error that is not a problem document. */
  readonly problems: string[];
  readonly response: HttpResponse;
}

export interface Attack {
  readonly caller: Caller;
  readonly method: string;
  readonly path: string;
  readonly request?: Omit<RequestOptions, "token">;
  /** Statuses that are a correct answer. */
  readonly expect: readonly number[];
  /** Check that nothing of academy B changed (default: for every method but GET and HEAD). */
  readonly checkVictim?: boolean;
  /** Check that a refused request wrote nothing to the caller's own academy either. */
  readonly checkOwn?: boolean;
}

function walk(value: unknown, visit: (key: string, item: unknown) => void): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) stack.push(...current);
    else if (current !== null && typeof current === "object") {
      for (const [key, item] of Object.entries(current)) {
        visit(key, item);
        stack.push(item);
      }
    }
  }
}

/** Judges one response by what the caller may see. */
export function judge(
  world: AttackWorld,
  caller: Caller,
  response: HttpResponse,
  expected: readonly number[],
  /** What the caller sent: a refusal may name what it was given without leaking it. */
  sent = "",
): Omit<Verdict, "response"> {
  const leaks: string[] = [];
  const problems: string[] = [];
  const success = response.status >= 200 && response.status < 300;
  if (caller.academyId !== null) {
    const echoed = success ? new Set<string>() : new Set(uuidsIn(sent));
    const foreign = world.index
      .foreignIn(response.text, caller.academyId)
      .filter((id) => !echoed.has(id));
    if (foreign.length > 0)
      leaks.push(`shows ids of another academy or the platform: ${foreign.join(", ")}`);
  }
  walk(response.body, (key, item) => {
    if (key === "id" && typeof item === "string" && caller.hidden.has(item))
      leaks.push(`shows a row its role may not see: ${item}`);
    if (success && SECRET_KEYS.has(key)) leaks.push(`carries the secret field ${key}`);
    if (success && caller.learner && ANSWER_KEYS.has(key))
      leaks.push(`gives a learner the answer field ${key}`);
  });
  if (success && !expected.some((s) => s >= 200 && s < 300))
    leaks.push(`answered ${response.status} where a refusal (${expected.join("/")}) was due`);
  if (!expected.includes(response.status))
    problems.push(
      `status ${response.status}, expected ${expected.join(" or ")}: ${response.text.slice(0, 300)}`,
    );
  if (response.status >= 500) problems.push(`a server error: ${response.text.slice(0, 300)}`);
  if (
    response.status >= 400 &&
    response.text !== "" &&
    !/^application\/problem\+json/.test(response.headers["content-type"] ?? "")
  )
    problems.push(`an error that is not a problem document: ${response.headers["content-type"]}`);
  if (/\bat .+\.(ts|js|mjs):\d+|node_modules|node:internal/.test(response.text))
    problems.push("reveals a stack trace or file path");
  return { leaks, problems };
}

/**
 * Sends one attack over the socket, judges the answer, checks that the
 * victim academy is untouched, and counts it (an attack; a leak if any).
 */
export async function runAttack(
  world: AttackWorld,
  tally: Tally,
  attack: Attack,
): Promise<Verdict> {
  const method = attack.method.toUpperCase();
  const checkVictim = attack.checkVictim ?? !(method === "GET" || method === "HEAD");
  const before = checkVictim ? await world.fingerprintB() : "";
  const ownBefore = attack.checkOwn
    ? await academyFingerprint(world.server.db, world.A.academyId)
    : "";
  const response = await world.http.request(method, attack.path, {
    ...attack.request,
    token: attack.caller.token,
  });
  tally.requests += 1;
  const sent = `${attack.path} ${attack.request?.rawBody ?? ""} ${JSON.stringify(attack.request?.body ?? null)} ${JSON.stringify(attack.request?.headers ?? {})}`;
  const { leaks, problems } = judge(world, attack.caller, response, attack.expect, sent);
  if (checkVictim && (await world.fingerprintB()) !== before)
    leaks.push("changed data of the victim academy");
  if (
    attack.checkOwn &&
    response.status >= 400 &&
    (await academyFingerprint(world.server.db, world.A.academyId)) !== ownBefore
  )
    problems.push(`refused with ${response.status} but wrote to the caller's academy`);
  tally.attacks += 1;
  if (leaks.length > 0) tally.leaks += 1;
  return { leaks, problems, response };
}
