import { ApiServerAnnotations, ApiServerLabels } from '../../api/constants.ts';
import { Environment } from './messages.ts';
import { timestamp, unixSeconds } from './proto-json.ts';

/**
 * RayCluster -> Cluster message, as KubeRay's server reads one back (apiserver/pkg/model/converter.go): the
 * user-facing group fields come from the pod templates minus the defaults the builder and the operator add.
 */
type Obj = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: walking untyped Kubernetes JSON
type Any = Record<string, any>;

const defaultAnnotations = [
  'ray.io/compute-image',
  'openshift.io/scc',
  'cni.projectcalico.org/podIP',
  'ray.io/health-state',
  'ray.io/ft-enabled',
  'cni.projectcalico.org/podIPs',
  'cni.projectcalico.org/containerID',
  'ray.io/compute-template',
  'k8s.v1.cni.cncf.io/network-status',
  'k8s.v1.cni.cncf.io/networks-status',
];
const defaultLabels = [
  'app.kubernetes.io/created-by',
  'app.kubernetes.io/name',
  'ray.io/cluster',
  'ray.io/cluster-dashboard',
  'ray.io/group',
  'ray.io/identifier',
  'ray.io/is-ray-node',
  'ray.io/node-type',
];
const headEnv = [
  'MY_POD_IP',
  'RAY_CLUSTER_NAME',
  'RAY_PORT',
  'RAY_ADDRESS',
  'RAY_USAGE_STATS_KUBERAY_IN_USE',
];
const workerEnv = [
  'RAY_DISABLE_DOCKER_CPU_WARNING',
  'TYPE',
  'CPU_REQUEST',
  'CPU_LIMITS',
  'MEMORY_REQUESTS',
  'MEMORY_LIMITS',
  'MY_POD_NAME',
  'MY_POD_IP',
  'FQ_RAY_IP',
  'RAY_IP',
  'RAY_CLUSTER_NAME',
  'RAY_PORT',
  'RAY_ADDRESS',
  'RAY_USAGE_STATS_KUBERAY_IN_USE',
  'REDIS_PASSWORD',
];

export interface KubeEvent {
  metadata?: { name?: string; creationTimestamp?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
}

/** ClusterEvent / RayServiceEvent of a Kubernetes Event; `owner` prefixes the name as KubeRay does. */
export function eventToApi(owner: string, e: KubeEvent): Obj {
  const id = e.metadata?.name ?? '';
  return {
    id,
    name: `${owner}-${id}`,
    createdAt: timestamp(unixSeconds(e.metadata?.creationTimestamp)),
    firstTimestamp: timestamp(unixSeconds(e.firstTimestamp)),
    lastTimestamp: timestamp(unixSeconds(e.lastTimestamp)),
    reason: e.reason ?? '',
    message: e.message ?? '',
    type: e.type ?? '',
    count: e.count ?? 0,
  };
}

export function rayClusterToApi(cluster: Any, events: readonly KubeEvent[]): Obj {
  const labels = (cluster.metadata?.labels ?? {}) as Record<string, string>;
  const annotations = cluster.metadata?.annotations as Record<string, string> | undefined;
  return {
    name: cluster.metadata?.name ?? '',
    namespace: cluster.metadata?.namespace ?? '',
    version: labels[ApiServerLabels.version] ?? '',
    user: labels[ApiServerLabels.user] ?? '',
    environment: Environment.values[labels[ApiServerLabels.environment] ?? ''] ?? 0,
    createdAt: timestamp(unixSeconds(cluster.metadata?.creationTimestamp)),
    clusterState: cluster.status?.state ?? '',
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
    clusterSpec: clusterSpecToApi(cluster.spec ?? {}),
    events: events.map((e) => eventToApi(labels[ApiServerLabels.clusterName] ?? '', e)),
    serviceEndpoint: { ...(cluster.status?.endpoints ?? {}) },
  };
}

export function clusterSpecToApi(spec: Any): Obj {
  const out: Obj = {
    headGroupSpec: groupToApi(spec.headGroupSpec ?? {}, 'head'),
    workerGroupSpec: ((spec.workerGroupSpecs ?? []) as Any[]).map((w) => groupToApi(w, 'worker')),
  };
  const hsa = spec.headGroupSpec?.headService?.metadata?.annotations;
  if (hsa && Object.keys(hsa).length) out.headServiceAnnotations = hsa;
  if (spec.enableInTreeAutoscaling === true) {
    out.enableInTreeAutoscaling = true;
    if (spec.autoscalerOptions) out.autoscalerOptions = autoscalerToApi(spec.autoscalerOptions);
  }
  return out;
}

function without(
  m: Record<string, string> | undefined,
  keys: readonly string[],
): Record<string, string> | undefined {
  const rest = Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !keys.includes(k)));
  return Object.keys(rest).length ? rest : undefined;
}

function groupToApi(g: Any, kind: 'head' | 'worker'): Obj {
  const tpl = g.template ?? {};
  const podAnnotations = (tpl.metadata?.annotations ?? {}) as Record<string, string>;
  const containers = (tpl.spec?.containers ?? []) as Any[];
  const out: Obj = {
    rayStartParams: g.rayStartParams ?? {},
    image: podAnnotations[ApiServerAnnotations.computeImage] ?? '',
    computeTemplate: podAnnotations[ApiServerAnnotations.computeTemplate] ?? '',
    volumes: volumesToApi(tpl),
  };
  if (kind === 'head') out.serviceType = g.serviceType ?? '';
  else {
    out.groupName = g.groupName ?? '';
    out.replicas = g.replicas ?? 0;
    out.minReplicas = g.minReplicas ?? 0;
    out.maxReplicas = g.maxReplicas ?? 0;
  }
  const a = without(podAnnotations, defaultAnnotations);
  if (a) out.annotations = a;
  const l = without(tpl.metadata?.labels, defaultLabels);
  if (l) out.labels = l;
  if (kind === 'head' && g.enableIngress === true) out.enableIngress = true;
  const c = containers.find((x) => x.name === (kind === 'head' ? 'ray-head' : 'ray-worker'));
  if (c) {
    if ((c.env ?? []).length) out.environment = envToApi(c.env, kind === 'head' ? headEnv : workerEnv);
    const sc = c.securityContext;
    if (sc)
      out.securityContext = {
        ...(sc.privileged !== undefined ? { privileged: sc.privileged } : {}),
        capabilities: { add: sc.capabilities?.add ?? [], drop: sc.capabilities?.drop ?? [] },
      };
  }
  const sa = tpl.spec?.serviceAccountName ?? '';
  if (sa.length > 1) out.serviceAccount = sa;
  const secrets = tpl.spec?.imagePullSecrets ?? [];
  if (secrets.length) out.imagePullSecret = secrets[0].name ?? '';
  if (containers[0]?.imagePullPolicy === 'Always') out.imagePullPolicy = 'Always';
  return out;
}

function envToApi(env: Any[], reserved: readonly string[]): Obj {
  const values: Record<string, string> = {};
  const valuesFrom: Record<string, Obj> = {};
  for (const e of env) {
    if (reserved.includes(e.name)) continue;
    const f = e.valueFrom;
    if (!f) values[e.name] = e.value ?? '';
    else if (f.configMapKeyRef)
      valuesFrom[e.name] = {
        source: 0,
        name: f.configMapKeyRef.name ?? '',
        key: f.configMapKeyRef.key ?? '',
      };
    else if (f.secretKeyRef)
      valuesFrom[e.name] = { source: 1, name: f.secretKeyRef.name ?? '', key: f.secretKeyRef.key ?? '' };
    else if (f.resourceFieldRef)
      valuesFrom[e.name] = {
        source: 2,
        name: f.resourceFieldRef.containerName ?? '',
        key: f.resourceFieldRef.resource ?? '',
      };
    else if (f.fieldRef) valuesFrom[e.name] = { source: 3, key: f.fieldRef.fieldPath ?? '' };
  }
  return { values, valuesFrom };
}

/** Volumes of a pod template back to Volume messages (the mount of the first container, as KubeRay's model/volumes.go). */
function volumesToApi(tpl: Any): Obj[] {
  const mounts = (tpl.spec?.containers?.[0]?.volumeMounts ?? []) as Any[];
  const out: Obj[] = [];
  for (const v of (tpl.spec?.volumes ?? []) as Any[]) {
    const m = mounts.find((x) => x.name === v.name);
    if (!m) continue;
    const base: Obj = {
      name: v.name,
      mountPath: m.mountPath ?? '',
      readOnly: m.readOnly === true,
      mountPropagationMode:
        m.mountPropagation === 'HostToContainer' ? 1 : m.mountPropagation === 'Bidirectional' ? 2 : 0,
    };
    const itemsOf = (x: Any[] | undefined) =>
      x?.length ? Object.fromEntries(x.map((i) => [i.key, i.path])) : undefined;
    if (v.persistentVolumeClaim)
      out.push({ ...base, volumeType: 0, source: v.persistentVolumeClaim.claimName ?? '' });
    else if (v.hostPath)
      out.push({
        ...base,
        volumeType: 1,
        source: v.hostPath.path ?? '',
        hostPathType: v.hostPath.type === 'File' ? 1 : 0,
      });
    else if (v.ephemeral) {
      const s = v.ephemeral.volumeClaimTemplate?.spec ?? {};
      const mode = s.accessModes?.[0];
      out.push({
        ...base,
        volumeType: 2,
        storage: s.resources?.requests?.storage ?? '',
        storageClassName: s.storageClassName ?? '',
        accessMode: mode === 'ReadWriteMany' ? 2 : mode === 'ReadOnlyMany' ? 1 : 0,
      });
    } else if (v.configMap)
      out.push({ ...base, volumeType: 3, source: v.configMap.name ?? '', items: itemsOf(v.configMap.items) });
    else if (v.secret)
      out.push({ ...base, volumeType: 4, source: v.secret.secretName ?? '', items: itemsOf(v.secret.items) });
    else if (v.emptyDir) out.push({ ...base, volumeType: 5, storage: v.emptyDir.sizeLimit ?? '' });
  }
  return out;
}

function autoscalerToApi(o: Any): Obj {
  const out: Obj = {
    idleTimeoutSeconds: o.idleTimeoutSeconds ?? 0,
    upscalingMode: o.upscalingMode ?? '',
    image: o.image ?? '',
    imagePullPolicy: o.imagePullPolicy ?? '',
  };
  const env = (o.env ?? []) as Any[];
  const envFrom = (o.envFrom ?? []) as Any[];
  if (env.length || envFrom.length) {
    out.envs = {
      values: Object.fromEntries(env.map((e) => [e.name, e.value ?? ''])),
      valuesFrom: Object.fromEntries(
        envFrom.map((e, i) =>
          e.configMapRef
            ? [String(i), { source: 0, name: e.configMapRef.name ?? '' }]
            : [String(i), { source: 1, name: e.secretRef?.name ?? '' }],
        ),
      ),
    };
  }
  const vm = (o.volumeMounts ?? []) as Any[];
  if (vm.length)
    out.volumes = vm.map((v) => ({
      name: v.name,
      mountPath: v.mountPath ?? '',
      readOnly: v.readOnly === true,
      mountPropagationMode:
        v.mountPropagation === 'HostToContainer' ? 1 : v.mountPropagation === 'Bidirectional' ? 2 : 0,
    }));
  const r = o.resources;
  if (r) {
    const list = r.limits && Object.keys(r.limits).length ? r.limits : (r.requests ?? {});
    out.cpu = list.cpu ?? '0';
    out.memory = list.memory ?? '0';
  }
  return out;
}
