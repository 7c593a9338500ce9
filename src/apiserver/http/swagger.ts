import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteTable } from './server.ts';

/**
 * KubeRay's `/swagger/{file}`: the `*.swagger.json` files of the `-localSwaggerPath` directory (KubeRay's
 * `proto/swagger`), as its server serves them, or, without the flag, our generated files
 * (`../swagger/files.ts`); any other name, or a file that is not there, is Go's
 * `404 page not found`. The files are read once at start (a fixed map, so no path can leave the directory).
 */
export function loadSwaggerFiles(dir: string): Map<string, Buffer> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new Error(`-localSwaggerPath ${dir}: not a readable directory`, { cause });
  }
  const files = new Map<string, Buffer>();
  for (const name of names) {
    const p = join(dir, name);
    if (name.endsWith('swagger.json') && statSync(p).isFile()) files.set(name, readFileSync(p));
  }
  return files;
}

/**
 * Registers `GET /swagger/{file}`, without authentication as in KubeRay: the files describe the API, are the same
 * for every caller, and the Swagger UI page loads them without a token (a browser navigation sends none).
 */
export function registerSwagger(server: RouteTable, files: ReadonlyMap<string, Buffer>): void {
  server.add('GET', '/swagger/{file}', {
    name: 'swagger',
    public: true,
    handle: async (ctx) => {
      const body = files.get(ctx.params.file ?? '');
      if (!body) {
        ctx.res.writeHead(404, {
          'Content-Type': 'text/plain; charset=utf-8',
          'X-Content-Type-Options': 'nosniff',
        });
        ctx.res.end('404 page not found\n');
        return undefined;
      }
      ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      ctx.res.end(body);
      return undefined;
    },
  });
}
