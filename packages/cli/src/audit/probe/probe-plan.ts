import { randomUUID } from "node:crypto";
import type { FixtureObject, ProbeRole } from "./fixture-academy.js";
import { deref, isSchema, isUuid, type JsonSchema } from "./json-schema.js";
import { type KindRef, kindOfField } from "./kinds.js";
import type { ProbeRoute } from "./openapi-routes.js";
import type { ProbeWorld } from "./probe-world.js";
import { sampleValue } from "./sample-value.js";

/** One request: its path parameters, query and body. */
export interface ProbeRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | number>>;
  readonly body: unknown;
}

/** Where an id goes: a path parameter, a top-level body field or a query parameter. */
export interface Slot {
  readonly where: "path" | "body" | "query";
  readonly name: string;
  readonly ref: KindRef;
}

export interface Candidate {
  readonly object: FixtureObject;
  /** `foreign`: the other academy's; `hidden`: the probed academy's, not visible to the role. */
  readonly origin: "foreign" | "hidden";
}

/**
 * One slot of one route, as one role: the request with an unknown id in the
 * slot (the baseline: what "does not exist" looks like), then with each
 * candidate. Every candidate must be answered exactly like the baseline.
 */
export interface ProbeGroup {
  readonly route: ProbeRoute;
  readonly role: ProbeRole;
  readonly slot: Slot;
  readonly base: ProbeRequest;
  readonly candidates: readonly Candidate[];
}

/** A read of objects the role may see: its answer must hold no foreign or hidden id. */
export interface ProbeRead {
  readonly route: ProbeRoute;
  readonly role: ProbeRole;
  readonly request: ProbeRequest;
}

export interface ProbePlan {
  readonly groups: ProbeGroup[];
  readonly reads: ProbeRead[];
  /** Routes the probe could not call, and why. */
  readonly skipped: Map<string, string>;
}

/** Where a request's slot (or the whole request) goes: with `value` in `slot`. */
export function withSlot(base: ProbeRequest, slot: Slot, value: string): ProbeRequest {
  switch (slot.where) {
    case "path":
      return { ...base, params: { ...base.params, [slot.name]: value } };
    case "query":
      return { ...base, query: { ...base.query, [slot.name]: value } };
    case "body":
      return { ...base, body: { ...(base.body as object), [slot.name]: value } };
  }
}

function bodyProperties(route: ProbeRoute, components: Record<string, unknown>) {
  if (!route.body) return {};
  const schema = deref(route.body, components);
  return (isSchema(schema.properties) ? schema.properties : {}) as Record<string, JsonSchema>;
}

/**
 * The probe's calls: for each role and route, a read of what the role may see
 * (GET routes), and a group per id slot (path parameters, uuid body fields,
 * uuid query parameters) trying the other academy's objects, and for path and
 * query slots the same academy's objects the role may not see.
 */
export function planProbe(
  routes: readonly ProbeRoute[],
  world: ProbeWorld,
  roles: readonly ProbeRole[],
  components: Record<string, unknown>,
): ProbePlan {
  const plan: ProbePlan = { groups: [], reads: [], skipped: new Map() };
  for (const route of routes) {
    if (route.public) {
      plan.skipped.set(route.key, "public route: no caller to isolate");
      continue;
    }
    if (route.foreignBody) {
      plan.skipped.set(route.key, `its body is ${route.foreignBody}, which the probe cannot build`);
      continue;
    }
    const properties = bodyProperties(route, components);
    const bodySlots: Slot[] = Object.entries(properties)
      .filter(([, schema]) => isUuid(schema, components))
      .map(([name]) => ({ where: "body", name, ref: kindOfField(name) ?? { kind: name } }));
    const querySlots: Slot[] = route.query
      .filter((q) => isUuid(q.schema, components))
      .map((q) => ({ where: "query", name: q.name, ref: kindOfField(q.name) ?? { kind: q.name } }));
    const pathSlots: Slot[] = route.params.map((p) => ({
      where: "path",
      name: p.name,
      ref: p.ref,
    }));

    let planned = false;
    for (const role of roles) {
      const ownId = (ref: KindRef | null) => (ref ? world.own(role, ref)?.id : undefined);
      const params: Record<string, string> = {};
      for (const p of route.params) {
        const id = ownId(p.ref);
        if (id !== undefined) params[p.name] = id;
      }
      const filled = (except?: string) =>
        route.params.every((p) => p.name === except || params[p.name] !== undefined);
      const query: Record<string, string | number> = {};
      for (const q of route.query) {
        if (q.name === "limit") query.limit = 100;
        else if (q.required) {
          query[q.name] = sampleValue(q.schema, {
            components,
            uuidFor: (field) => ownId(field ? kindOfField(field) : null) ?? randomUUID(),
          }) as string;
        }
      }
      const body = route.body
        ? sampleValue(route.body, {
            components,
            uuidFor: (field) => ownId(field ? kindOfField(field) : null) ?? randomUUID(),
          })
        : undefined;
      const base: ProbeRequest = { params, query, body };
      if (route.method === "GET" && filled()) {
        plan.reads.push({ route, role, request: base });
        planned = true;
      }
      for (const slot of [...pathSlots, ...bodySlots, ...querySlots]) {
        // The other path parameters hold objects the role sees, so only this slot can be refused.
        if (!filled(slot.where === "path" ? slot.name : undefined)) continue;
        const foreign = world
          .foreign(slot.ref)
          .map((object) => ({ object, origin: "foreign" as const }));
        // Naming a hidden object in a body may be allowed (an instructor enrols any student): only paths and queries.
        const hidden =
          slot.where === "body"
            ? []
            : world.hidden(role, slot.ref).map((object) => ({ object, origin: "hidden" as const }));
        plan.groups.push({ route, role, slot, base, candidates: [...foreign, ...hidden] });
        planned = true;
      }
    }
    if (!planned) {
      plan.skipped.set(
        route.key,
        pathSlots.length + bodySlots.length + querySlots.length === 0
          ? "takes no id and returns no list: nothing to probe"
          : "no fixture object fits its path parameters",
      );
    }
  }
  return plan;
}
