import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RouteSpec, RouteTable } from './server.ts';
import { type StaticFile, sendStaticFile } from './static-site.ts';

/**
 * Swagger UI at `/swagger-ui/`, as KubeRay's server embeds it: the `swagger-ui-dist` package's files (a fixed
 * allow-list, read once at start), with our own `index.html` and initializer listing the `/swagger/{file}`
 * documents. No inline script, so the page runs under a strict Content-Security-Policy.
 */

/** The package files served (every other name is 404). */
const SWAGGER_UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

/**
 * The page's policy: the dashboard's, except that styles may be inline (Swagger UI sets some style
 * attributes and elements at run time); scripts are this server's files only.
 */
export const SWAGGER_UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const INDEX_HTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>KubeRay API - Swagger UI</title>
    <link rel="stylesheet" type="text/css" href="./swagger-ui.css">
    <link rel="stylesheet" type="text/css" href="./index.css">
    <link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="./favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="./swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="./swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="./swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;

/** The initializer: one entry per swagger document, read from `/swagger/{file}` (relative to the page). */
export function swaggerInitializer(documents: readonly string[]): string {
  const urls = documents.map((name) => ({
    url: `../swagger/${name}`,
    name: name.replace(/\.swagger\.json$/, ''),
  }));
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: ${JSON.stringify(urls)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
`;
}

/** The directory of the installed `swagger-ui-dist` package; throws when it is not installed. */
function swaggerUiDistDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch (cause) {
    throw new Error('the swagger-ui-dist package is not installed (npm ci installs it)', { cause });
  }
}

/**
 * The pages of `/swagger-ui/` (keys are URL paths): the allow-listed package files of `dir` and our index and
 * initializer for `documents` (the names served at `/swagger/{file}`).
 */
export function loadSwaggerUi(
  documents: readonly string[],
  dir = swaggerUiDistDir(),
): Map<string, StaticFile> {
  const site = new Map<string, StaticFile>();
  for (const [name, contentType] of Object.entries(SWAGGER_UI_FILES)) {
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch (cause) {
      throw new Error(`swagger-ui-dist in ${dir}: ${name} is missing`, { cause });
    }
    site.set(`/swagger-ui/${name}`, { body, contentType, cacheControl: 'public, max-age=86400' });
  }
  site.set('/swagger-ui/', {
    body: Buffer.from(INDEX_HTML),
    contentType: 'text/html; charset=utf-8',
    cacheControl: 'no-cache',
  });
  site.set('/swagger-ui/swagger-initializer.js', {
    body: Buffer.from(swaggerInitializer([...documents].sort())),
    contentType: 'text/javascript; charset=utf-8',
    cacheControl: 'no-cache',
  });
  return site;
}

/**
 * Registers `GET /swagger-ui/` and its files without authentication (static files only; the documents they
 * load are `/swagger/{file}`); `/swagger-ui` is redirected to `/swagger-ui/` so the page's relative links resolve.
 */
export function registerSwaggerUi(server: RouteTable, site: ReadonlyMap<string, StaticFile>): void {
  for (const [path, f] of site) {
    const spec: RouteSpec = {
      name: 'swagger-ui',
      public: true,
      handle: async (ctx) => {
        const url = ctx.req.url ?? '';
        if (path === '/swagger-ui/' && !url.split('?')[0]?.endsWith('/')) {
          ctx.res.writeHead(301, { Location: '/swagger-ui/', 'Content-Length': 0 });
          ctx.res.end();
          return undefined;
        }
        sendStaticFile(ctx.res, f, SWAGGER_UI_CSP);
        return undefined;
      },
    };
    server.add('GET', path, spec);
  }
}
