import type { ServerResponse } from 'node:http';
import type { ApiHttpServer, RequestContext } from '../http/server.ts';
import { passOnRefusal, writeStatus as status } from './k8s-status.ts';

/**
 * `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, made as the caller: "may I list rayclusters
 * across all namespaces, or in team-a?". Kubernetes gives a namespace user no way to list namespaces, so the
 * dashboard asks this before it chooses where to look. A review answers only about the caller's own rights.
 */
const SELF_REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

function send(res: ServerResponse, code: number, body: unknown): undefined {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return undefined;
}

async function selfReview(ctx: RequestContext): Promise<undefined> {
  let body: { kind?: unknown; spec?: { resourceAttributes?: unknown } };
  try {
    body = JSON.parse((await ctx.raw()).toString('utf8'));
  } catch {
    return status(ctx.res, 400, 'BadRequest', 'the body must be a JSON SelfSubjectAccessReview');
  }
  if (!body || typeof body !== 'object' || typeof body.spec?.resourceAttributes !== 'object')
    return status(
      ctx.res,
      400,
      'BadRequest',
      'spec.resourceAttributes: required (a SelfSubjectAccessReview about a resource)',
    );
  try {
    const out = await ctx.kube.rest.request<unknown>('POST', SELF_REVIEW_PATH, {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: body.spec },
      signal: ctx.signal,
    });
    return send(ctx.res, 201, out);
  } catch (err) {
    return passOnRefusal(ctx.res, err);
  }
}

export function registerSelfReview(server: ApiHttpServer): void {
  server.add('POST', SELF_REVIEW_PATH, { name: 'v2/selfsubjectaccessreviews', handle: selfReview });
}
