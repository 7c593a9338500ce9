import type { ServerResponse } from 'node:http';

/**
 * Starts a streamed 200 answer (a log, an event stream) that proxies must neither buffer nor transform; `close`
 * ends the connection with the stream, so that a shutdown need not wait for an idle keep-alive socket.
 */
export function startStream(res: ServerResponse, contentType: string, close: boolean): void {
  res.writeHead(200, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
    ...(close ? { Connection: 'close' } : {}),
  });
}
