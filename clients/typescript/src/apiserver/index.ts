/**
 * `@kuberay-ts/client/apiserver`: clients of KubeRay's API server (v1 and v2 routes). Only `fetch`: runs in
 * Node 20+, Bun, Deno and browsers.
 *
 * @example
 * ```ts
 * import { ApiServerV1Client } from '@kuberay-ts/client/apiserver';
 * const api = new ApiServerV1Client({ url: 'http://localhost:31888' });
 * console.log(await api.listClusters());
 * ```
 */
export * from './http.ts';
export * from './v1-client.ts';
export type * from './v1-types.ts';
export * from './v2-client.ts';
