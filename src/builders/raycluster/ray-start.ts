import type { Container } from '../../api/index.ts';
import { parseQuantity, quantityValue } from '../common/quantity.ts';
import { defaultPorts } from './constants.ts';
import { quoteShellValue, quoteShellWord } from './shell.ts';

const migKey = /^nvidia\.com\/mig-\d+g\.\d+gb$/;

/** Resource names counted as GPUs: keys ending in "gpu" or NVIDIA MIG profiles. */
export function isGpuKey(key: string): boolean {
  const k = key.toLowerCase();
  return k.endsWith('gpu') || migKey.test(k);
}

const acceleratorKeys: Readonly<Record<string, string>> = {
  'aws.amazon.com/neuroncore': 'neuron_cores',
  'google.com/tpu': 'TPU',
};

function formatFloat(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n);
}

/** Applies a group's `resources` map to its rayStartParams, returning a new map. */
export function applyGroupResources(
  params: Record<string, string>,
  resources: Record<string, string> | undefined,
): Record<string, string> {
  if (!resources || Object.keys(resources).length === 0) return params;
  const out = { ...params };
  const custom: Record<string, number> = {};
  for (const [key, value] of Object.entries(resources)) {
    const q = parseQuantity(value);
    if (!q) continue;
    const k = key.toLowerCase();
    if (k === 'cpu') out['num-cpus'] = String(quantityValue(q));
    else if (k === 'memory') out.memory = String(quantityValue(q));
    else if (isGpuKey(k)) out['num-gpus'] = String(quantityValue(q));
    else custom[key] = Number(q.milli) / 1000;
  }
  if (Object.keys(custom).length > 0) out.resources = `'${sortedJson(custom)}'`;
  return out;
}

function sortedJson(map: Record<string, number>): string {
  const keys = Object.keys(map).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${formatFloat(map[k]!)}`).join(',')}}`;
}

/** `labels=k1=v1,k2=v2` with keys sorted. */
export function labelsParam(labels: Record<string, string> | undefined): string | undefined {
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/**
 * The rayStartParams a group's Ray container starts with: the group's own, its `resources` and `labels` applied
 * over them, then KubeRay's defaults where unset (the head's dashboard host, a worker's head address, the metrics
 * and dashboard agent ports) and `block`.
 */
export function groupStartParams(
  group: {
    readonly nodeType: 'head' | 'worker';
    readonly params: Record<string, string>;
    readonly resources: Record<string, string> | undefined;
    readonly groupLabels: Record<string, string> | undefined;
  },
  headAddress: string,
): Record<string, string> {
  const params = applyGroupResources({ ...group.params }, group.resources);
  const labels = labelsParam(group.groupLabels);
  if (labels !== undefined) params.labels = labels;
  if (group.nodeType === 'head') params['dashboard-host'] ??= '0.0.0.0';
  else params.address ??= headAddress;
  params['metrics-export-port'] ??= String(defaultPorts.metrics);
  params['dashboard-agent-listen-port'] ??= String(defaultPorts.dashboardAgent);
  params.block = 'true';
  return params;
}

/** Fills num-cpus / memory / num-gpus / accelerator resources from the Ray container (only when absent). */
export function addContainerResourceParams(
  params: Record<string, string>,
  container: Container,
): Record<string, string> {
  const out = { ...params };
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  if (!('num-cpus' in out)) {
    const cpu = parseQuantity(limits.cpu) ?? parseQuantity(requests.cpu);
    if (cpu && cpu.milli !== 0n) out['num-cpus'] = String(quantityValue(cpu));
  }
  if (!('memory' in out)) {
    const mem = parseQuantity(limits.memory);
    if (mem && mem.milli !== 0n) out.memory = String(quantityValue(mem));
  }
  const limitKeys = Object.keys(limits).sort();
  if (!('num-gpus' in out)) {
    for (const k of limitKeys) {
      if (!isGpuKey(k)) continue;
      const q = parseQuantity(limits[k]);
      if (q && q.milli > 0n) out['num-gpus'] = String(quantityValue(q));
      break;
    }
  }
  for (const k of limitKeys) {
    const rayName = acceleratorKeys[k];
    if (!rayName) continue;
    const q = parseQuantity(limits[k]);
    if (!q || q.milli <= 0n) break;
    const existing = out.resources;
    let map: Record<string, number> = {};
    if (existing !== undefined) {
      try {
        const parsed = JSON.parse(existing.replace(/^['"`\s]+|['"`\s]+$/g, '').replaceAll('\\"', '"'));
        if (!parsed || typeof parsed !== 'object') break;
        map = parsed as Record<string, number>;
      } catch {
        break;
      }
    }
    if (Object.values(acceleratorKeys).some((n) => n in map)) break;
    map[rayName] = Number(quantityValue(q));
    out.resources = `'${sortedJson(map)}'`;
    break;
  }
  return out;
}

const alwaysValued = new Set(['log-color', 'include-dashboard', 'include-log-monitor']);

/**
 * Renders the flags: sorted keys, booleans as bare switches (false dropped) except for three flags, each flag
 * with a leading and trailing space. Every key and value is shell-quoted (see shell.ts); plain keys and safe
 * values come out unchanged, as KubeRay writes them.
 */
export function renderFlags(params: Record<string, string>): string {
  let out = '';
  for (const key of Object.keys(params).sort()) {
    const value = params[key]!;
    const lower = value.toLowerCase();
    const flag = quoteShellWord(`--${key}`);
    if ((lower === 'true' || lower === 'false') && !alwaysValued.has(key)) {
      if (lower === 'true') out += ` ${flag} `;
      continue;
    }
    out += ` ${flag}=${quoteShellValue(value)} `;
  }
  return out;
}

export function rayStartCommand(nodeType: 'head' | 'worker', params: Record<string, string>): string {
  return `${nodeType === 'head' ? 'ray start --head' : 'ray start'} ${renderFlags(params)}`;
}

/**
 * The container command: when the user command does not already run `ray start` and the cluster does
 * not ask to keep it, wrap it in bash with the ulimit and the generated command.
 */
export function containerCommand(
  container: Container,
  rayStart: string,
  overwrite: boolean,
  loginShell: boolean,
): { command?: string[]; args?: string[] } {
  const cmd = [...(container.command ?? []), ...(container.args ?? [])].map((x) => ` ${x} `).join('');
  if (overwrite || cmd.includes('ray start')) return { command: container.command, args: container.args };
  const prefix = cmd === '' ? '' : `${cmd} && `;
  return {
    command: bashWrapper(loginShell),
    args: [`${prefix}ulimit -n \${RAY_START_ULIMIT_OPEN_FILES:-65536}; ${rayStart}`],
  };
}

export function bashWrapper(loginShell: boolean): string[] {
  return ['/bin/bash', loginShell ? '-cl' : '-c', '--'];
}
