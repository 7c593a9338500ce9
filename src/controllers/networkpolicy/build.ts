import type {
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
} from '../../api/k8s-types.ts';
import type { NetworkPolicyOptions, RayCluster } from '../../api/raycluster.ts';
import { clusterChildLabels, label, ownerReference } from '../../builders/raycluster/index.ts';
import type { KubeObject, OwnerReference } from '../../k8s/objects.ts';
import type { LabelSelector } from '../../k8s/selectors.ts';
import { copyJson } from '../../lib/copy.ts';
import { headPodSelector } from '../common/selectors.ts';

/**
 * The NetworkPolicies of a RayCluster with `spec.networkPolicy`, pure.
 *
 * - `{c}-head` selects the head pod; `{c}-workers-{g}` selects the workers of group g (one per group).
 * - `mode` picks the policy types: DenyAll → Ingress + Egress, DenyAllIngress → Ingress, DenyAllEgress → Egress.
 *   A policy type with no rule that matches denies that direction.
 * - Every policy first allows traffic to and from the cluster's own pods (label `ray.io/cluster`).
 * - The head also admits, when ingress is restricted: the operator's pods on the dashboard port (RayJob and
 *   RayService status polling), and, for a cluster a RayJob created, that RayJob's submitter pods on the
 *   dashboard port.
 * - Then the user's rules are appended: `head` for the head; for a group, its `workerGroups[]` entry when there is
 *   one (it replaces `worker`, it does not merge), else `worker`. DNS is never added.
 */

type NetworkPolicyMode = 'DenyAll' | 'DenyAllIngress' | 'DenyAllEgress';

interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
}

export interface NetworkPolicy extends KubeObject {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: OwnerReference[];
    resourceVersion?: string;
    [k: string]: unknown;
  };
  spec: NetworkPolicySpec;
}

/** Ray's dashboard port (job submission, serve status); the port the operator and submitters use. */
export const dashboardPort = 8265;
/** The value of `app.kubernetes.io/name` on the operator's pods (the Helm chart's name). */
const operatorPodName = 'kuberay-operator';

const headPolicyName = (cluster: string): string => `${cluster}-head`;
const workerPolicyName = (cluster: string, group: string): string => `${cluster}-workers-${group}`;

function policyTypes(mode: NetworkPolicyMode): ('Ingress' | 'Egress')[] {
  if (mode === 'DenyAllIngress') return ['Ingress'];
  if (mode === 'DenyAllEgress') return ['Egress'];
  return ['Ingress', 'Egress'];
}

function clusterPeer(cluster: string): NetworkPolicyPeer {
  return { podSelector: { matchLabels: { [label.cluster]: cluster } } };
}

const tcp = (port: number) => ({ protocol: 'TCP', port });

/** Ingress rules the head always gets besides intra-cluster traffic. */
function headSystemIngress(rc: RayCluster): NetworkPolicyIngressRule[] {
  const rules: NetworkPolicyIngressRule[] = [
    {
      from: [
        {
          namespaceSelector: {},
          podSelector: { matchLabels: { [label.appName]: operatorPodName } },
        },
      ],
      ports: [tcp(dashboardPort)],
    },
  ];
  const labels = rc.metadata.labels ?? {};
  const job = labels[label.originatedFromCrName];
  if (labels[label.originatedFromCrd] === 'RayJob' && job) {
    rules.push({
      from: [
        {
          podSelector: {
            matchLabels: { [label.originatedFromCrd]: 'RayJob', [label.originatedFromCrName]: job },
          },
        },
      ],
      ports: [tcp(dashboardPort)],
    });
  }
  return rules;
}

interface Rules {
  ingressRules?: NetworkPolicyIngressRule[] | undefined;
  egressRules?: NetworkPolicyEgressRule[] | undefined;
}

function policy(
  rc: RayCluster,
  name: string,
  selector: Record<string, string>,
  mode: NetworkPolicyMode,
  systemIngress: NetworkPolicyIngressRule[],
  user: Rules | undefined,
): NetworkPolicy {
  const cluster = rc.metadata.name ?? '';
  const types = policyTypes(mode);
  const spec: NetworkPolicySpec = { podSelector: { matchLabels: selector }, policyTypes: types };
  if (types.includes('Ingress'))
    spec.ingress = [
      { from: [clusterPeer(cluster)] },
      ...systemIngress,
      ...copyJson(user?.ingressRules ?? []),
    ];
  if (types.includes('Egress'))
    spec.egress = [{ to: [clusterPeer(cluster)] }, ...copyJson(user?.egressRules ?? [])];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace: rc.metadata.namespace ?? '',
      labels: clusterChildLabels(cluster),
      ownerReferences: [ownerReference(rc)],
    },
    spec,
  };
}

/** The desired policies; empty when `spec.networkPolicy` is not set. */
export function buildNetworkPolicies(rc: RayCluster): NetworkPolicy[] {
  const np: NetworkPolicyOptions | undefined = rc.spec.networkPolicy;
  if (!np) return [];
  const cluster = rc.metadata.name ?? '';
  const mode: NetworkPolicyMode = (np.mode as NetworkPolicyMode | undefined) ?? 'DenyAll';
  const out = [
    policy(rc, headPolicyName(cluster), headPodSelector(cluster), mode, headSystemIngress(rc), np.head),
  ];
  const overrides = new Map((np.workerGroups ?? []).map((g) => [g.groupName, g]));
  for (const g of rc.spec.workerGroupSpecs ?? []) {
    out.push(
      policy(
        rc,
        workerPolicyName(cluster, g.groupName),
        { [label.cluster]: cluster, [label.nodeType]: 'worker', [label.group]: g.groupName },
        mode,
        [],
        overrides.get(g.groupName) ?? np.worker,
      ),
    );
  }
  return out;
}
