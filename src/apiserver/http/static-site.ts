import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { ApiHttpServer, RouteSpec } from './server.ts';

/** One file of the dashboard, read once at start. */
export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Only plain file names are served (no traversal is possible: the files are a fixed map read at start). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Reads a built dashboard (`index.html` and `assets/*`, as `vite build` writes them) into memory. Throws when
 * `index.html` is missing, naming the directory and how to build it.
 */
export function loadStaticSite(dir: string): Map<string, StaticFile> {
  const site = new Map<string, StaticFile>();
  const add = (urlPath: string, file: string, immutable: boolean) => {
    site.set(urlPath, {
      body: readFileSync(file),
      contentType: TYPES[extname(file)] ?? 'application/octet-stream',
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  };
  let index: string;
  try {
    index = join(dir, 'index.html');
    statSync(index);
  } catch (cause) {
    throw new Error(
      `no dashboard in ${dir} (index.html is missing): build it with "npm run build -w dashboard"`,
      { cause },
    );
  }
  add('/', index, false);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name !== 'index.html' && SAFE_NAME.test(name) && statSync(p).isFile()) add(`/${name}`, p, false);
  }
  const assets = join(dir, 'assets');
  let names: string[] = [];
  try {
    names = readdirSync(assets);
  } catch {
    // no assets directory: index.html only
  }
  for (const name of names) {
    const p = join(assets, name);
    if (SAFE_NAME.test(name) && statSync(p).isFile()) add(`/assets/${name}`, p, true);
  }
  return site;
}

/**
 * The dashboard's Content-Security-Policy: scripts, styles and calls to this server only (no CDN, no external
 * fonts); the page cannot be framed.
 */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Serves the dashboard at `/` (index.html) and `/assets/{file}`, without authentication (static files only). */
/** Answers 200 with a loaded file; an HTML page also gets `csp` and no referrer. */
export function sendStaticFile(res: ServerResponse, f: StaticFile, csp: string): void {
  res.writeHead(200, {
    'Content-Type': f.contentType,
    'Content-Length': f.body.length,
    'Cache-Control': f.cacheControl,
    'X-Content-Type-Options': 'nosniff',
    ...(f.contentType.startsWith('text/html')
      ? { 'Content-Security-Policy': csp, 'Referrer-Policy': 'no-referrer' }
      : {}),
  });
  res.end(f.body);
}

export function registerDashboard(server: ApiHttpServer, site: ReadonlyMap<string, StaticFile>): void {
  const serve = (path: string): RouteSpec => ({
    name: 'dashboard',
    public: true,
    handle: async (ctx) => {
      const f = site.get(path);
      if (!f) {
        ctx.res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        ctx.res.end('not found\n');
        return undefined;
      }
      sendStaticFile(ctx.res, f, DASHBOARD_CSP);
      return undefined;
    },
  });
  for (const path of site.keys()) server.add('GET', path, serve(path));
}
