import { DashboardError } from './dashboard-client.ts';
import type { Transport } from './transport.ts';

/** Health of a Ray Serve proxy actor: GET `/-/healthz` on the pod's serve port. */
export interface RayHttpProxyClient {
  /** Resolves when healthy (HTTP 200); throws with up to 4 KiB of the body otherwise. */
  checkProxyActorHealth(): Promise<void>;
}

export class HttpProxyClient implements RayHttpProxyClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  async checkProxyActorHealth(): Promise<void> {
    const res = await this.#transport.send({ method: 'GET', path: '/-/healthz' });
    if (res.status !== 200)
      throw new DashboardError(
        `proxy health check failed: HTTP ${res.status}: ${res.body.slice(0, 4096)}`,
        res.status,
      );
  }
}
