import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KubeClient } from '../../k8s/client.ts';
import { Code, RpcError } from '../http/status.ts';
import {
  impersonationHeaders,
  SubjectAccessReviewAuthorizer,
  TokenReviewAuthenticator,
} from './kubernetes.ts';
import type { Authenticator, Authorizer, Caller } from './types.ts';

/** `--auth`: `kubernetes` (default), `none` (development), `security-proxy` (KubeRay's static token). */
export type AuthMode = 'kubernetes' | 'none' | 'security-proxy';
export const AUTH_MODES: readonly AuthMode[] = ['kubernetes', 'none', 'security-proxy'];

interface AuthSetup {
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly clientFor: (caller: Caller) => KubeClient;
}

const allowAll: Authorizer = { authorize: async () => {} };

/**
 * The three modes. Only `kubernetes` authenticates people: the others act with the server's own ServiceAccount,
 * as KubeRay's server does, for development and for users who migrate from KubeRay's security proxy.
 */
export function authSetup(
  mode: AuthMode,
  kube: KubeClient,
  options: { securityToken?: string; securityPrefix?: string; audiences?: readonly string[] } = {},
): AuthSetup {
  if (mode === 'none') {
    const anonymous: Caller = { user: 'system:anonymous', groups: [], via: 'none' };
    return {
      authenticator: { authenticate: async () => anonymous },
      authorizer: allowAll,
      clientFor: () => kube,
    };
  }
  if (mode === 'security-proxy') {
    if (!options.securityToken)
      throw new RpcError(
        Code.InvalidArgument,
        '--auth=security-proxy needs a token: set --security-token or SECURITY_TOKEN',
      );
    return {
      authenticator: staticTokenAuthenticator(options.securityToken, options.securityPrefix ?? '/'),
      authorizer: allowAll,
      clientFor: () => kube,
    };
  }
  return {
    authenticator: new TokenReviewAuthenticator(kube, { audiences: options.audiences ?? [] }),
    authorizer: new SubjectAccessReviewAuthorizer(kube),
    clientFor: (caller) => kube.withHeaders(impersonationHeaders(caller)),
  };
}

/**
 * KubeRay's security proxy: requests under `prefix` must carry the one shared token in the Authorization header
 * (the bare token, as KubeRay's proxy compares it, or `Bearer <token>`).
 */
export function staticTokenAuthenticator(token: string, prefix: string): Authenticator {
  const expected = Buffer.from(token);
  const caller: Caller = { user: 'kuberay-security-proxy', groups: [], via: 'static-token' };
  return {
    authenticate: async (req: IncomingMessage) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (!path.startsWith(prefix)) return caller;
      const header = req.headers.authorization;
      if (header === undefined)
        throw new RpcError(
          Code.Unauthenticated,
          'no credentials: send the security token in the Authorization header',
        );
      const given = Buffer.from(header.replace(/^Bearer\s+/i, '').trim());
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new RpcError(
          Code.Unauthenticated,
          'the security token in the Authorization header is not the configured one',
        );
      return caller;
    },
  };
}
