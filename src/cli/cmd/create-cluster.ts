/** `kubectl ray create cluster NAME`: generate a RayCluster from flags or `--file` and server-side apply it. */
import { readFileSync } from 'node:fs';
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { RAY_IMAGE, RAY_VERSION } from '../commands.ts';
import { CliError, errorLine, wrap } from '../errors.ts';
import { bool, map, num, str, UsageError } from '../flags.ts';
import {
  parseClusterConfig,
  type RayClusterConfig,
  rayClusterObject,
  validateClusterConfig,
  validateQuantity,
  validateTpu,
} from '../generate.ts';
import { connect, FIELD_MANAGER, resolveAccess } from '../kube.ts';
import { waitProvisioned } from '../wait.ts';

/** Flags that only shape the request, not the cluster: the ones `--file` allows next to it. */
const allowedWithFile = new Set([
  'file',
  'context',
  'namespace',
  'kubeconfig',
  'server',
  'token',
  'certificate-authority',
  'insecure-skip-tls-verify',
  'dry-run',
  'wait',
  'timeout',
]);

/** The image: `--image`, else rayproject/ray:<--ray-version> when only the version changed. */
export function resolveImage(inv: Invocation): string {
  const image = str(inv.args, 'image');
  const version = str(inv.args, 'ray-version');
  if (!image || (!inv.args.set.has('image') && version !== RAY_VERSION)) return `rayproject/ray:${version}`;
  return image;
}

export async function configFromFile(inv: Invocation, file: string): Promise<RayClusterConfig> {
  const bad = [...inv.args.set].filter((f) => !allowedWithFile.has(f));
  if (bad.length) throw new CliError(`the following flags are incompatible with --file: [${bad.join(' ')}]`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`failed to parse config file: config file ${file} does not exist`);
  }
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new CliError(`failed to parse config file: ${errorLine(e)}`);
  }
  try {
    return parseClusterConfig(doc, { rayVersion: RAY_VERSION, image: RAY_IMAGE });
  } catch (e) {
    throw new CliError(`failed to validate config file: ${errorLine(e)}`);
  }
}

function configFromFlags(inv: Invocation, name: string, namespace: string): RayClusterConfig {
  const a = inv.args;
  for (const f of [
    'head-cpu',
    'head-gpu',
    'head-memory',
    'head-ephemeral-storage',
    'worker-cpu',
    'worker-gpu',
    'worker-tpu',
    'worker-memory',
    'worker-ephemeral-storage',
  ])
    validateQuantity(str(a, f), f);
  if (num(a, 'worker-replicas') < 0)
    throw new CliError(`--worker-replicas must be a non-negative integer, got ${num(a, 'worker-replicas')}`);
  if (num(a, 'num-of-hosts') < 1)
    throw new CliError(`--num-of-hosts must be at least 1, got ${num(a, 'num-of-hosts')}`);
  validateTpu(str(a, 'worker-tpu'), map(a, 'worker-node-selectors'), '--worker-tpu');
  const autoscaler = str(a, 'autoscaler').toLowerCase();
  if (autoscaler && autoscaler !== 'v1' && autoscaler !== 'v2')
    throw new UsageError(
      `invalid argument "${str(a, 'autoscaler')}" for "--autoscaler" flag: must be one of "v1" or "v2"`,
    );
  const config: RayClusterConfig = {
    namespace,
    name,
    labels: map(a, 'labels'),
    annotations: map(a, 'annotations'),
    'ray-version': str(a, 'ray-version'),
    image: resolveImage(inv),
    head: {
      cpu: str(a, 'head-cpu'),
      memory: str(a, 'head-memory'),
      gpu: str(a, 'head-gpu'),
      'ephemeral-storage': str(a, 'head-ephemeral-storage'),
      'ray-start-params': map(a, 'head-ray-start-params'),
      'node-selectors': map(a, 'head-node-selectors'),
    },
    'worker-groups': [
      {
        name: 'default-group',
        replicas: num(a, 'worker-replicas'),
        'num-of-hosts': num(a, 'num-of-hosts'),
        cpu: str(a, 'worker-cpu'),
        memory: str(a, 'worker-memory'),
        gpu: str(a, 'worker-gpu'),
        tpu: str(a, 'worker-tpu'),
        'ephemeral-storage': str(a, 'worker-ephemeral-storage'),
        'ray-start-params': map(a, 'worker-ray-start-params'),
        'node-selectors': map(a, 'worker-node-selectors'),
      },
    ],
    ...(autoscaler ? { autoscaler: { version: autoscaler } } : {}),
  };
  validateClusterConfig(config);
  return config;
}

export async function createCluster(inv: Invocation): Promise<RunResult> {
  const argName = inv.args.positional[0] ?? '';
  const file = str(inv.args, 'file');
  const nsFlag = str(inv.args, 'namespace');
  let config: RayClusterConfig;
  if (file) {
    config = await configFromFile(inv, file);
    if (config.name && argName && config.name !== argName)
      throw new CliError(
        `the cluster name in the config file "${config.name}" does not match the cluster name "${argName}". You must use the same name to perform this operation`,
      );
    config.name = argName || config.name;
    if (!config.name) throw new CliError('the cluster name is required');
    if (config.namespace && nsFlag && config.namespace !== nsFlag)
      throw new CliError(
        `the namespace in the config file "${config.namespace}" does not match the namespace "${nsFlag}". You must pass --namespace=${config.namespace} to perform this operation`,
      );
  } else {
    if (!argName) throw new UsageError('cluster [CLUSTERNAME]: a cluster name is required');
    config = configFromFlags(inv, argName, '');
  }
  if (bool(inv.args, 'dry-run')) {
    config.namespace = nsFlag || config.namespace || safeNamespace(inv);
    const { stringify } = await import('yaml');
    inv.io.out.write(`${stringify(rayClusterObject(config), { indentSeq: false, sortMapEntries: true })}\n`);
    return 0;
  }
  const kube = connect(inv);
  try {
    config.namespace = nsFlag || config.namespace || kube.namespace;
    const name = config.name!;
    const ns = config.namespace;
    const existing = await kube.client.getOrUndefined(Resources.rayClusters, ns, name).catch((e: unknown) => {
      throw wrap('failed to create Ray cluster', e);
    });
    if (existing) throw new CliError(`the Ray cluster ${name} in namespace ${ns} already exists`);
    const obj = rayClusterObject(config) as { metadata: { name: string } };
    const created = await kube.client
      .apply(Resources.rayClusters, obj, { fieldManager: FIELD_MANAGER })
      .catch((e: unknown) => {
        throw wrap('failed to create Ray cluster', e);
      });
    inv.io.out.write(`Created Ray cluster: ${created.metadata.name}\n`);
    if (bool(inv.args, 'wait')) {
      await waitProvisioned(kube.client, ns, name, num(inv.args, 'timeout'), inv.io.signal);
      inv.io.out.write(`Ray cluster ${name} is provisioned\n`);
    }
    return 0;
  } finally {
    kube.close();
  }
}

/** The namespace for --dry-run: the kubeconfig's when there is one, else `default` (no cluster is needed). */
function safeNamespace(inv: Invocation): string {
  try {
    return resolveAccess(inv).namespace;
  } catch {
    return 'default';
  }
}
