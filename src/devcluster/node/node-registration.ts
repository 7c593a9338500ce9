import { arch, hostname, release } from 'node:os';
import type { Pod } from '../../api/k8s-types.ts';
import { isAlreadyExists, isNotFound } from '../../k8s/api-error.ts';
import type { RestClient } from '../../k8s/rest.ts';
import type { Logger } from '../../lib/logger.ts';
import type { NodeResources } from './capacity.ts';
import type { NodeNetwork } from './ippool.ts';
import { nodeObject, nodeStatus } from './node-object.ts';

/** The Node object's life: registration, status heartbeats, the Lease, and waiting until it is schedulable. */
export class NodeRegistration {
  readonly name: string;
  readonly #client: RestClient;
  readonly #net: NodeNetwork;
  readonly #labels: Readonly<Record<string, string>>;
  readonly #unschedulable: boolean;
  readonly #kubeletPort: number;
  readonly #log: Logger;

  constructor(o: {
    name: string;
    client: RestClient;
    net: NodeNetwork;
    labels: Readonly<Record<string, string>>;
    unschedulable?: boolean;
    kubeletPort: number;
    log: Logger;
  }) {
    this.name = o.name;
    this.#client = o.client;
    this.#net = o.net;
    this.#labels = o.labels;
    this.#unschedulable = o.unschedulable ?? false;
    this.#kubeletPort = o.kubeletPort;
    this.#log = o.log;
  }

  async register(resources: NodeResources): Promise<void> {
    const body = nodeObject(this.name, this.#net, this.#status(resources), this.#labels, this.#unschedulable);
    try {
      await this.#client.request('POST', '/api/v1/nodes', { body });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await this.#client.request('PATCH', `/api/v1/nodes/${this.name}`, {
        body: { metadata: { labels: body.metadata.labels }, spec: { unschedulable: this.#unschedulable } },
        contentType: 'application/merge-patch+json',
      });
    }
    await this.heartbeat(resources);
  }

  /**
   * The node lifecycle controller taints a new node not-ready until it has seen it Ready; wait for that (up to
   * 30 s) so pods created right after start() are scheduled at once rather than after a scheduler back-off.
   */
  async waitSchedulable(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const node = await this.#client
        .request<{ spec?: { taints?: { key: string }[] } }>('GET', `/api/v1/nodes/${this.name}`)
        .catch(() => undefined);
      if (node && !(node.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/not-ready')) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    this.#log.warn('node still tainted not-ready after 30s');
  }

  #status(resources: NodeResources) {
    return nodeStatus(this.#net, resources, this.#kubeletPort, new Date().toISOString(), {
      kernel: release(),
      machine: hostname(),
      arch: arch(),
    });
  }

  async heartbeat(resources: NodeResources): Promise<void> {
    const status = this.#status(resources);
    await this.#client
      .request('PATCH', `/api/v1/nodes/${this.name}/status`, {
        body: { status },
        contentType: 'application/merge-patch+json',
      })
      .catch((err) => this.#log.warn('node status write failed', { err }));
  }

  async renewLease(): Promise<void> {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.name}`;
    const now = new Date().toISOString().replace('Z', '000Z');
    const spec = { holderIdentity: this.name, leaseDurationSeconds: 40, renewTime: now };
    try {
      await this.#client.request('PATCH', path, {
        body: { spec },
        contentType: 'application/merge-patch+json',
      });
    } catch (err) {
      if (!isNotFound(err)) {
        this.#log.warn('lease renewal failed', { err });
        return;
      }
      await this.#client
        .request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name: this.name,
              namespace: 'kube-node-lease',
              ownerReferences: await this.#nodeOwnerRef(),
            },
            spec,
          },
        })
        .catch((e) => this.#log.warn('lease creation failed', { err: e }));
    }
  }

  async #nodeOwnerRef(): Promise<unknown[]> {
    const node = await this.#client
      .request<{ metadata: { uid: string } }>('GET', `/api/v1/nodes/${this.name}`)
      .catch(() => undefined);
    return node ? [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: node.metadata.uid }] : [];
  }
}

/** Posts pod events as the kubelet does, dropping repeats of the same event within a minute. */
export class PodEvents {
  readonly #client: RestClient;
  readonly #node: string;
  readonly #events = new Map<string, number>();
  constructor(client: RestClient, node: string) {
    this.#client = client;
    this.#node = node;
  }

  post(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const key = `${pod.metadata.uid}/${reason}/${message}`;
    const now = Date.now();
    if ((this.#events.get(key) ?? 0) > now - 60_000) return;
    this.#events.set(key, now);
    if (this.#events.size > 5000) this.#events.clear();
    const ns = pod.metadata.namespace ?? 'default';
    const ts = new Date(now).toISOString();
    void this.#client
      .request('POST', `/api/v1/namespaces/${ns}/events`, {
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { generateName: `${pod.metadata.name}.`, namespace: ns },
          involvedObject: {
            apiVersion: 'v1',
            kind: 'Pod',
            name: pod.metadata.name,
            namespace: ns,
            uid: pod.metadata.uid,
          },
          reason,
          message,
          type,
          source: { component: 'kubelet', host: this.#node },
          firstTimestamp: ts,
          lastTimestamp: ts,
          count: 1,
        },
      })
      .catch(() => {});
  }
}
