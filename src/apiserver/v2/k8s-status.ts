import type { ServerResponse } from 'node:http';

/** Writes a Kubernetes `Status` failure (the shape V2 answers in, as Kubernetes does). */
export function writeStatus(res: ServerResponse, code: number, reason: string, message: string): undefined {
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return undefined;
}
