/** The ray.io API: schemas, derived types, wire constants, defaults and validation. */
export * from './constants.ts';
export * from './defaults.ts';
export type * from './k8s-types.ts';
export * from './owner-reference.ts';
export * from './raycluster.ts';
export * from './raycronjob.ts';
export * from './rayjob.ts';
export * from './rayservice.ts';
export { ConditionSchema, K8S_REF } from './schema-helpers.ts';
export * from './validation/index.ts';
