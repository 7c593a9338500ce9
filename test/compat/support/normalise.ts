import type { NamespaceDump, Obj } from './dump.ts';

/**
 * Turns one namespace's dump into a map from a stable key (`Kind/name`, names normalised) to the object with
 * everything that differs between two runs of the same operator replaced or removed: uids, resourceVersions,
 * managedFields, timestamps, IPs, the namespace, random name suffixes and the KWOK node a pod landed on.
 * Objects that end up with the same key (the workers of one group) get `#1`, `#2`, ... in content order.
 * Events become one entry per (involved object, reason): type, source and the sorted distinct messages; counts
 * and times depend on retry timing, not on behaviour.
 */
export type Normalised = Map<string, unknown>;

/** Suffixes from k8s.io/apimachinery's rand.String (and ours): 5 characters, no vowels, no 0/1/3. */
const RAND = /-[bcdfghjklmnpqrstvwxz2456789]{5}(?![a-z0-9])/g;
const TIME = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?(?![\d.])/g;
const IPV4 = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g;
const UID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const NODE = /\b(kwok-node-\d+|compat-node)\b/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function normaliseString(s: string, namespace: string): string {
  return s
    .replace(new RegExp(`(?<![a-z0-9-])${escapeRegExp(namespace)}(?![a-z0-9-])`, 'g'), '<ns>')
    .replace(TIME, '<time>')
    .replace(UID, '<uid>')
    .replace(IPV4, '<ip>')
    .replace(NODE, '<node>')
    .replace(RAND, '-<rand>');
}

/**
 * Keys whose values the API server or the scheduler choose, not the operator: NodePorts are allocated at
 * random, and a Pending pod's scheduling message depends on the nodes' taints at the last attempt.
 */
const CHOSEN_BY_OTHERS: Readonly<Record<string, string>> = { nodePort: '<port>' };

function walk(v: unknown, ns: string): unknown {
  if (typeof v === 'string') return normaliseString(v, ns);
  if (Array.isArray(v)) return v.map((x) => walk(x, ns));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[normaliseString(k, ns)] = k in CHOSEN_BY_OTHERS ? CHOSEN_BY_OTHERS[k] : walk(x, ns);
    return out;
  }
  return v;
}

const DROPPED_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'namespace',
];

export function normaliseObject(obj: Obj, namespace: string): Record<string, unknown> {
  const { metadata, ...rest } = obj;
  const meta: Record<string, unknown> = { ...metadata };
  for (const k of DROPPED_METADATA) delete meta[k];
  if (Array.isArray(meta.ownerReferences))
    meta.ownerReferences = (meta.ownerReferences as Record<string, unknown>[]).map(({ uid: _u, ...r }) => r);
  const out = walk({ ...rest, metadata: meta }, namespace) as Record<string, unknown>;
  const conditions = (out.status as { conditions?: Record<string, unknown>[] } | undefined)?.conditions;
  if (obj.kind === 'Pod' && Array.isArray(conditions)) for (const c of conditions) delete c.message;
  return out;
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

interface EventLike {
  involvedObject?: { kind?: string; name?: string };
  reason?: string;
  type?: string;
  message?: string;
  source?: { component?: string };
  reportingComponent?: string;
}

/** Events about the ray.io objects: the ones the operators record (pods' events come from the scheduler). */
const RAY_KINDS = new Set(['RayCluster', 'RayJob', 'RayService']);

function normaliseEvents(events: readonly Obj[], ns: string): [string, unknown][] {
  const groups = new Map<string, { type: Set<string>; component: Set<string>; messages: Set<string> }>();
  for (const e of events as unknown as EventLike[]) {
    if (!RAY_KINDS.has(e.involvedObject?.kind ?? '')) continue;
    // A create that lost a race with the operator's own stale cache (KubeRay's RayService controller does
    // this now and then): whether it happens depends on timing, not on behaviour.
    if (e.message?.includes('already exists')) continue;
    const who = normaliseString(`${e.involvedObject?.kind}/${e.involvedObject?.name}`, ns);
    const key = `Event/${who}/${e.reason}`;
    const g = groups.get(key) ?? { type: new Set(), component: new Set(), messages: new Set() };
    groups.set(key, g);
    g.type.add(e.type ?? '');
    g.component.add(e.source?.component || e.reportingComponent || '');
    g.messages.add(normaliseString(e.message ?? '', ns));
  }
  return [...groups].map(([key, g]) => [
    key,
    {
      type: [...g.type].sort().join(','),
      source: [...g.component].sort().join(','),
      messages: [...g.messages].sort(),
    },
  ]);
}

export function normaliseDump(dump: NamespaceDump, namespace: string): Normalised {
  const byKey = new Map<string, unknown[]>();
  for (const obj of dump.objects) {
    const n = normaliseObject(obj, namespace);
    const key = `${obj.kind}/${normaliseString(obj.metadata.name, namespace)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), n]);
  }
  const out: Normalised = new Map();
  for (const [key, items] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (items.length === 1) out.set(key, items[0]);
    else
      items
        .map((x) => [stable(x), x] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .forEach(([, x], i) => {
          out.set(`${key}#${i + 1}`, x);
        });
  }
  for (const [key, v] of normaliseEvents(dump.events, namespace).sort(([a], [b]) => (a < b ? -1 : 1)))
    out.set(key, v);
  return out;
}

/** A fingerprint of a normalised dump: equal fingerprints mean nothing meaningful changed. */
export const fingerprint = (n: Normalised): string => stable([...n]);
