import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Next } from "koa";
import { API_PREFIX } from "../openapi/build-document.js";
import type { AppContext } from "../state.js";

// `GET /docs`: an interactive reference of this server's OpenAPI document,
// Swagger UI served from the `swagger-ui-dist` package on disk, so it works
// offline (no CDN, no online validator). "Try it out" calls this same server.

export const DOCS_PATH = "/docs";

/** The files of Swagger UI the page loads, by the name it asks for. */
const ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SkillBridge API reference</title>
<link rel="stylesheet" href="${DOCS_PATH}/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="${DOCS_PATH}/assets/favicon-32x32.png">
</head>
<body>
<div id="reference"></div>
<script src="${DOCS_PATH}/assets/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// Outside the page so the policy can forbid inline scripts.
const INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(`${API_PREFIX}/openapi.json`)},
  dom_id: "#reference",
  deepLinking: true,
  displayRequestDuration: true,
  // No request to the online validator: the page works offline.
  validatorUrl: null,
  supportedSubmitMethods: ["get", "post", "patch", "delete"],
});
`;

// Swagger UI styles elements inline; everything else comes from this server.
const POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function swaggerUiDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("swagger-ui-dist/package.json"));
}

/**
 * Serves the reference page (`/docs`), its start-up script and Swagger UI's
 * files, read once from the package and kept in memory. Anything else passes on.
 */
export function docsPage() {
  const cache = new Map<string, Buffer>();
  let dir: string | undefined;
  const asset = (name: string): Buffer => {
    let file = cache.get(name);
    if (!file) {
      dir ??= swaggerUiDir();
      file = readFileSync(join(dir, name));
      cache.set(name, file);
    }
    return file;
  };
  return async function serveDocs(ctx: AppContext, next: Next): Promise<void> {
    const { path } = ctx;
    if (path !== DOCS_PATH && !path.startsWith(`${DOCS_PATH}/`)) return next();
    if (ctx.method !== "GET" && ctx.method !== "HEAD") return next();
    if (path === `${DOCS_PATH}/`) {
      ctx.redirect(DOCS_PATH);
      return;
    }
    ctx.set("Content-Security-Policy", POLICY);
    ctx.set("X-Content-Type-Options", "nosniff");
    if (path === DOCS_PATH) {
      ctx.type = "text/html; charset=utf-8";
      ctx.set("Cache-Control", "no-cache");
      ctx.body = PAGE;
      return;
    }
    if (path === `${DOCS_PATH}/init.js`) {
      ctx.type = "text/javascript; charset=utf-8";
      ctx.body = INIT;
      return;
    }
    const name = path.slice(`${DOCS_PATH}/assets/`.length);
    const type = path.startsWith(`${DOCS_PATH}/assets/`) ? ASSETS[name] : undefined;
    if (!type) return next();
    ctx.type = type;
    ctx.set("Cache-Control", "public, max-age=86400");
    ctx.body = asset(name);
  };
}
