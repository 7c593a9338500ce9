/**
 * Local port-forwarding for `session` and `job submit`: local TCP listeners whose connections go, through the
 * API server, to the pod behind a Service (kubectl resolves `service/NAME` to a pod the same way: the first
 * running pod its selector matches). The SPDY session is reopened on the current pod whenever it ends.
 */
import { createServer, type Server } from 'node:net';
import type { KubeClient } from '../k8s/client.ts';
import type { KubeObject } from '../k8s/objects.ts';
import { openPortForward, type PortForwardSession } from '../k8s/port-forward.ts';
import { Resources } from '../k8s/resources.ts';
import { CliError, errorLine, wrap } from './errors.ts';
import { isRunningAndReady, type Pod } from './objects.ts';

interface Service extends KubeObject {
  spec?: {
    selector?: Record<string, string>;
    ports?: { name?: string; port: number; targetPort?: number | string }[];
  };
}

interface PortMapping {
  readonly local: number;
  readonly remote: number;
}

/** The pod a Service routes to (ready pods first) and the container ports of its service ports. */
async function podForService(
  client: KubeClient,
  ns: string,
  svcName: string,
): Promise<{ pod: string; targetPort: (port: number) => number }> {
  const svc = await client.get<Service>(Resources.services, ns, svcName).catch((e: unknown) => {
    throw wrap(`unable to find service ${svcName}`, e);
  });
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0)
    throw new CliError(`service ${ns}/${svcName} has no selector: cannot pick a pod to forward to`);
  const pods = (
    await client.list<Pod>(Resources.pods, { namespace: ns, labelSelector: selector })
  ).items.filter((p) => !p.metadata.deletionTimestamp);
  const pod = pods.find(isRunningAndReady) ?? pods.find((p) => p.status?.phase === 'Running');
  if (!pod) throw new CliError(`no running pod behind service ${ns}/${svcName}`);
  const containerPorts = new Map<string, number>();
  for (const c of pod.spec?.containers ?? [])
    for (const p of (c.ports as { name?: string; containerPort: number }[] | undefined) ?? [])
      if (p.name) containerPorts.set(p.name, p.containerPort);
  const targetPort = (port: number) => {
    const sp = svc.spec?.ports?.find((p) => p.port === port);
    const t = sp?.targetPort;
    if (typeof t === 'number') return t;
    if (typeof t === 'string') return containerPorts.get(t) ?? port;
    return port;
  };
  return { pod: pod.metadata.name!, targetPort };
}

interface ForwarderOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly service: string;
  readonly address: string;
  readonly ports: readonly PortMapping[];
  readonly log: (line: string) => void;
  readonly verbose?: boolean;
  readonly signal: AbortSignal;
  /** Delay before reopening a lost session (KubeRay's session waits 3 s). */
  readonly reconnectMs?: number;
}

/** Listens on every local port and forwards each connection; reconnects to the current pod when needed. */
export class Forwarder {
  readonly #o: ForwarderOptions;
  readonly #servers: Server[] = [];
  #session: Promise<PortForwardSession> | undefined;
  #targets: ((port: number) => number) | undefined;
  #pod = '';

  constructor(o: ForwarderOptions) {
    this.#o = o;
  }

  get pod(): string {
    return this.#pod;
  }

  /** The local ports actually bound (a mapping with local 0 gets a free port). */
  readonly bound: number[] = [];

  async start(): Promise<void> {
    await this.#connect();
    for (const m of this.#o.ports) {
      const server = createServer((socket) => {
        socket.pause();
        this.#current()
          .then((s) =>
            s.forward(socket, this.#targets!(m.remote), (msg) =>
              this.#o.log(`error forwarding port ${m.remote}: ${msg}`),
            ),
          )
          .then(() => socket.resume())
          .catch((e: unknown) => {
            this.#o.log(`failed to forward a connection to port ${m.remote}: ${errorLine(e)}`);
            socket.destroy();
          });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) =>
          reject(new CliError(`unable to listen on ${this.#o.address}:${m.local}: ${e.message}`)),
        );
        server.listen(m.local, this.#o.address, () => resolve());
      });
      const port = (server.address() as { port: number }).port;
      this.bound.push(port);
      this.#servers.push(server);
      this.#o.log(`Forwarding from ${this.#o.address}:${port} -> ${m.remote}`);
    }
    this.#o.signal.addEventListener('abort', () => this.close(), { once: true });
  }

  close(): void {
    for (const s of this.#servers) s.close();
    this.#session?.then((s) => s.close()).catch(() => {});
  }

  /** Resolves when the command is interrupted. */
  untilAborted(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#o.signal.aborted) resolve();
      this.#o.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  async #connect(): Promise<PortForwardSession> {
    const { pod, targetPort } = await podForService(this.#o.client, this.#o.namespace, this.#o.service);
    this.#targets = targetPort;
    if (this.#o.verbose || (this.#pod && this.#pod !== pod))
      this.#o.log(`Forwarding to pod ${this.#o.namespace}/${pod}`);
    this.#pod = pod;
    const p = openPortForward(this.#o.client.rest, this.#o.namespace, pod, this.#o.signal);
    this.#session = p;
    const s = await p;
    s.onClose(() => {
      if (this.#session === p) this.#session = undefined;
    });
    return s;
  }

  /** The open session, reopened (after the reconnect delay) when it was lost. */
  async #current(): Promise<PortForwardSession> {
    const s = await this.#session?.catch(() => undefined);
    if (s && !s.closed) return s;
    for (let attempt = 0; ; attempt++) {
      if (this.#o.signal.aborted) throw new CliError('interrupted');
      try {
        return await this.#connect();
      } catch (e) {
        this.#o.log(
          `failed to port-forward: ${errorLine(e)}. Retrying in ${(this.#o.reconnectMs ?? 3000) / 1000}s ...`,
        );
        if (attempt >= 20) throw e;
        await new Promise((r) => setTimeout(r, this.#o.reconnectMs ?? 3000));
      }
    }
  }
}

/** The head Service of a RayCluster, RayJob or RayService (from its status, as KubeRay's plugin reads it). */
export async function headServiceName(
  client: KubeClient,
  ns: string,
  type: 'raycluster' | 'rayjob' | 'rayservice',
  name: string,
): Promise<string> {
  const r =
    type === 'raycluster'
      ? Resources.rayClusters
      : type === 'rayjob'
        ? Resources.rayJobs
        : Resources.rayServices;
  const kind = type === 'raycluster' ? 'RayCluster' : type === 'rayjob' ? 'RayJob' : 'RayService';
  const obj = await client
    .get<KubeObject & { status?: Record<string, unknown> }>(r, ns, name)
    .catch((e: unknown) => {
      throw wrap(`unable to find ${kind} ${name}`, e);
    });
  type Head = { head?: { serviceName?: string } };
  const st = obj.status ?? {};
  const svc =
    type === 'raycluster'
      ? (st as Head).head?.serviceName
      : type === 'rayjob'
        ? (st.rayClusterStatus as Head | undefined)?.head?.serviceName
        : (st.activeServiceStatus as { rayClusterStatus?: Head } | undefined)?.rayClusterStatus?.head
            ?.serviceName;
  if (!svc) throw new CliError(`${kind} ${ns}/${name} has no head service yet (is its Ray cluster running?)`);
  return svc;
}
