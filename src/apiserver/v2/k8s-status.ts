import type { ServerResponse } from 'node:http';
import { ApiError } from '../../k8s/api-error.ts';

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

/** Kubernetes' own refusal (an ApiError with an HTTP status) answered as its Status; anything else is thrown. */
export function passOnRefusal(res: ServerResponse, err: unknown): undefined {
  if (err instanceof ApiError && err.status > 0)
    return writeStatus(res, err.status, err.reason || 'Failure', err.body?.message ?? err.message);
  throw err;
}

/** A 404 `NotFound` Status: `message` says what is served (or what was not found). */
export function notFound(res: ServerResponse, message: string): undefined {
  return writeStatus(res, 404, 'NotFound', message);
}
