/**
 * node:http and node:https as the operator's code uses them: through `process.getBuiltinModule`, on first use,
 * never by an ESM value import (`import { request } from 'node:http'`). An ESM import builds the module's
 * namespace, which reads node:http's lazy `WebSocket`, `CloseEvent` and `MessageEvent` getters and so loads
 * Node's bundled undici: about 11 MiB of RSS in a process that never opens a WebSocket (docs/performance.md).
 * Type-only imports (`import type { IncomingMessage } from 'node:http'`) cost nothing and stay as they are.
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';

export function nodeHttp(): typeof Http {
  return process.getBuiltinModule('node:http');
}

export function nodeHttps(): typeof Https {
  return process.getBuiltinModule('node:https');
}

/** `request` of node:https for `https:` URLs, of node:http otherwise. */
export function requestFor(url: URL): typeof Http.request {
  return url.protocol === 'https:' ? nodeHttps().request : nodeHttp().request;
}
