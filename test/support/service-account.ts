/**
 * A ServiceAccount with chosen RBAC rights and a token for it from the TokenRequest API: the caller of the tests
 * that go through our API server's secure mode (every call made as the caller).
 */
import type { RestClient } from '../../src/k8s/rest.ts';
import { waitForAccess } from './cluster.ts';

/** One RBAC PolicyRule (rbac.authorization.k8s.io/v1) for resources. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface ServiceAccountRights {
  /** The rules of its Role (default: none: no Role, the ServiceAccount may do nothing). */
  readonly rules?: readonly PolicyRule[];
  /**
   * Where the rules hold (default: the ServiceAccount's namespace): a namespace (a Role and a RoleBinding there)
   * or 'cluster' (a ClusterRole and a ClusterRoleBinding).
   */
  readonly scope?: { readonly namespace: string } | 'cluster';
}

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

/**
 * Creates the ServiceAccount `name` in `ns`, its Role (or ClusterRole) with `rights.rules` and the binding,
 * waits until Kubernetes allows it the first rule, and returns a one-hour token for it.
 *
 * One check is enough: the Role and its binding are one object each, so the authorizer, once it allows one rule,
 * knows them all.
 */
export async function serviceAccountToken(
  rest: RestClient,
  ns: string,
  name: string,
  rights: ServiceAccountRights = {},
): Promise<string> {
  await rest.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { metadata: { name } } });
  const first = rights.rules?.[0];
  if (first) {
    const scope = rights.scope ?? { namespace: ns };
    const cluster = scope === 'cluster';
    const role = cluster ? `${ns}-${name}` : name;
    const at = cluster ? RBAC : `${RBAC}/namespaces/${scope.namespace}`;
    await rest.request('POST', `${at}/${cluster ? 'clusterroles' : 'roles'}`, {
      body: { metadata: { name: role }, rules: rights.rules },
    });
    await rest.request('POST', `${at}/${cluster ? 'clusterrolebindings' : 'rolebindings'}`, {
      body: {
        metadata: { name: role },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: cluster ? 'ClusterRole' : 'Role',
          name: role,
        },
        subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
      },
    });
    await waitForAccess(rest, `system:serviceaccount:${ns}:${name}`, {
      namespace: cluster ? '' : scope.namespace,
      verb: first.verbs[0]!,
      group: first.apiGroups[0]!,
      resource: first.resources[0]!,
    });
  }
  return serviceAccountTokenRequest(rest, ns, name);
}

/** A one-hour token for the existing ServiceAccount `name` in `ns`, from the TokenRequest API. */
export async function serviceAccountTokenRequest(
  rest: RestClient,
  ns: string,
  name: string,
): Promise<string> {
  const tr = await rest.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`,
    {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    },
  );
  return tr.status.token;
}
