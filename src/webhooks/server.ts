import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { errorMessage } from '../lib/errors.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';
import { nodeHttps } from '../lib/node-http.ts';
import { admit, validatorFor } from './handler.ts';

/** controller-runtime's defaults, which KubeRay keeps. */
export const DEFAULT_WEBHOOK_PORT = 9443;
export const DEFAULT_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface WebhookServerOptions {
  /** Default 9443; 0 picks a free port (see `port` after start). */
  readonly port?: number;
  /** Bind address; default all interfaces. */
  readonly host?: string;
  /** Holds tls.crt and tls.key; default /tmp/k8s-webhook-server/serving-certs. Reloaded when tls.crt changes. */
  readonly certDir?: string;
  readonly logger?: Logger;
}

/** The HTTPS server of the three validating webhooks; a Manager Runnable. All logic lives in handler.ts. */
export class WebhookServer {
  readonly name = 'webhook-server';
  readonly #opts: WebhookServerOptions;
  readonly #log: Logger;
  #server: Server | undefined;
  #certFile = '';

  constructor(options: WebhookServerOptions = {}) {
    this.#opts = options;
    this.#log = (options.logger ?? nullLogger).child({ component: 'webhook-server' });
  }

  /** The bound port (after start). */
  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async start(): Promise<void> {
    const dir = this.#opts.certDir ?? DEFAULT_CERT_DIR;
    this.#certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    const load = () => ({ cert: readFileSync(this.#certFile), key: readFileSync(keyFile) });
    const server = nodeHttps().createServer({ ...load(), minVersion: 'TLSv1.2' }, (req, res) =>
      this.#serve(req, res),
    );
    server.requestTimeout = 30_000;
    this.#server = server;
    watchFile(this.#certFile, { interval: 10_000, persistent: false }, () => {
      try {
        server.setSecureContext(load());
        this.#log.info('reloaded the serving certificate', { certDir: dir });
      } catch (err) {
        this.#log.error('cannot reload the serving certificate', { certDir: dir, error: errorMessage(err) });
      }
    });
    const port = this.#opts.port ?? DEFAULT_WEBHOOK_PORT;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.#opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#log.info('serving webhooks', { port: this.port, certDir: dir });
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    unwatchFile(this.#certFile);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  #serve(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0]!;
    const validator = validatorFor(path);
    if (!validator) return void reply(res, 404, { message: `no webhook at ${path}` });
    if (req.method !== 'POST') return void reply(res, 405, { message: 'only POST is supported' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reply(res, 413, { message: `request body larger than ${MAX_BODY_BYTES} bytes` });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        return void reply(res, 400, { message: `invalid JSON: ${errorMessage(err)}` });
      }
      const out = admit(validator, body);
      const fields = { kind: out.kind, operation: out.operation, namespace: out.namespace, name: out.name };
      if (out.allowed) this.#log.debug('admitted', fields);
      else this.#log.info('denied', { ...fields, message: out.review.response?.status?.message });
      reply(res, 200, out.review);
    });
  }
}

function reply(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
