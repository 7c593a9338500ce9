/**
 * What the operator keeps of a Pod in its informer cache. The controllers read a pod's metadata, its
 * status, and of its spec the restart policy, scheduler fields, node and the containers' names (and images,
 * ports, resources for diagnostics); the rest of a Ray pod's spec (each container's env, command and args,
 * volume mounts and probes, the pod's volumes, affinity and tolerations) is most of its bytes and is never
 * read from the cache: desired pods are built from the RayCluster, and pods are only ever patched (labels,
 * annotations) or deleted, never updated from a cached copy. Dropping those fields cuts the cache's memory per
 * pod several-fold (docs/performance.md).
 */
import type { Container, KubeObject, Pod, PodSpec } from '../../api/index.ts';
import { Resources, type ResourceType } from '../../k8s/resources.ts';
import { StringInterner } from '../../lib/intern.ts';

function slimContainer(c: Container): Container {
  const out: Container = { name: c.name };
  if (c.image !== undefined) out.image = c.image;
  if (c.imagePullPolicy !== undefined) out.imagePullPolicy = c.imagePullPolicy;
  if (c.ports !== undefined) out.ports = c.ports;
  if (c.resources !== undefined) out.resources = c.resources;
  return out;
}

/** Pod spec fields dropped: large, and never read from the cache. */
const droppedSpecFields: ReadonlySet<string> = new Set([
  'volumes',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'securityContext',
  'imagePullSecrets',
  'dnsConfig',
  'hostAliases',
  'ephemeralContainers',
]);

/** One shared copy of the strings that repeat across cached pods (src/lib/intern.ts). */
const interner = new StringInterner();
/** Values unique to one pod: sharing them saves nothing and would only fill the table. */
const uniqueInMetadata: ReadonlySet<string> = new Set(['name', 'uid', 'resourceVersion']);
const uniqueInPod: ReadonlySet<string> = new Set(['podIP', 'ip', 'containerID', 'uid', 'resourceVersion']);

/**
 * The cached form of a Pod (managedFields dropped too). Returns a new object; `pod` reads the same afterwards,
 * though its strings may now be shared copies. The spec is built key by key rather than copied and pruned with
 * `delete`, which would leave every cached spec a slower, larger dictionary-mode object.
 */
export function slimPod(pod: Pod): Pod {
  const { managedFields: _m, ...metadata } = pod.metadata;
  const spec = {} as Record<string, unknown>;
  const from = (pod.spec ?? {}) as Record<string, unknown>;
  for (const k in from) if (!droppedSpecFields.has(k)) spec[k] = from[k];
  spec.containers = (pod.spec?.containers ?? []).map(slimContainer);
  if (pod.spec?.initContainers) spec.initContainers = pod.spec.initContainers.map(slimContainer);
  interner.internValues(metadata, uniqueInMetadata);
  interner.internValues(spec, uniqueInPod);
  if (pod.status) interner.internValues(pod.status, uniqueInPod);
  return { ...pod, metadata, spec: spec as PodSpec };
}

/** The informer transforms of the operator's cache, by type (InformerFactoryOptions.transformFor). */
export function cacheTransformFor(type: ResourceType): ((obj: KubeObject) => KubeObject) | undefined {
  return type === Resources.pods ? (obj) => slimPod(obj as Pod) : undefined;
}
