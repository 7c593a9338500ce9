import type { SchemaOptions } from '@sinclair/typebox';
import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import type { Condition, ObjectMeta } from './k8s-types.ts';

/**
 * Small builders over TypeBox that produce the shapes a CRD structural schema wants: `enum` lists (not
 * `anyOf` of consts), int32/int64 formats, string maps, CEL rules, and references to embedded Kubernetes types.
 */

/** The marker key of a reference to an embedded Kubernetes type; `crd.ts` replaces it with the generated schema. */
export const K8S_REF = 'x-kuberay-ts-k8s-ref';

/** A string restricted to `values`, rendered as `{type: string, enum: [...]}`. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

export function Int32(options: SchemaOptions = {}) {
  return Type.Integer({ format: 'int32', ...options });
}

export function Int64(options: SchemaOptions = {}) {
  return Type.Integer({ format: 'int64', ...options });
}

/** A map from string keys to `value`, rendered as `additionalProperties` (CRDs reject `patternProperties`). */
export function MapOf<T extends TSchema>(
  value: T,
  options: SchemaOptions = {},
): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({ ...options, type: 'object', additionalProperties: value });
}

export function StringMap(options: SchemaOptions = {}) {
  return MapOf(Type.String(), options);
}

/** A metav1.Time: an RFC 3339 string. */
export function Time(options: SchemaOptions = {}) {
  return Type.String({ format: 'date-time', ...options });
}

/** A resource.Quantity: integer or string, as Kubernetes renders it in CRDs. */
export function Quantity(options: SchemaOptions = {}) {
  return Type.Unsafe<string | number>({
    ...options,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern:
      '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    'x-kubernetes-int-or-string': true,
  });
}

interface CelRule {
  readonly rule: string;
  readonly message: string;
}

/** Adds `x-kubernetes-validations` (CEL rules) to a schema. */
export function Cel<T extends TSchema>(schema: T, rules: readonly CelRule[]): T {
  return { ...schema, 'x-kubernetes-validations': rules.map((r) => ({ rule: r.rule, message: r.message })) };
}

/**
 * A reference to an embedded Kubernetes type by its short name in `k8s-schemas.generated.json`
 * (e.g. `PodTemplateSpec`). The TypeScript type comes from `k8s-types.ts`.
 */
export function K8sRef<T>(name: string, options: SchemaOptions = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ ...options, [K8S_REF]: name });
}

/** metav1.Condition as the API server's CRDs render it. */
const ConditionSchema = Type.Object({
  lastTransitionTime: Time(),
  message: Type.String({ maxLength: 32768 }),
  observedGeneration: Type.Optional(Int64({ minimum: 0 })),
  reason: Type.String({ maxLength: 1024, minLength: 1, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
  status: StringEnum(['True', 'False', 'Unknown']),
  type: Type.String({
    maxLength: 316,
    pattern:
      '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
  }),
});

/** A list of conditions keyed by `type`. */
export function Conditions() {
  return Type.Array(Type.Unsafe<Condition>(ConditionSchema), {
    'x-kubernetes-list-map-keys': ['type'],
    'x-kubernetes-list-type': 'map',
  });
}

/**
 * The schema of a whole ray.io object: apiVersion, kind, metadata (an object; the API server validates it) and
 * the kind's spec and status.
 */
export function KindSchema<Spec extends TSchema, Status extends TSchema>(spec: Spec, status: Status) {
  return Type.Object({
    apiVersion: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    metadata: Type.Optional(Type.Unsafe<ObjectMeta>({ type: 'object' })),
    spec: Type.Optional(spec),
    status: Type.Optional(status),
  });
}
