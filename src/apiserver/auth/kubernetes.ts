import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KubeClient } from '../../k8s/client.ts';
import { errorMessage } from '../../lib/errors.ts';
import { Code, RpcError } from '../http/status.ts';
import { TtlCache } from './cache.ts';
import {
  type Authenticator,
  type Authorizer,
  type Caller,
  describeAttributes,
  type ResourceAttributes,
} from './types.ts';

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  error?: string;
}

interface SubjectAccessReviewStatus {
  allowed?: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** The bearer token of a request, or undefined; throws when the Authorization header is not a bearer token. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m)
    throw new RpcError(Code.Unauthenticated, 'the Authorization header is not of the form "Bearer <token>"');
  return m[1];
}

/** The user and groups of a verified client certificate (CN and O, as kube-apiserver reads them). */
function certificateCaller(req: IncomingMessage): Caller | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  const cn = cert?.subject?.CN;
  if (!cn) return undefined;
  const o = cert.subject.O;
  const groups = Array.isArray(o) ? o.map(String) : o ? [String(o)] : [];
  return { user: String(cn), groups: [...groups, 'system:authenticated'], via: 'certificate' };
}

/**
 * Authenticates a bearer token with the TokenReview API (ServiceAccount tokens and whatever else the cluster's
 * authenticators accept), or a client certificate verified against --client-ca-file. Results are cached briefly
 * (by a hash of the token) so a burst of calls makes one review.
 */
export class TokenReviewAuthenticator implements Authenticator {
  readonly #kube: KubeClient;
  readonly #audiences: readonly string[];
  readonly #cache: TtlCache<Caller | string>;
  constructor(kube: KubeClient, options: { audiences?: readonly string[]; cacheTtlMs?: number } = {}) {
    this.#kube = kube;
    this.#audiences = options.audiences ?? [];
    this.#cache = new TtlCache(options.cacheTtlMs ?? 10_000);
  }

  async authenticate(req: IncomingMessage): Promise<Caller> {
    const token = bearerToken(req);
    if (token === undefined) {
      const fromCert = certificateCaller(req);
      if (fromCert) return fromCert;
      throw new RpcError(
        Code.Unauthenticated,
        'no credentials: send a Kubernetes bearer token in the Authorization header ("Authorization: Bearer <token>")',
      );
    }
    const key = createHash('sha256').update(token).digest('hex');
    const cached = this.#cache.get(key);
    const outcome = cached ?? (await this.#review(token));
    if (cached === undefined) this.#cache.set(key, outcome);
    if (typeof outcome === 'string') throw new RpcError(Code.Unauthenticated, outcome);
    return outcome;
  }

  async #review(token: string): Promise<Caller | string> {
    const status = await review<TokenReviewStatus>(
      this.#kube,
      'authentication.k8s.io',
      'TokenReview',
      'the token',
      {
        token,
        ...(this.#audiences.length ? { audiences: this.#audiences } : {}),
      },
    );
    if (!status?.authenticated || !status.user?.username)
      return `the bearer token was not accepted by Kubernetes (TokenReview): ${status?.error || 'not authenticated'}`;
    const u = status.user;
    return {
      user: u.username!,
      groups: u.groups ?? [],
      ...(u.uid ? { uid: u.uid } : {}),
      ...(u.extra ? { extra: u.extra } : {}),
      via: 'token',
    };
  }
}

/** Asks Kubernetes (SubjectAccessReview) whether the caller may do each of the attributes; all must be allowed. */
export class SubjectAccessReviewAuthorizer implements Authorizer {
  readonly #kube: KubeClient;
  readonly #cache: TtlCache<SubjectAccessReviewStatus>;
  constructor(kube: KubeClient, options: { cacheTtlMs?: number } = {}) {
    this.#kube = kube;
    this.#cache = new TtlCache(options.cacheTtlMs ?? 5_000);
  }

  async authorize(caller: Caller, attrs: readonly ResourceAttributes[]): Promise<void> {
    for (const a of attrs) {
      const status = await this.#check(caller, a);
      if (!status.allowed) {
        const why = status.reason || status.evaluationError;
        throw new RpcError(
          Code.PermissionDenied,
          `user "${caller.user}" cannot ${describeAttributes(a)}${why ? `: ${why}` : ' (Kubernetes RBAC: no rule allows it)'}`,
        );
      }
    }
  }

  async #check(caller: Caller, a: ResourceAttributes): Promise<SubjectAccessReviewStatus> {
    const key = JSON.stringify([caller.user, caller.groups, caller.uid, a]);
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const status =
      (await review<SubjectAccessReviewStatus>(
        this.#kube,
        'authorization.k8s.io',
        'SubjectAccessReview',
        'permissions',
        {
          user: caller.user,
          groups: caller.groups,
          ...(caller.uid ? { uid: caller.uid } : {}),
          ...(caller.extra ? { extra: caller.extra } : {}),
          resourceAttributes: {
            verb: a.verb,
            group: a.group,
            resource: a.resource,
            ...(a.subresource ? { subresource: a.subresource } : {}),
            ...(a.namespace ? { namespace: a.namespace } : {}),
            ...(a.name ? { name: a.name } : {}),
          },
        },
      )) ?? {};
    this.#cache.set(key, status);
    return status;
  }
}

/** The impersonation headers that make Kubernetes treat a call as the caller's own. */
export function impersonationHeaders(caller: Caller): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = { 'Impersonate-User': caller.user };
  // system:authenticated is added by the API server to every impersonated user; sending it is allowed too.
  if (caller.groups.length) h['Impersonate-Group'] = [...caller.groups];
  if (caller.uid) h['Impersonate-Uid'] = caller.uid;
  for (const [k, v] of Object.entries(caller.extra ?? {}))
    h[`Impersonate-Extra-${encodeURIComponent(k)}`] = [...v];
  return h;
}

/**
 * Creates a review object (`kind` of `group`/v1: TokenReview, SubjectAccessReview) and returns Kubernetes'
 * verdict; when Kubernetes cannot be asked, the call is Unavailable ("cannot check <what> with the <kind> API").
 */
async function review<S>(
  kube: KubeClient,
  group: string,
  kind: string,
  what: string,
  spec: Record<string, unknown>,
): Promise<S | undefined> {
  try {
    const out = await kube.rest.request<{ status?: S }>('POST', `/apis/${group}/v1/${kind.toLowerCase()}s`, {
      body: { apiVersion: `${group}/v1`, kind, spec },
    });
    return out.status;
  } catch (err) {
    throw new RpcError(Code.Unavailable, `cannot check ${what} with the ${kind} API: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}
