/**
 * Seeded generation of ray.io objects for the fuzz suites: a valid RayCluster, RayJob or RayService, then 1-4
 * mutations at random places. `typed` mutations keep every value's JSON type (what passes the CRD's schema
 * and reaches the operator); `any` mutations may also change types (what only the API server sees).
 * Hostile strings go everywhere a string is: into command lines, labels, env vars, file names.
 */

export type Rand = () => number;

/** Strings that break naive code: shell metacharacters, quoting, newlines, unicode, long, empty, flags. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  '$(touch /tmp/kuberay-ts-fuzz-pwned)',
  '`touch /tmp/kuberay-ts-fuzz-pwned`',
  "'; touch /tmp/kuberay-ts-fuzz-pwned; '",
  '"; touch /tmp/kuberay-ts-fuzz-pwned; "',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, literally, is the point
  '${HOME}',
  'a b\tc',
  'line1\nline2',
  '--help',
  '-',
  '=',
  'a=b=c',
  '\\',
  '"',
  "'",
  '{"json": [1, 2]}',
  'ünïcødé-名前-🚀',
  'UPPER_case.dots',
  'x'.repeat(64),
  'y'.repeat(300),
  '../../etc/passwd',
  '/dev/null',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  '%s%n',
  '\u0000nul',
  'a\r\nb',
];

const hostileNumbers: readonly number[] = [
  -1,
  0,
  1,
  2,
  63,
  64,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  1.5,
];

export function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

export function randomString(rand: Rand): string {
  if (rand() < 0.7) return pick(rand, hostileStrings);
  const alphabet = 'abcXYZ019-_./ $`"\'\\;|&<>(){}[]*?!#~=\n\t';
  const n = Math.floor(rand() * 40);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const template = (container: string) => ({
  metadata: { labels: { app: 'fuzz' }, annotations: { note: 'x' } },
  spec: {
    nodeSelector: { type: 'kwok' },
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
    containers: [
      {
        name: container,
        image: 'rayproject/ray:2.46.0',
        env: [{ name: 'FUZZ', value: 'x' }],
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      },
    ],
  },
});

function clusterSpec(): { [k: string]: Json } {
  return {
    rayVersion: '2.46.0',
    enableInTreeAutoscaling: false,
    headGroupSpec: {
      serviceType: 'ClusterIP',
      rayStartParams: { 'dashboard-host': '0.0.0.0', 'num-cpus': '1' },
      template: template('ray-head'),
    },
    workerGroupSpecs: [
      {
        groupName: 'small',
        replicas: 1,
        minReplicas: 0,
        maxReplicas: 3,
        rayStartParams: { 'num-cpus': '1' },
        template: template('ray-worker'),
      },
      {
        groupName: 'big',
        replicas: 0,
        minReplicas: 0,
        maxReplicas: 2,
        numOfHosts: 1,
        rayStartParams: {},
        template: template('ray-worker'),
      },
    ],
  };
}

/** A valid object of the kind, named `name`. */
export function baseObject(
  kind: 'RayCluster' | 'RayJob' | 'RayService',
  name: string,
): { [k: string]: Json } {
  const metadata = { name, labels: { fuzz: 'true' }, annotations: { 'fuzz/note': 'base' } };
  if (kind === 'RayCluster') return { apiVersion: 'ray.io/v1', kind, metadata, spec: clusterSpec() };
  if (kind === 'RayJob')
    return {
      apiVersion: 'ray.io/v1',
      kind,
      metadata,
      spec: {
        entrypoint: 'python -c "print(1)"',
        runtimeEnvYAML: 'env_vars:\n  A: "1"\n',
        shutdownAfterJobFinishes: true,
        ttlSecondsAfterFinished: 10,
        activeDeadlineSeconds: 600,
        backoffLimit: 0,
        metadata: { owner: 'fuzz' },
        rayClusterSpec: clusterSpec(),
      },
    };
  return {
    apiVersion: 'ray.io/v1',
    kind,
    metadata,
    spec: {
      serveConfigV2:
        'applications:\n  - name: app\n    import_path: fruit.deployment_graph\n    route_prefix: /fruit\n',
      upgradeStrategy: { type: 'NewCluster' },
      rayClusterConfig: clusterSpec(),
    },
  };
}

type Path = (string | number)[];

/** Every path below `spec` (and metadata's labels and annotations), with the node at it. */
function paths(
  obj: Json,
  at: Path = [],
  out: { path: Path; node: Json }[] = [],
): { path: Path; node: Json }[] {
  out.push({ path: at, node: obj });
  if (Array.isArray(obj)) obj.forEach((v, i) => void paths(v, [...at, i], out));
  else if (obj !== null && typeof obj === 'object')
    for (const [k, v] of Object.entries(obj)) paths(v, [...at, k], out);
  return out;
}

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } {
  let node = root;
  for (const k of path.slice(0, -1)) node = (node as Record<string | number, Json>)[k as never]!;
  return { parent: node, key: path[path.length - 1]! };
}

function set(root: Json, path: Path, value: Json | undefined): void {
  const { parent, key } = parentOf(root, path);
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(key as number, 1);
    else parent[key as number] = value;
  } else if (parent && typeof parent === 'object') {
    if (value === undefined) delete parent[key as string];
    else parent[key as string] = value;
  }
}

/** One mutation at a random place of `spec` or of metadata's labels/annotations. */
export function mutate(rand: Rand, obj: { [k: string]: Json }, mode: 'typed' | 'any'): string {
  const candidates = paths(obj).filter(
    ({ path }) =>
      path.length >= 2 &&
      (path[0] === 'spec' || (path[0] === 'metadata' && (path[1] === 'labels' || path[1] === 'annotations'))),
  );
  const { path, node } = pick(rand, candidates);
  const where = path.join('.');
  const r = rand();
  if (mode === 'any' && r < 0.15) {
    const value = pick<Json>(rand, [42, 'str', true, null, [], {}, [1, 'a']]);
    set(obj, path, value);
    return `${where} = ${JSON.stringify(value)} (any type)`;
  }
  if (typeof node === 'string') {
    const value = randomString(rand);
    set(obj, path, value);
    return `${where} = ${JSON.stringify(value)}`;
  }
  if (typeof node === 'number') {
    const value = pick(rand, hostileNumbers);
    set(obj, path, value);
    return `${where} = ${value}`;
  }
  if (typeof node === 'boolean') {
    set(obj, path, !node);
    return `${where} = ${!node}`;
  }
  if (Array.isArray(node)) {
    if (node.length > 0 && r < 0.4) {
      node.push(structuredClone(node[0]!));
      return `${where}: first item duplicated`;
    }
    if (node.length > 0 && r < 0.7) {
      node.splice(Math.floor(rand() * node.length), 1);
      return `${where}: an item removed`;
    }
    node.length = 0;
    return `${where}: emptied`;
  }
  if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length > 0 && r < 0.5) {
      const k = pick(rand, keys);
      delete node[k];
      return `${where}.${k} removed`;
    }
    const k = randomString(rand) || 'k';
    node[k] = randomString(rand);
    return `${where}[${JSON.stringify(k)}] added`;
  }
  return `${where}: unchanged`;
}

export interface Generated {
  readonly kind: 'RayCluster' | 'RayJob' | 'RayService';
  readonly object: { [k: string]: Json };
  /** What was changed, for the report of a failure. */
  readonly mutations: readonly string[];
}

/** The i-th object of a seeded sequence. */
export function generate(rand: Rand, name: string, mode: 'typed' | 'any'): Generated {
  const kind = pick(rand, ['RayCluster', 'RayCluster', 'RayJob', 'RayService'] as const);
  const object = baseObject(kind, name);
  const n = 1 + Math.floor(rand() * 4);
  const mutations: string[] = [];
  for (let i = 0; i < n; i++) mutations.push(mutate(rand, object, mode));
  return { kind, object, mutations };
}
