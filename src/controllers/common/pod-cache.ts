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

function slimContainer(c: Container): Container {
  const out: Container = { name: c.name };
  if (c.image !== undefined) out.image = c.image;
  if (c.imagePullPolicy !== undefined) out.imagePullPolicy = c.imagePullPolicy;
  if (c.ports !== undefined) out.ports = c.ports;
  if (c.resources !== undefined) out.resources = c.resources;
  return out;
}

/** Pod spec fields dropped: large, and never read from the cache. */
const droppedSpecFields = [
  'volumes',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'securityContext',
  'imagePullSecrets',
  'dnsConfig',
  'hostAliases',
  'ephemeralContainers',
] as const;

/** The cached form of a Pod (managedFields dropped too). Returns a new object; `pod` is not changed. */
export function slimPod(pod: Pod): Pod {
  const { managedFields: _m, ...metadata } = pod.metadata;
  const spec: PodSpec = { ...pod.spec, containers: (pod.spec?.containers ?? []).map(slimContainer) };
  for (const k of droppedSpecFields) delete spec[k];
  if (pod.spec?.initContainers) spec.initContainers = pod.spec.initContainers.map(slimContainer);
  return { ...pod, metadata, spec };
}

/** The informer transforms of the operator's cache, by type (InformerFactoryOptions.transformFor). */
export function cacheTransformFor(type: ResourceType): ((obj: KubeObject) => KubeObject) | undefined {
  return type === Resources.pods ? (obj) => slimPod(obj as Pod) : undefined;
}
