import {
  ApiServerAnnotations,
  ApiServerLabels,
  ApiServerLabelValues,
  Labels,
  LabelValues,
} from '../../api/constants.ts';
import { goQuantityString } from '../../api/go-quantity.ts';
import type { ApiComputeTemplate } from './compute-template.ts';
import { Environment } from './messages.ts';

/**
 * API message -> RayCluster, as KubeRay's server builds it (apiserver/pkg/util/cluster.go): a `ray-head` /
 * `ray-worker` container with the template's CPU, memory (GiB) and GPU/extended resources as requests and limits,
 * its tolerations, the `ray.io/compute-template` and `ray.io/compute-image` pod annotations, fixed ports and env.
 * Pure: maps are walked in sorted key order (Go's order is random), so output is deterministic.
 */
type Obj = Record<string, unknown>;
type Msg = Readonly<Record<string, unknown>>;

const DEFAULT_IMAGE_REPOSITORY = 'rayproject/ray';

/** A problem in the message that only shows while building (volume sizes, autoscaler resources). */
export class BuildError extends Error {}

const sortedEntries = <V>(m: Readonly<Record<string, V>> | undefined): [string, V][] =>
  Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * A quantity as KubeRay's server writes it: Go parses it (resource.MustParse) and json.Marshal prints the
 * canonical form, so `0.5` is stored as `500m`, `1024Gi` as `1Ti`, a GPU count of 1000 as `1k`.
 */
function canonical(text: string | number, problem: string): string {
  try {
    return goQuantityString(text);
  } catch {
    throw new BuildError(problem);
  }
}

function environmentName(n: number): string {
  return Object.entries(Environment.values).find(([, v]) => v === n)?.[0] ?? String(n);
}

function clusterLabels(c: Msg): Record<string, string> {
  return {
    [ApiServerLabels.clusterName]: str(c.name),
    [ApiServerLabels.user]: str(c.user),
    [ApiServerLabels.version]: str(c.version),
    [ApiServerLabels.environment]: environmentName(num(c.environment)),
    [Labels.appName]: LabelValues.appName,
    [ApiServerLabels.managedBy]: ApiServerLabelValues.managedBy,
  };
}

/** The RayCluster for a Cluster message; `now` goes in the `ray.io/creation-timestamp` annotation. */
export function buildRayCluster(
  c: Msg,
  templates: ReadonlyMap<string, ApiComputeTemplate>,
  now: string,
): Obj {
  const annotations = { ...((c.annotations as Record<string, string>) ?? {}) };
  const enableServe = annotations['ray.io/enable-serve-service'] === 'true';
  const spec = buildRayClusterSpec(
    str(c.version),
    c.envs as Msg | undefined,
    c.clusterSpec as Msg,
    templates,
    enableServe,
  );
  annotations['ray.io/creation-timestamp'] = now;
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: str(c.name), namespace: str(c.namespace), labels: clusterLabels(c), annotations },
    spec,
  };
}

export function buildRayClusterSpec(
  version: string,
  envs: Msg | undefined,
  spec: Msg,
  templates: ReadonlyMap<string, ApiComputeTemplate>,
  enableServeService: boolean,
): Obj {
  const head = (spec.headGroupSpec ?? {}) as Msg;
  const out: Obj = {
    ...(version ? { rayVersion: version } : {}),
    headGroupSpec: {
      ...(str(head.serviceType) ? { serviceType: str(head.serviceType) } : {}),
      ...(head.enableIngress === true ? { enableIngress: true } : {}),
      ...startParams(head),
      template: podTemplate(
        'head',
        version,
        envs,
        head,
        template(templates, str(head.computeTemplate)),
        enableServeService,
      ),
    },
    workerGroupSpecs: ((spec.workerGroupSpec as Msg[] | undefined) ?? []).map((w) => {
      const replicas = num(w.replicas);
      return {
        groupName: str(w.groupName),
        replicas,
        minReplicas: num(w.minReplicas) || replicas,
        maxReplicas: num(w.maxReplicas) || replicas,
        ...startParams(w),
        template: podTemplate('worker', version, envs, w, template(templates, str(w.computeTemplate)), false),
      };
    }),
  };
  const headServiceAnnotations = spec.headServiceAnnotations as Record<string, string> | undefined;
  if (headServiceAnnotations && Object.keys(headServiceAnnotations).length)
    (out.headGroupSpec as Obj).headService = { metadata: { annotations: { ...headServiceAnnotations } } };
  if (spec.enableInTreeAutoscaling === true) {
    out.enableInTreeAutoscaling = true;
    const options = buildAutoscalerOptions(spec.autoscalerOptions as Msg | undefined);
    if (options) out.autoscalerOptions = options;
  }
  return out;
}

/**
 * `rayStartParams` as Go writes the message's map (no omitempty): a map the request left out is nil, written as
 * `null`, which the Kubernetes API server drops (the field is not nullable); a map sent, even empty, is kept.
 */
function startParams(group: Msg): Obj {
  const params = group.rayStartParams as Record<string, string> | undefined;
  return params === undefined ? {} : { rayStartParams: { ...params } };
}

function template(templates: ReadonlyMap<string, ApiComputeTemplate>, name: string): ApiComputeTemplate {
  const t = templates.get(name);
  if (!t) throw new BuildError(`compute template ${name} is not loaded`);
  return t;
}

function resourceList(t: ApiComputeTemplate, extra: Record<string, string>): Record<string, string> {
  const memory = `${t.memory ?? 0}${t.memoryUnit || 'Gi'}`;
  return {
    cpu: canonical(t.cpu ?? 0, `cpu of compute template ${t.name} is not a valid quantity`),
    memory: canonical(memory, `memory of compute template ${t.name} is not a valid quantity: ${memory}`),
    ...extra,
  };
}

function podTemplate(
  kind: 'head' | 'worker',
  version: string,
  envs: Msg | undefined,
  group: Msg,
  t: ApiComputeTemplate,
  enableServeService: boolean,
): Obj {
  const containerName = kind === 'head' ? 'ray-head' : 'ray-worker';
  const image = str(group.image) || `${DEFAULT_IMAGE_REPOSITORY}:${version}`;
  const extra: Record<string, string> = {};
  const count = (n: number) => canonical(n, `resource count ${n} of compute template ${t.name} is not valid`);
  if (t.gpu) extra[t.gpuAccelerator || 'nvidia.com/gpu'] = count(t.gpu);
  for (const [k, v] of sortedEntries(t.extendedResources)) if (v) extra[k] = count(v);
  const resources = resourceList(t, extra);
  const env: Obj[] = kind === 'head' ? [fieldEnv('MY_POD_IP', 'status.podIP')] : workerEnv();
  env.push(...convertEnv(envs), ...convertEnv(group.environment as Msg | undefined));
  const ports: Obj[] =
    kind === 'head'
      ? [
          { name: 'redis', containerPort: 6379 },
          { name: 'head', containerPort: 10001 },
          { name: 'dashboard', containerPort: 8265 },
          { name: 'metrics', containerPort: 8080 },
          ...(enableServeService
            ? [
                { name: 'dashboard-agent', containerPort: 52365 },
                { name: 'serve', containerPort: 8000 },
              ]
            : []),
        ]
      : [{ containerPort: 80 }];
  const volumes = (group.volumes as Msg[] | undefined) ?? [];
  const container: Obj = {
    name: containerName,
    image,
    imagePullPolicy: str(group.imagePullPolicy).toLowerCase() === 'always' ? 'Always' : 'IfNotPresent',
    env,
    ports,
    resources: { limits: resources, requests: { ...resources } },
  };
  if (kind === 'worker')
    container.lifecycle = { preStop: { exec: { command: ['/bin/sh', '-c', 'ray stop'] } } };
  if (volumes.length) container.volumeMounts = volumeMounts(volumes);
  const sc = securityContext(group.securityContext as Msg | undefined);
  if (sc) container.securityContext = sc;
  const podSpec: Obj = { containers: [container] };
  const vols = buildVolumes(volumes);
  if (vols.length) podSpec.volumes = vols;
  const tolerations = (t.tolerations ?? []).map((x) => ({
    ...(x.key ? { key: x.key } : {}),
    operator: x.operator === 'Exists' ? 'Exists' : 'Equal',
    ...(x.value ? { value: x.value } : {}),
    effect:
      x.effect === 'NoExecute' ? 'NoExecute' : x.effect === 'NoSchedule' ? 'NoSchedule' : 'PreferNoSchedule',
  }));
  if (tolerations.length) podSpec.tolerations = tolerations;
  if (str(group.serviceAccount).length > 1) podSpec.serviceAccountName = str(group.serviceAccount);
  if (str(group.imagePullSecret).length > 1)
    podSpec.imagePullSecrets = [{ name: str(group.imagePullSecret) }];
  const labels = { ...((group.labels as Record<string, string>) ?? {}) };
  return {
    metadata: {
      annotations: {
        [ApiServerAnnotations.computeTemplate]: t.name ?? '',
        [ApiServerAnnotations.computeImage]: str(group.image),
        ...((group.annotations as Record<string, string>) ?? {}),
      },
      ...(Object.keys(labels).length ? { labels } : {}),
    },
    spec: podSpec,
  };
}

const fieldEnv = (name: string, fieldPath: string): Obj => ({ name, valueFrom: { fieldRef: { fieldPath } } });
const resourceEnv = (name: string, resource: string): Obj => ({
  name,
  valueFrom: { resourceFieldRef: { containerName: 'ray-worker', resource } },
});

function workerEnv(): Obj[] {
  return [
    { name: 'RAY_DISABLE_DOCKER_CPU_WARNING', value: '1' },
    { name: 'TYPE', value: 'worker' },
    resourceEnv('CPU_REQUEST', 'requests.cpu'),
    resourceEnv('CPU_LIMITS', 'limits.cpu'),
    resourceEnv('MEMORY_REQUESTS', 'requests.memory'),
    resourceEnv('MEMORY_LIMITS', 'limits.memory'),
    fieldEnv('MY_POD_NAME', 'metadata.name'),
    fieldEnv('MY_POD_IP', 'status.podIP'),
  ];
}

/** EnvironmentVariables -> container env: values first, then valuesFrom (each sorted by name). */
function convertEnv(envs: Msg | undefined): Obj[] {
  if (!envs) return [];
  const out: Obj[] = sortedEntries(envs.values as Record<string, string> | undefined).map(
    ([name, value]) => ({
      name,
      value,
    }),
  );
  for (const [name, from] of sortedEntries(envs.valuesFrom as Record<string, Msg> | undefined)) {
    const source = num(from.source);
    if (source === 0)
      out.push({ name, valueFrom: { configMapKeyRef: { name: str(from.name), key: str(from.key) } } });
    else if (source === 1)
      out.push({ name, valueFrom: { secretKeyRef: { name: str(from.name), key: str(from.key) } } });
    else if (source === 2)
      out.push({
        name,
        valueFrom: { resourceFieldRef: { containerName: str(from.name), resource: str(from.key) } },
      });
    else out.push(fieldEnv(name, str(from.key)));
  }
  return out;
}

function volumeMounts(volumes: readonly Msg[]): Obj[] {
  return volumes.map((v) => {
    const mode = num(v.mountPropagationMode);
    return {
      name: str(v.name),
      mountPath: str(v.mountPath),
      ...(v.readOnly === true ? { readOnly: true } : {}),
      ...(mode === 1
        ? { mountPropagation: 'HostToContainer' }
        : mode === 2
          ? { mountPropagation: 'Bidirectional' }
          : {}),
    };
  });
}

const items = (m: unknown) =>
  sortedEntries(m as Record<string, string> | undefined).map(([key, path]) => ({ key, path }));

function buildVolumes(volumes: readonly Msg[]): Obj[] {
  const out: Obj[] = [];
  for (const v of volumes) {
    const name = str(v.name);
    const source = str(v.source);
    const storage = str(v.storage);
    const it = items(v.items);
    switch (num(v.volumeType)) {
      case 3:
        out.push({ name, configMap: { name: source, ...(it.length ? { items: it } : {}) } });
        break;
      case 4:
        out.push({ name, secret: { secretName: source, ...(it.length ? { items: it } : {}) } });
        break;
      case 5: {
        const problem = 'storage for empty dir volume is not specified correctly';
        out.push({ name, emptyDir: storage ? { sizeLimit: canonical(storage, problem) } : {} });
        break;
      }
      case 1:
        out.push({
          name,
          hostPath: { path: source, type: num(v.hostPathType) === 1 ? 'File' : 'Directory' },
        });
        break;
      case 0:
        out.push({
          name,
          persistentVolumeClaim: { claimName: source, ...(v.readOnly === true ? { readOnly: true } : {}) },
        });
        break;
      case 2: {
        if (!storage) throw new BuildError('storage for ephemeral volume is empty');
        const size = canonical(storage, 'storage for ephemeral volume is not specified correctly');
        const mode = num(v.accessMode);
        out.push({
          name,
          ephemeral: {
            volumeClaimTemplate: {
              metadata: { labels: { [ApiServerLabels.managedBy]: ApiServerLabelValues.managedBy } },
              spec: {
                accessModes: [mode === 2 ? 'ReadWriteMany' : mode === 1 ? 'ReadOnlyMany' : 'ReadWriteOnce'],
                resources: { requests: { storage: size } },
                ...(str(v.storageClassName) ? { storageClassName: str(v.storageClassName) } : {}),
              },
            },
          },
        });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function securityContext(sc: Msg | undefined): Obj | undefined {
  if (!sc) return undefined;
  const caps = (sc.capabilities ?? {}) as Msg;
  const add = (caps.add as string[] | undefined) ?? [];
  const drop = (caps.drop as string[] | undefined) ?? [];
  return {
    ...(sc.privileged === true ? { privileged: true } : {}),
    capabilities: { ...(add.length ? { add } : {}), ...(drop.length ? { drop } : {}) },
  };
}

function buildAutoscalerOptions(o: Msg | undefined): Obj | undefined {
  if (!o) return undefined;
  const out: Obj = {};
  if (num(o.idleTimeoutSeconds) > 0) out.idleTimeoutSeconds = num(o.idleTimeoutSeconds);
  if (str(o.upscalingMode)) out.upscalingMode = str(o.upscalingMode);
  if (str(o.image)) out.image = str(o.image);
  if (str(o.imagePullPolicy).toLowerCase() === 'always') out.imagePullPolicy = 'Always';
  const envs = o.envs as Msg | undefined;
  if (envs) {
    const values = sortedEntries(envs.values as Record<string, string> | undefined);
    if (values.length) out.env = values.map(([name, value]) => ({ name, value }));
    const from = sortedEntries(envs.valuesFrom as Record<string, Msg> | undefined);
    if (from.length)
      out.envFrom = from.flatMap(([, f]): Obj[] =>
        num(f.source) === 0
          ? [{ configMapRef: { name: str(f.name) } }]
          : num(f.source) === 1
            ? [{ secretRef: { name: str(f.name) } }]
            : [],
      );
  }
  const vols = (o.volumes as Msg[] | undefined) ?? [];
  if (vols.length) out.volumeMounts = volumeMounts(vols);
  if (str(o.cpu) || str(o.memory)) {
    const cpu = canonical(str(o.cpu) || '500m', 'cpu for autoscaler is not specified correctly');
    const memory = canonical(str(o.memory) || '512Mi', 'memory for autoscaler is not specified correctly');
    out.resources = { limits: { cpu, memory }, requests: { cpu, memory } };
  }
  return out;
}
