import type { ApiHttpServer } from '../http/server.ts';

/** Registers the V2 proxy routes. */
export function registerV2(_server: ApiHttpServer): void {}
