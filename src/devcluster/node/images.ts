import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The Ray version scripts/install-ray.sh installs (keep the two in step). */
const RAY_VERSION = '2.52.1';

/** Where the pinned Ray virtual environment lives. */
export function rayVenvDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.KUBERAY_TS_CACHE ?? join(homedir(), '.cache', 'kuberay-ts');
  return join(cache, `ray-venv-${env.KUBERAY_TS_RAY_VERSION ?? RAY_VERSION}`);
}

/** The repository root (for the operator image, which runs this repository's sources). */
export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

/** How one image runs on the local node: no image is pulled, a local runtime stands in for it. */
export interface ImageRuntime {
  /** A short name for logs and messages. */
  readonly runtime: string;
  /** Directories put first on the container's PATH. */
  readonly path: readonly string[];
  /** Environment the "image" sets (the container's own env wins). */
  readonly env: Readonly<Record<string, string>>;
  /** The image's ENTRYPOINT (a container `command` replaces it). */
  readonly entrypoint?: readonly string[];
  /** The image's CMD (container `args` replace it). */
  readonly cmd?: readonly string[];
  /** Rewrites a command (e.g. the operator image's `/manager`) into the local equivalent. */
  readonly rewrite?: (argv: readonly string[]) => string[];
  /** Working directory when the container sets none. */
  readonly workingDir?: string;
  /** Why the runtime is not usable on this machine (missing install), or undefined when it is. */
  readonly missing?: () => string | undefined;
}

/** One row of the table: which image references map to which runtime. */
interface ImageRule {
  /** Repository names (after dropping a `docker.io/` / `docker.io/library/` prefix), any tag or digest. */
  readonly repositories: readonly string[];
  readonly make: (env: NodeJS.ProcessEnv) => ImageRuntime;
}

const hostTools: ImageRuntime = { runtime: 'host', path: [], env: {}, cmd: ['/bin/sh'] };

/** curl images (rancher/curl, curlimages/curl): the host's curl as ENTRYPOINT, as their images set it. */
const curlRuntime = (): ImageRuntime => ({
  runtime: 'host curl',
  path: [],
  env: {},
  entrypoint: ['curl'],
  missing: () =>
    findOnPath('curl', CONTAINER_DEFAULT_PATH, existsSync)
      ? undefined
      : `curl is not on the pods' PATH (${CONTAINER_DEFAULT_PATH}): run scripts/install-deps.sh (apt-get install curl)`,
});

const rayRuntime = (env: NodeJS.ProcessEnv): ImageRuntime => {
  const venv = rayVenvDir(env);
  return {
    runtime: `ray-venv ${venv}`,
    path: [join(venv, 'bin')],
    env: {
      VIRTUAL_ENV: venv,
      KUBERAY_TS_IMAGE_PATH: join(venv, 'bin'),
      // Pods have no route out: usage stats could not be sent anyway.
      RAY_USAGE_STATS_ENABLED: '0',
      // The dashboard gives its subprocess modules 30 s to start; a busy 2-core machine can need more.
      RAY_DASHBOARD_SUBPROCESS_MODULE_WAIT_READY_TIMEOUT: '300',
    },
    cmd: ['/bin/bash'],
    missing: () =>
      existsSync(join(venv, '.complete'))
        ? undefined
        : `Ray is not installed in ${venv}: run scripts/install-ray.sh`,
  };
};

/**
 * One of our own programs as an image (`src/main/<program>.ts` on Node): the image's command `/<program>` or
 * `<program>` runs it with the rest of the argv, which is how KubeRay's manifests call it (the operator chart runs
 * `/manager <flags>`, the API server chart gives args only or `/apiserver`, the light-weight submitter sample runs
 * `/submitter <flags> -- <entrypoint>`); any other argv passes through unchanged. With `launcher` (a script under
 * scripts/ that ends in `exec node <its flags> "$@"`, found on the image's PATH) the program starts through it, as
 * the image's own command does.
 */
const nodeProgramRuntime =
  (program: string, command: string, launcher?: string): (() => ImageRuntime) =>
  () => {
    const bin = join(repoRoot, 'node_modules', '.bin');
    const node = join(bin, 'node');
    const entry = join(repoRoot, 'src', 'main', `${program}.ts`);
    const start = launcher ? ['/bin/sh', join(repoRoot, 'scripts', launcher), entry] : [node, entry];
    return {
      runtime: `kuberay-ts ${program}`,
      path: [bin],
      env: { KUBERAY_TS_IMAGE_PATH: bin },
      entrypoint: start,
      workingDir: repoRoot,
      rewrite: (argv) =>
        argv[0] === `/${command}` || argv[0] === command ? [...start, ...argv.slice(1)] : [...argv],
      missing: () => (existsSync(node) ? undefined : `${node} is missing: run npm ci`),
    };
  };
// The image's /manager execs scripts/operator-node.sh (the operator's Node flags, docs/decisions/0013).
const operatorRuntime = nodeProgramRuntime('operator', 'manager', 'operator-node.sh');
const apiserverRuntime = nodeProgramRuntime('apiserver', 'apiserver');
const submitterRuntime = nodeProgramRuntime('submitter', 'submitter');

/**
 * The PATH a container gets after its image runtime's own directories (Debian's default). scripts/install-deps.sh
 * looks for host tools the pods run (redis-server) on this same PATH.
 */
export const CONTAINER_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The first `<dir>/<name>` for which `exists` holds, over the directories of `path`, as a shell looks it up. */
export function findOnPath(name: string, path: string, exists: (p: string) => boolean): string | undefined {
  for (const dir of path.split(':')) {
    if (!dir) continue;
    const p = join(dir, name);
    if (exists(p)) return p;
  }
  return undefined;
}

/** Why the redis image cannot run here: redis-server must be on the pods' PATH (the one rule, see above). */
export function redisServerMissing(exists: (p: string) => boolean = existsSync): string | undefined {
  return findOnPath('redis-server', CONTAINER_DEFAULT_PATH, exists)
    ? undefined
    : `redis-server is not on the pods' PATH (${CONTAINER_DEFAULT_PATH}): run scripts/install-deps.sh (apt-get install redis-server)`;
}

const redisRuntime = (): ImageRuntime => ({
  runtime: 'redis-server',
  path: [],
  env: {},
  cmd: ['redis-server', '--protected-mode', 'no'],
  missing: () => redisServerMissing(),
});

/** The table. Add a row to support another image. */
const imageTable: readonly ImageRule[] = [
  { repositories: ['rayproject/ray', 'rayproject/ray-ml'], make: rayRuntime },
  {
    repositories: ['quay.io/kuberay/operator', 'kuberay/operator', 'kuberay-ts/operator'],
    make: operatorRuntime,
  },
  {
    repositories: ['quay.io/kuberay/apiserver', 'kuberay/apiserver', 'kuberay-ts/apiserver'],
    make: apiserverRuntime,
  },
  {
    repositories: ['quay.io/kuberay/submitter', 'kuberay/submitter', 'kuberay-ts/submitter'],
    make: submitterRuntime,
  },
  { repositories: ['redis'], make: redisRuntime },
  { repositories: ['busybox', 'debian', 'ubuntu', 'bash'], make: () => hostTools },
  { repositories: ['rancher/curl', 'curlimages/curl'], make: curlRuntime },
];

/** The repository part of an image reference: no tag, no digest, no docker.io prefix. */
export function imageRepository(image: string): string {
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  for (const prefix of ['docker.io/library/', 'docker.io/', 'index.docker.io/library/', 'index.docker.io/'])
    if (ref.startsWith(prefix)) return ref.slice(prefix.length);
  if (ref.startsWith('library/')) return ref.slice('library/'.length);
  return ref;
}

type ImageResolution =
  | { readonly ok: true; readonly runtime: ImageRuntime }
  | { readonly ok: false; readonly reason: 'ErrImagePull' | 'InvalidImageName'; readonly message: string };

/** Maps an image reference to its local runtime, or to the waiting reason and message the container shows. */
export function resolveImage(
  image: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  table: readonly ImageRule[] = imageTable,
): ImageResolution {
  if (!image?.trim()) return { ok: false, reason: 'InvalidImageName', message: 'the container has no image' };
  const repo = imageRepository(image);
  const rule = table.find((r) => r.repositories.includes(repo));
  if (!rule) {
    const known = table.flatMap((r) => r.repositories).join(', ');
    return {
      ok: false,
      reason: 'ErrImagePull',
      message: `image "${image}" is not available on the local node (it runs images from a table: ${known})`,
    };
  }
  const runtime = rule.make(env);
  const missing = runtime.missing?.();
  if (missing) return { ok: false, reason: 'ErrImagePull', message: `image "${image}": ${missing}` };
  return { ok: true, runtime };
}
