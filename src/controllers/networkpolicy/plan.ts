import type { KubeObject } from '../../k8s/objects.ts';
import type { NetworkPolicy } from './build.ts';

export type NetworkPolicyAction =
  | { type: 'create'; desired: NetworkPolicy }
  | { type: 'update'; desired: NetworkPolicy; observed: KubeObject }
  | { type: 'delete'; name: string }
  /** A policy of that name exists and another controller owns it: left alone, reported. */
  | { type: 'conflict'; name: string; owner: string };

/**
 * A spec as the API server stores it: empty lists dropped (Go's omitempty) and a port's protocol defaulted to
 * TCP, so a desired spec compares equal to the stored one and steady state makes no write.
 */
export function normalizeSpec(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalizeSpec(v));
    if (key === 'ports')
      return items.map((p) =>
        p && typeof p === 'object' && !('protocol' in p) ? { protocol: 'TCP', ...(p as object) } : p,
      );
    return items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      out[k] = normalizeSpec(v, k);
    }
    return out;
  }
  return value;
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(normalizeSpec(a)) === JSON.stringify(normalizeSpec(b));

function labelsMatch(observed: KubeObject, desired: NetworkPolicy): boolean {
  const have = observed.metadata.labels ?? {};
  return Object.entries(desired.metadata.labels).every(([k, v]) => have[k] === v);
}

function ownedBy(observed: KubeObject, uid: string): boolean {
  return (observed.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.controller === true);
}

function otherController(observed: KubeObject, uid: string): string | undefined {
  const r = (observed.metadata.ownerReferences ?? []).find((x) => x.controller === true && x.uid !== uid);
  return r ? `${r.kind}/${r.name}` : undefined;
}

/**
 * Compares the desired policies with the observed ones (the cached policies labelled with the cluster), pure.
 * Creates what is missing, updates what differs (spec, our labels, or the controller reference), and deletes
 * policies the cluster owns that are no longer desired (networkPolicy removed, worker group removed). Policies
 * the cluster does not own are never deleted.
 */
export function planNetworkPolicies(
  clusterUid: string,
  desired: readonly NetworkPolicy[],
  observed: readonly KubeObject[],
): NetworkPolicyAction[] {
  const byName = new Map(observed.map((o) => [o.metadata.name ?? '', o]));
  const actions: NetworkPolicyAction[] = [];
  for (const d of desired) {
    const o = byName.get(d.metadata.name);
    const owner = o ? otherController(o, clusterUid) : undefined;
    if (!o) actions.push({ type: 'create', desired: d });
    else if (owner) actions.push({ type: 'conflict', name: d.metadata.name, owner });
    else if (!same(o.spec, d.spec) || !labelsMatch(o, d) || !ownedBy(o, clusterUid))
      actions.push({ type: 'update', desired: d, observed: o });
  }
  const wanted = new Set(desired.map((d) => d.metadata.name));
  for (const o of observed) {
    const name = o.metadata.name ?? '';
    if (!wanted.has(name) && ownedBy(o, clusterUid) && !o.metadata.deletionTimestamp)
      actions.push({ type: 'delete', name });
  }
  return actions;
}

/** The object written by an update: the stored one with our spec, labels and controller reference. */
export function updatedPolicy(observed: KubeObject, desired: NetworkPolicy): KubeObject {
  const others = (observed.metadata.ownerReferences ?? []).filter((r) => r.controller !== true);
  return {
    ...observed,
    metadata: {
      ...observed.metadata,
      labels: { ...observed.metadata.labels, ...desired.metadata.labels },
      ownerReferences: [...desired.metadata.ownerReferences, ...others],
    },
    spec: desired.spec,
  };
}
