/**
 * KubeRay's plugin-generated RayCluster and RayJob (`generation.RayClusterConfig`), as the apply
 * configuration Go would send: only the fields set, quantities canonical, zero quantities left out. Also the
 * `--file` configuration (YAML with `head`, `worker-groups`, `service-account`, `autoscaler`, `gke.gcsfuse`),
 * read strictly: an unknown key is an error. Pure.
 */
import { goQuantityString } from '../api/go-quantity.ts';
import { parseQuantity } from '../builders/common/quantity.ts';
import { TPU_ACCELERATOR, TPU_TOPOLOGY } from './commands.ts';
import { CliError } from './errors.ts';
import { GPU, TPU } from './objects.ts';

interface HeadConfig {
  cpu?: string;
  gpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
  'ray-start-params'?: Record<string, string>;
  'node-selectors'?: Record<string, string>;
}

interface WorkerGroupConfig extends HeadConfig {
  name?: string;
  tpu?: string;
  'num-of-hosts'?: number;
  replicas: number;
}

interface GcsFuseConfig {
  'bucket-name': string;
  'mount-path': string;
  'mount-options'?: string;
  'disable-metrics'?: boolean;
  'gcsfuse-metadata-prefetch-on-mount'?: boolean;
  'skip-csi-bucket-access-check'?: boolean;
  resources?: { cpu?: string; memory?: string; 'ephemeral-storage'?: string };
}

export interface RayClusterConfig {
  namespace?: string;
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  'ray-version'?: string;
  image?: string;
  'service-account'?: string;
  head: HeadConfig;
  gke?: { gcsfuse?: GcsFuseConfig };
  autoscaler?: { version?: string };
  'worker-groups': WorkerGroupConfig[];
}

type Obj = Record<string, unknown>;

/** A quantity flag or field: valid and not negative (KubeRay's ValidateResourceQuantity). */
export function validateQuantity(value: string | undefined, name: string): void {
  if (value === undefined || value === '') return;
  const q = parseQuantity(value);
  if (!q) throw new CliError(`${name} is not a valid resource quantity: "${value}"`);
  if (q.milli < 0n) throw new CliError(`${name} cannot be negative: "${value}"`);
}

/** A TPU count above 0 needs GKE's TPU accelerator and topology node selectors. */
export function validateTpu(
  tpu: string | undefined,
  selectors: Record<string, string> | undefined,
  what: string,
): void {
  const q = parseQuantity(tpu ?? '0');
  if (!q || q.milli === 0n) return;
  const missing = [TPU_ACCELERATOR, TPU_TOPOLOGY].filter((k) => !selectors?.[k]);
  if (missing.length)
    throw new CliError(
      `${what} > 0 requires the node selectors ${missing.join(' and ')} (e.g. --worker-node-selectors ${TPU_ACCELERATOR}=tpu-v5-lite-podslice,${TPU_TOPOLOGY}=1x1)`,
    );
}

function resources(
  cpu?: string,
  memory?: string,
  storage?: string,
  gpu?: string,
  tpu?: string,
): { requests?: Obj; limits?: Obj } {
  const requests: Obj = {};
  const limits: Obj = {};
  const put = (into: Obj, key: string, text: string | undefined) => {
    if (!text) return;
    const q = parseQuantity(text);
    if (q && q.milli !== 0n) into[key] = goQuantityString(text);
  };
  put(requests, 'cpu', cpu);
  for (const into of [requests, limits]) {
    put(into, 'memory', memory);
    put(into, 'ephemeral-storage', storage);
    put(into, GPU, gpu);
    put(into, TPU, tpu);
  }
  return {
    ...(Object.keys(requests).length ? { requests } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

const nonEmpty = (m: Record<string, string> | undefined) => (m && Object.keys(m).length ? m : undefined);

function clean<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function gcsFuseAttributes(g: GcsFuseConfig): Record<string, string> {
  return clean({
    bucketName: g['bucket-name'],
    mountOptions: g['mount-options'] || undefined,
    disableMetrics: g['disable-metrics'] === undefined ? undefined : String(g['disable-metrics']),
    gcsfuseMetadataPrefetchOnMount:
      g['gcsfuse-metadata-prefetch-on-mount'] === undefined
        ? undefined
        : String(g['gcsfuse-metadata-prefetch-on-mount']),
    skipCSIBucketAccessCheck:
      g['skip-csi-bucket-access-check'] === undefined ? undefined : String(g['skip-csi-bucket-access-check']),
  }) as Record<string, string>;
}

function gcsFuseAnnotations(g: GcsFuseConfig): Record<string, string> {
  const r = g.resources ?? {};
  return clean({
    'gke-gcsfuse/cpu-request': r.cpu || undefined,
    'gke-gcsfuse/memory-limit': r.memory || undefined,
    'gke-gcsfuse/memory-request': r.memory || undefined,
    'gke-gcsfuse/ephemeral-storage-limit': r['ephemeral-storage'] || undefined,
    'gke-gcsfuse/ephemeral-storage-request': r['ephemeral-storage'] || undefined,
  }) as Record<string, string>;
}

/** The RayCluster spec of a configuration. */
function rayClusterSpec(config: RayClusterConfig): Obj {
  const image = config.image ?? '';
  const sa = config['service-account'] || undefined;
  const fuse = config.gke?.gcsfuse;
  const withFuse = (podSpec: Obj, container: Obj): Obj => {
    if (!fuse) return { spec: podSpec };
    podSpec.volumes = [
      {
        name: 'cluster-storage',
        csi: { driver: 'gcsfuse.csi.storage.gke.io', volumeAttributes: gcsFuseAttributes(fuse) },
      },
    ];
    container.volumeMounts = [{ name: 'cluster-storage', mountPath: fuse['mount-path'] }];
    return { metadata: { annotations: gcsFuseAnnotations(fuse) }, spec: podSpec };
  };
  const h = config.head;
  const headContainer: Obj = clean({
    name: 'ray-head',
    image,
    resources: resources(h.cpu, h.memory, h['ephemeral-storage'], h.gpu),
    ports: [
      { containerPort: 6379, name: 'gcs-server' },
      { containerPort: 8265, name: 'dashboard' },
      { containerPort: 10001, name: 'client' },
    ],
  });
  const headPod = clean({
    serviceAccountName: sa,
    nodeSelector: nonEmpty(h['node-selectors']),
    containers: [headContainer],
  });
  const workers = config['worker-groups'].map((w, i) => {
    const container: Obj = {
      name: 'ray-worker',
      image,
      resources: resources(w.cpu, w.memory, w['ephemeral-storage'], w.gpu, w.tpu),
    };
    const pod = clean({
      serviceAccountName: sa,
      nodeSelector: nonEmpty(w['node-selectors']),
      containers: [container],
    });
    return clean({
      groupName: w.name || (i === 0 ? 'default-group' : `default-group-${i}`),
      replicas: w.replicas,
      numOfHosts: w['num-of-hosts'],
      rayStartParams: nonEmpty(w['ray-start-params']),
      template: withFuse(pod, container),
    });
  });
  const version = config.autoscaler?.version;
  return clean({
    rayVersion: config['ray-version'],
    enableInTreeAutoscaling: version ? true : undefined,
    autoscalerOptions: version ? { version } : undefined,
    headGroupSpec: clean({
      rayStartParams: nonEmpty(h['ray-start-params']),
      template: withFuse(headPod, headContainer),
    }),
    workerGroupSpecs: workers,
  });
}

export function rayClusterObject(config: RayClusterConfig): Obj {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: clean({
      name: config.name,
      namespace: config.namespace,
      labels: nonEmpty(config.labels),
      annotations: nonEmpty(config.annotations),
    }),
    spec: rayClusterSpec(config),
  };
}

interface RayJobOptions {
  readonly name: string;
  readonly namespace: string;
  readonly entrypoint: string;
  readonly ttlSecondsAfterFinished: number;
  readonly cluster: RayClusterConfig;
}

/** The RayJob `kubectl ray job submit` generates: InteractiveMode, the cluster spec from the flags. */
export function rayJobObject(o: RayJobOptions): Obj {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      submissionMode: 'InteractiveMode',
      entrypoint: o.entrypoint,
      ttlSecondsAfterFinished: o.ttlSecondsAfterFinished,
      shutdownAfterJobFinishes: o.ttlSecondsAfterFinished > 0 ? true : undefined,
      rayClusterSpec: rayClusterSpec(o.cluster),
    },
  };
}

const keys = {
  root: [
    'namespace',
    'name',
    'labels',
    'annotations',
    'ray-version',
    'image',
    'service-account',
    'head',
    'gke',
    'autoscaler',
    'worker-groups',
  ],
  head: ['cpu', 'gpu', 'memory', 'ephemeral-storage', 'ray-start-params', 'node-selectors'],
  worker: [
    'name',
    'cpu',
    'gpu',
    'tpu',
    'num-of-hosts',
    'memory',
    'ephemeral-storage',
    'ray-start-params',
    'node-selectors',
    'replicas',
  ],
  gke: ['gcsfuse'],
  gcsfuse: [
    'mount-options',
    'disable-metrics',
    'gcsfuse-metadata-prefetch-on-mount',
    'skip-csi-bucket-access-check',
    'resources',
    'bucket-name',
    'mount-path',
  ],
  fuseResources: ['cpu', 'memory', 'ephemeral-storage'],
  autoscaler: ['version'],
};

function strict(value: unknown, allowed: readonly string[], where: string): Obj {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${where} must be a mapping`);
  for (const k of Object.keys(value))
    if (!allowed.includes(k)) throw new CliError(`field ${k} not found in ${where}`);
  return value as Obj;
}

const asString = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** Reads a `--file` configuration (already YAML-parsed) over KubeRay's defaults. Throws CliError. */
export function parseClusterConfig(
  doc: unknown,
  defaults: { rayVersion: string; image: string },
): RayClusterConfig {
  const root = strict(doc, keys.root, 'the configuration');
  const head = strict(root.head, keys.head, 'head');
  const autoscaler = strict(root.autoscaler, keys.autoscaler, 'autoscaler');
  const gke = strict(root.gke, keys.gke, 'gke');
  const config: RayClusterConfig = {
    namespace: asString(root.namespace),
    name: asString(root.name),
    labels: root.labels as Record<string, string> | undefined,
    annotations: root.annotations as Record<string, string> | undefined,
    'ray-version': asString(root['ray-version']) ?? defaults.rayVersion,
    image: asString(root.image) ?? defaults.image,
    'service-account': asString(root['service-account']),
    head: {
      cpu: asString(head.cpu) ?? '2',
      memory: asString(head.memory) ?? '4Gi',
      gpu: asString(head.gpu),
      'ephemeral-storage': asString(head['ephemeral-storage']),
      'ray-start-params': head['ray-start-params'] as Record<string, string> | undefined,
      'node-selectors': head['node-selectors'] as Record<string, string> | undefined,
    },
    autoscaler: autoscaler.version === undefined ? undefined : { version: String(autoscaler.version) },
    'worker-groups': [{ name: 'default-group', replicas: 1, cpu: '2', memory: '4Gi' }],
  };
  if (root['worker-groups'] !== undefined) {
    if (!Array.isArray(root['worker-groups'])) throw new CliError('worker-groups must be a list');
    config['worker-groups'] = root['worker-groups'].map((w, i) => {
      const g = strict(w, keys.worker, `worker-groups[${i}]`);
      const replicas = g.replicas === undefined ? 0 : Number(g.replicas);
      if (!Number.isInteger(replicas) || replicas < 0)
        throw new CliError(`worker-groups[${i}].replicas must be a non-negative integer`);
      return {
        name: asString(g.name),
        replicas,
        cpu: asString(g.cpu),
        gpu: asString(g.gpu),
        tpu: asString(g.tpu),
        memory: asString(g.memory),
        'ephemeral-storage': asString(g['ephemeral-storage']),
        'num-of-hosts': g['num-of-hosts'] === undefined ? undefined : Number(g['num-of-hosts']),
        'ray-start-params': g['ray-start-params'] as Record<string, string> | undefined,
        'node-selectors': g['node-selectors'] as Record<string, string> | undefined,
      };
    });
  }
  if (gke.gcsfuse !== undefined) {
    const f = strict(gke.gcsfuse, keys.gcsfuse, 'gke.gcsfuse');
    const res = strict(f.resources, keys.fuseResources, 'gke.gcsfuse.resources');
    config.gke = {
      gcsfuse: {
        'bucket-name': asString(f['bucket-name']) ?? '',
        'mount-path': asString(f['mount-path']) ?? '',
        'mount-options': asString(f['mount-options']),
        'disable-metrics': f['disable-metrics'] as boolean | undefined,
        'gcsfuse-metadata-prefetch-on-mount': f['gcsfuse-metadata-prefetch-on-mount'] as boolean | undefined,
        'skip-csi-bucket-access-check': f['skip-csi-bucket-access-check'] as boolean | undefined,
        resources:
          f.resources === undefined
            ? undefined
            : {
                cpu: asString(res.cpu),
                memory: asString(res.memory),
                'ephemeral-storage': asString(res['ephemeral-storage']),
              },
      },
    };
  }
  validateClusterConfig(config);
  return config;
}

export function validateClusterConfig(config: RayClusterConfig): void {
  for (const k of ['cpu', 'gpu', 'memory', 'ephemeral-storage'] as const)
    validateQuantity(config.head[k], `head ${k}`);
  config['worker-groups'].forEach((w, i) => {
    for (const k of ['cpu', 'gpu', 'tpu', 'memory', 'ephemeral-storage'] as const)
      validateQuantity(w[k], `${k} (worker group ${i})`);
    validateTpu(w.tpu, w['node-selectors'], `tpu (worker group ${i})`);
  });
  const v = config.autoscaler?.version;
  if (v !== undefined && v !== 'v1' && v !== 'v2')
    throw new CliError(`autoscaler version must be one of "v1" or "v2", got "${v}"`);
  const fuse = config.gke?.gcsfuse;
  if (fuse) {
    if (!fuse['bucket-name']) throw new CliError('.gcsfuse.bucket-name is required');
    if (!fuse['mount-path']) throw new CliError('.gcsfuse.mount-path is required');
    for (const k of ['cpu', 'memory', 'ephemeral-storage'] as const)
      validateQuantity(fuse.resources?.[k], `gcsfuse.resources.${k}`);
  }
}
