import { ApiServerLabels, ApiServerLabelValues } from '../../api/constants.ts';
import type { Decoded } from './proto-json.ts';

/** The labels KubeRay's server puts on a compute-template ConfigMap (and selects them by). */

interface ApiToleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** A ComputeTemplate message as decoded (JSON names, zero values possibly absent). */
export interface ApiComputeTemplate {
  readonly name?: string;
  readonly namespace?: string;
  readonly cpu?: number;
  readonly memory?: number;
  readonly gpu?: number;
  readonly gpuAccelerator?: string;
  readonly tolerations?: readonly ApiToleration[];
  readonly extendedResources?: Readonly<Record<string, number>>;
  readonly memoryUnit?: string;
}

interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  data: Record<string, string>;
}

/** Go's json.Marshal of a map (keys sorted), `null` for none, as KubeRay stores extended resources. */
function goJsonMap(m: Readonly<Record<string, number>> | undefined): string {
  if (!m || Object.keys(m).length === 0) return m ? '{}' : 'null';
  return JSON.stringify(Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** Go's json.Marshal of the tolerations (protobuf struct tags: omitempty, declaration order). */
function goJsonTolerations(ts: readonly ApiToleration[]): string {
  return JSON.stringify(
    ts.map((t) => ({
      ...(t.key ? { key: t.key } : {}),
      ...(t.operator ? { operator: t.operator } : {}),
      ...(t.value ? { value: t.value } : {}),
      ...(t.effect ? { effect: t.effect } : {}),
    })),
  );
}

/** The ConfigMap KubeRay's server stores for a compute template, key for key, so both servers can share them. */
export function computeTemplateToConfigMap(t: ApiComputeTemplate): ConfigMap {
  const name = t.name ?? '';
  const data: Record<string, string> = {
    name,
    namespace: t.namespace ?? '',
    cpu: String(t.cpu ?? 0),
    memory: String(t.memory ?? 0),
    gpu: String(t.gpu ?? 0),
    gpu_accelerator: t.gpuAccelerator ?? '',
    extended_resources: goJsonMap(t.extendedResources),
  };
  if (t.tolerations && t.tolerations.length > 0) data.tolerations = goJsonTolerations(t.tolerations);
  if (t.memoryUnit) data.memory_unit = t.memoryUnit;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: t.namespace ?? '',
      labels: {
        [ApiServerLabels.configType]: ApiServerLabelValues.computeTemplateConfig,
        [ApiServerLabels.computeTemplate]: name,
      },
    },
    data,
  };
}

/** Go's strconv.ParseUint(s, 10, 32) with the error ignored: 0 unless a plain decimal in range. */
function parseUint32(s: string | undefined): number {
  if (!s || !/^\d+$/.test(s)) return 0;
  const n = Number(s);
  return n <= 4294967295 ? n : 0;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A stored ConfigMap back to the message (the ConfigMap's own name and namespace, as KubeRay reads them). */
export function configMapToComputeTemplate(cm: {
  metadata?: { name?: string; namespace?: string };
  data?: Readonly<Record<string, string>>;
}): ApiComputeTemplate & Decoded {
  const data = cm.data ?? {};
  const ext = parseJson(data.extended_resources);
  const tol = parseJson(data.tolerations);
  const extendedResources =
    ext && typeof ext === 'object' && !Array.isArray(ext)
      ? Object.fromEntries(
          Object.entries(ext as Record<string, unknown>).filter(
            ([, v]) => typeof v === 'number' && v >= 0,
          ) as [string, number][],
        )
      : undefined;
  const tolerations = Array.isArray(tol)
    ? tol
        .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
        .map((x) => ({
          key: String(x.key ?? ''),
          operator: String(x.operator ?? ''),
          value: String(x.value ?? ''),
          effect: String(x.effect ?? ''),
        }))
    : undefined;
  return {
    name: cm.metadata?.name ?? '',
    namespace: cm.metadata?.namespace ?? '',
    cpu: parseUint32(data.cpu),
    memory: parseUint32(data.memory),
    gpu: parseUint32(data.gpu),
    gpuAccelerator: data.gpu_accelerator ?? '',
    ...(tolerations ? { tolerations } : {}),
    ...(extendedResources ? { extendedResources } : {}),
    ...(data.memory_unit ? { memoryUnit: data.memory_unit } : {}),
  };
}
