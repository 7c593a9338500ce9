/**
 * The ray.io API: derived types, wire constants, defaults and validation. The TypeBox schemas the types are
 * derived from are re-exported as types only: building them costs the operator ~200 modules and several MiB at
 * start, and only the CRD generator (src/api/crd.ts) needs their values (it imports the schema files itself).
 */
export * from './constants.ts';
export * from './defaults.ts';
export type * from './k8s-types.ts';
export * from './owner-reference.ts';
export type * from './raycluster.ts';
export type * from './raycronjob.ts';
export type * from './rayjob.ts';
export type * from './rayservice.ts';
export * from './validation/index.ts';
