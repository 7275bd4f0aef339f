import { isSchema, type JsonSchema } from "./json-schema.js";
import { type KindRef, kindOfSegment } from "./kinds.js";

const METHODS = ["get", "post", "patch", "delete"] as const;
const API_ROOT = "/api/v1";

export interface PathParam {
  readonly name: string;
  readonly ref: KindRef;
}

export interface QueryParam {
  readonly name: string;
  readonly required: boolean;
  readonly schema: JsonSchema;
}

/** One operation of the OpenAPI document, as the probe calls it. */
export interface ProbeRoute {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Under the API root, with its templates: `/courses/{id}`. */
  readonly path: string;
  /** `GET /courses/{id}`: how findings name the route. */
  readonly key: string;
  readonly params: readonly PathParam[];
  readonly query: readonly QueryParam[];
  /** The JSON request body's schema, if the route takes one. */
  readonly body: JsonSchema | null;
  /** The body is of another media type only (multipart): the probe cannot build one. */
  readonly foreignBody: string | null;
  /** Documents a 201: a route that creates an object. */
  readonly creates: boolean;
  /** `security: []`: callable without a token, so there is no caller to isolate. */
  readonly public: boolean;
}

/** The static segment before `{name}`: `/courses/{id}/enrollments` → `courses` for `id`. */
function segmentBefore(path: string, name: string): string {
  const parts = path.split("/");
  const at = parts.indexOf(`{${name}}`);
  for (let i = at - 1; i >= 0; i--) {
    const part = parts[i] ?? "";
    if (part && !part.startsWith("{")) return part;
  }
  return name;
}

/** Every operation under the API root of an OpenAPI 3.1 document (root routes like /health are left out). */
export function readRoutes(document: unknown): ProbeRoute[] {
  const doc = isSchema(document) ? document : {};
  const paths = isSchema(doc.paths) ? doc.paths : {};
  const routes: ProbeRoute[] = [];
  for (const [fullPath, item] of Object.entries(paths)) {
    if (!fullPath.startsWith(`${API_ROOT}/`) || !isSchema(item)) continue;
    const path = fullPath.slice(API_ROOT.length);
    for (const method of METHODS) {
      const operation = item[method];
      if (!isSchema(operation)) continue;
      const parameters = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ].filter(isSchema);
      const params = parameters
        .filter((p) => p.in === "path" && typeof p.name === "string")
        .map((p) => {
          const name = p.name as string;
          return { name, ref: kindOfSegment(segmentBefore(path, name)) };
        });
      const query = parameters
        .filter((p) => p.in === "query" && typeof p.name === "string")
        .map((p) => ({
          name: p.name as string,
          required: p.required === true,
          schema: isSchema(p.schema) ? p.schema : {},
        }));
      const content =
        isSchema(operation.requestBody) && isSchema(operation.requestBody.content)
          ? operation.requestBody.content
          : {};
      const json = content["application/json"];
      const other = Object.keys(content).find((type) => type !== "application/json");
      const responses = isSchema(operation.responses) ? operation.responses : {};
      routes.push({
        method: method.toUpperCase() as ProbeRoute["method"],
        path,
        key: `${method.toUpperCase()} ${path}`,
        params,
        query,
        body: isSchema(json) && isSchema(json.schema) ? json.schema : null,
        foreignBody: isSchema(json) ? null : (other ?? null),
        creates: "201" in responses,
        public: Array.isArray(operation.security) && operation.security.length === 0,
      });
    }
  }
  return routes;
}
