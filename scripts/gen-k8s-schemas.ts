/**
 * Generates src/api/k8s-schemas.generated.json: self-contained CRD structural schemas for the Kubernetes types
 * the ray.io CRDs embed (PodTemplateSpec, Service, ...), taken from the REAL API server's OpenAPI v3 document.
 *
 * Usage: node_modules/.bin/node scripts/gen-k8s-schemas.ts   (starts a private control plane, ~10 s)
 *
 * The conversion (`toStructural`) is pure and unit-tested in gen-k8s-schemas.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

/** The embedded types, by the short name the ray.io schemas use, and their OpenAPI v3 component names. */
export const ROOTS: Readonly<Record<string, string>> = {
  PodTemplateSpec: 'io.k8s.api.core.v1.PodTemplateSpec',
  Service: 'io.k8s.api.core.v1.Service',
  ResourceRequirements: 'io.k8s.api.core.v1.ResourceRequirements',
  SecurityContext: 'io.k8s.api.core.v1.SecurityContext',
  EnvVar: 'io.k8s.api.core.v1.EnvVar',
  EnvVarSource: 'io.k8s.api.core.v1.EnvVarSource',
  EnvFromSource: 'io.k8s.api.core.v1.EnvFromSource',
  VolumeMount: 'io.k8s.api.core.v1.VolumeMount',
  IngressTLS: 'io.k8s.api.networking.v1.IngressTLS',
  NetworkPolicyIngressRule: 'io.k8s.api.networking.v1.NetworkPolicyIngressRule',
  NetworkPolicyEgressRule: 'io.k8s.api.networking.v1.NetworkPolicyEgressRule',
};

/** The OpenAPI v3 group-version documents that hold the roots and everything they reference. */
export const DOCUMENTS = ['/openapi/v3/api/v1', '/openapi/v3/apis/networking.k8s.io/v1'] as const;

const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** Types replaced by a fixed schema (as controller-gen renders them in CRDs). */
const SPECIAL: Readonly<Record<string, Schema>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: QUANTITY_PATTERN,
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
  // Embedded object metadata: only the fields an embedded template may carry (as KubeRay's CRDs do).
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      finalizers: { type: 'array', items: { type: 'string' } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      name: { type: 'string' },
      namespace: { type: 'string' },
    },
  },
};

/** Keywords copied as they are. Everything else (descriptions, patch strategies, unions, GVKs, enums) is dropped. */
const KEEP = new Set([
  'type',
  'format',
  'required',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'nullable',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
]);

const KEEP_FORMATS = new Set(['int32', 'int64', 'double', 'float', 'date-time', 'byte']);

/** `{}` and `[]` defaults only mark Go struct/slice zero values; CRDs do not carry them. Scalar defaults stay. */
function isEmptyComposite(v: Json): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function refName(ref: string): string {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref '${ref}'`);
  return ref.slice(prefix.length);
}

const isZeroScalar = (v: Json | undefined): boolean => v === '' || v === 0 || v === false;

/**
 * Kubernetes' OpenAPI marks Go zero values as defaults everywhere; a zero default on a required property,
 * a list item or a map value says nothing (controller-gen omits those), so drop it there.
 */
function dropRedundantZeroDefaults(s: Schema): void {
  const required = Array.isArray(s.required) ? s.required : [];
  for (const [name, prop] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
    if (required.includes(name) && isZeroScalar(prop.default)) delete prop.default;
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const child = s[key];
    if (child && typeof child === 'object' && !Array.isArray(child) && isZeroScalar(child.default))
      delete child.default;
  }
}

/**
 * A list-map key must be required or defaulted in a CRD. Kubernetes marks such optional keys with a zero-value
 * default (e.g. `imagePullSecrets[].name: ""`), which the general rule drops; put it back here.
 */
function keyDefaults(list: Schema): void {
  const keys = list['x-kubernetes-list-map-keys'];
  const items = list.items as Schema | undefined;
  if (!Array.isArray(keys) || !items) return;
  const required = Array.isArray(items.required) ? items.required : [];
  const props = (items.properties ?? {}) as Record<string, Schema>;
  for (const k of keys) {
    const prop = props[k as string];
    if (!prop || required.includes(k) || prop.default !== undefined) continue;
    prop.default = prop.type === 'integer' ? 0 : '';
  }
}

/**
 * Resolves `name` in `components` into a self-contained CRD structural schema: `$ref`/`allOf` inlined,
 * descriptions, enums and empty-object defaults dropped, Quantity/IntOrString rendered as int-or-string,
 * embedded ObjectMeta narrowed. Throws on a reference cycle (CRD schemas cannot express recursion).
 */
export function toStructural(components: Readonly<Record<string, Json>>, name: string): Schema {
  const resolve = (n: string, stack: readonly string[]): Schema => {
    const special = SPECIAL[n];
    if (special) return structuredClone(special);
    if (stack.includes(n)) throw new Error(`reference cycle: ${[...stack, n].join(' -> ')}`);
    const s = components[n];
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw new Error(`unknown schema '${n}'`);
    return convert(s, [...stack, n]);
  };
  const convert = (s: Schema, stack: readonly string[]): Schema => {
    let out: Schema = {};
    const ref = s.$ref;
    if (typeof ref === 'string') out = resolve(refName(ref), stack);
    const allOf = s.allOf;
    if (Array.isArray(allOf)) for (const part of allOf) out = { ...out, ...convert(part as Schema, stack) };
    for (const [k, v] of Object.entries(s)) {
      if (k === 'format') {
        if (typeof v === 'string' && KEEP_FORMATS.has(v)) out.format = v;
      } else if (k === 'required' && Array.isArray(v)) out.required = [...v].sort();
      else if (KEEP.has(k)) out[k] = structuredClone(v);
      else if (k === 'default' && !isEmptyComposite(v)) out.default = structuredClone(v);
      else if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) {
        const props: Schema = {};
        for (const p of Object.keys(v).sort()) props[p] = convert(v[p] as Schema, stack);
        out.properties = props;
      } else if (k === 'items') out.items = convert(v as Schema, stack);
      else if (k === 'additionalProperties' && typeof v === 'object' && v !== null) {
        out.additionalProperties = convert(v as Schema, stack);
      }
    }
    if (out.properties && !out.type) out.type = 'object';
    dropRedundantZeroDefaults(out);
    keyDefaults(out);
    return out;
  };
  return resolve(name, []);
}

/** Renders the generated file's content for the given OpenAPI component maps (merged). */
export function renderSchemas(components: Readonly<Record<string, Json>>, kubernetesVersion: string): string {
  const schemas: Schema = {};
  for (const short of Object.keys(ROOTS).sort()) schemas[short] = toStructural(components, ROOTS[short]!);
  const file = { generatedBy: 'scripts/gen-k8s-schemas.ts', kubernetesVersion, schemas };
  return `${JSON.stringify(file, null, 1)}\n`;
}

async function main(): Promise<void> {
  const { ControlPlane } = await import('../src/devcluster/controlplane.ts');
  const cp = await ControlPlane.start({});
  try {
    const client = cp.client();
    const components: Record<string, Json> = {};
    for (const path of DOCUMENTS) {
      const doc = await client.request<{ components: { schemas: Record<string, Json> } }>('GET', path);
      Object.assign(components, doc.components.schemas);
    }
    const version = await client.request<{ gitVersion: string }>('GET', '/version');
    client.close();
    const out = join(import.meta.dirname, '..', 'src', 'api', 'k8s-schemas.generated.json');
    writeFileSync(out, renderSchemas(components, version.gitVersion));
    console.log(`wrote ${out}`);
  } finally {
    await cp.stop();
  }
}

if (import.meta.main) await main();
