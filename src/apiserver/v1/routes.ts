import type { ApiHttpServer } from '../http/server.ts';

/** Registers the V1 services (filled in service by service). */
export function registerV1(_server: ApiHttpServer): void {}
