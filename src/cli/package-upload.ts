/**
 * Ray's working-directory packages, as `ray job submit --working-dir` sends them: the directory zipped,
 * named `gcs://_ray_pkg_<sha1>.zip`, uploaded with `PUT /api/packages/gcs/<name>` unless
 * `GET /api/packages/gcs/<name>` says the dashboard already has it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join, relative } from 'node:path';
import { type DirectOptions, tlsOptions } from '../ray/transport.ts';
import { CliError } from './errors.ts';
import { type ZipFile, zip } from './zip.ts';

const SKIP = new Set(['.git', '__pycache__']);

function collectFiles(dir: string): ZipFile[] {
  const out: ZipFile[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIP.has(e.name)) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile())
        out.push({
          path: relative(dir, p).split('\\').join('/'),
          data: readFileSync(p),
          mode: statSync(p).mode,
        });
    }
  };
  walk(dir);
  return out;
}

/** The package of a directory: its zip and its `gcs://_ray_pkg_<hash>.zip` URI (hash of paths and contents). */
export function packageDirectory(dir: string): { uri: string; zip: Buffer; files: number } {
  const files = collectFiles(dir);
  const h = createHash('sha1');
  for (const f of files) h.update(f.path).update('\0').update(f.data).update('\0');
  return { uri: `gcs://_ray_pkg_${h.digest('hex')}.zip`, zip: zip(files), files: files.length };
}

function call(
  base: string,
  method: string,
  path: string,
  body: Buffer | undefined,
  o: DirectOptions,
): Promise<{ status: number; text: string }> {
  const url = new URL(path, base);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      ...tlsOptions(url, o),
      headers: {
        ...o.headers,
        ...(body
          ? { 'content-type': 'application/octet-stream', 'content-length': String(body.length) }
          : {}),
      },
      signal: AbortSignal.timeout(120_000),
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', (e) => reject(new CliError(`${method} ${base}${path}: ${e.message}`)));
    req.end(body);
  });
}

/** Uploads the package unless the dashboard has it; returns whether it was uploaded. */
export async function uploadPackage(
  base: string,
  uri: string,
  data: Buffer,
  o: DirectOptions = {},
): Promise<boolean> {
  const path = `/api/packages/gcs/${uri.slice('gcs://'.length)}`;
  const exists = await call(base, 'GET', path, undefined, o);
  if (exists.status === 200) return false;
  const put = await call(base, 'PUT', path, data, o);
  if (put.status < 200 || put.status >= 300)
    throw new CliError(
      `uploading the working directory failed: HTTP ${put.status}: ${put.text.slice(0, 300)}`,
    );
  return true;
}
