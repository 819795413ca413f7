import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { HttpProblem } from "../../errors.js";

/**
 * Swagger UI at /docs, browsing /openapi.json, served by the service itself from the pinned `swagger-ui-dist`
 * package: it works offline and in air-gapped clusters. URLs are relative, so it also works behind a path prefix.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Kubernaut Data Storage API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

/** Our own start-up script: a separate file, so the page needs no inline script under its CSP. */
const INIT = `window.ui = SwaggerUIBundle({
  url: new URL("openapi.json", document.baseURI).href,
  dom_id: "#swagger-ui",
  deepLinking: true,
});
`;

/** Swagger UI sets inline styles; everything else comes from this origin only. */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** The files of swagger-ui-dist the page loads, and nothing else of the package. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

export function registerDocsRoutes(app: OpenAPIHono<AppEnv>): void {
  const packageDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  // Read on first request, then kept: the bundle is about 1.5 MB and never changes while the process runs.
  const loaded = new Map<string, Promise<Buffer>>();
  const load = (name: string): Promise<Buffer> => {
    let file = loaded.get(name);
    if (!file) {
      file = readFile(join(packageDir, name));
      loaded.set(name, file);
    }
    return file;
  };

  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", PAGE_CSP);
    return c.html(PAGE);
  });
  app.get("/docs/init.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(INIT);
  });
  app.get("/docs/:asset", async (c) => {
    const asset = c.req.param("asset");
    const type = ASSETS[asset];
    if (!type) throw HttpProblem.notFound(`no such file under /docs: ${asset}`);
    c.header("Content-Type", type);
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(new Uint8Array(await load(asset)));
  });
}
