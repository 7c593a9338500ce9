import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DashboardUnreachableError, type Transport } from '../transport.ts';

/**
 * A dashboard Transport on node:http rather than fetch. Ray's dashboard (2.52) refuses POST and PUT from what
 * looks like a browser ("Method Not Allowed for browser traffic.", HTTP 405): any `Sec-Fetch-*`, `Origin` or
 * `Referer` header counts, and Node's fetch always sends `Sec-Fetch-Mode: cors`. node:http sends only the
 * headers given.
 */
export function nodeHttpTransport(baseUrl: string, timeoutMs: number): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    description: base,
    send(req) {
      const url = new URL(`${base}${req.path}`);
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      let payload: Buffer | undefined;
      if (req.body !== undefined) {
        payload = Buffer.from(JSON.stringify(req.body), 'utf8');
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(payload.length);
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      return new Promise((resolve, reject) => {
        const fail = (cause: unknown) =>
          reject(
            new DashboardUnreachableError(`${req.method} ${url.href}: ${(cause as Error).message}`, {
              cause,
            }),
          );
        const r = send(
          url,
          { method: req.method, headers, signal: AbortSignal.timeout(timeoutMs) },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', fail);
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
            );
          },
        );
        r.on('error', (e) =>
          fail(e.name === 'AbortError' ? new Error(`no answer within ${timeoutMs} ms`) : e),
        );
        r.end(payload);
      });
    },
  };
}
