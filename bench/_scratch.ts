import { ALL_ROUTES } from "@skillbridge/server";
import { z } from "zod";
for (const r of ALL_ROUTES) {
  for (const k of ["params", "query", "body"] as const) {
    const s = r[k];
    if (!s) continue;
    const js = z.toJSONSchema(s as z.ZodType, { io: "input", unrepresentable: "any" });
    console.log(r.method, r.path, k, JSON.stringify(js).slice(0, 400));
  }
}
