/**
 * Port-forwarding to a pod through the API server, as kubectl 1.34 does it: a WebSocket with the subprotocol
 * `SPDY/3.1+portforward.k8s.io` that tunnels a SPDY session (kube-apiserver passes it on to the kubelet).
 * Each forwarded connection opens two streams with the same `requestid`: `error` (the kubelet writes a
 * message there when it cannot connect) and `data`.
 */
import type { Socket } from 'node:net';
import { KuberayError } from '../lib/errors.ts';
import type { RestClient } from './rest.ts';
import { SpdySession } from './spdy/session.ts';
import { connectWebSocket } from './websocket.ts';

const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

class PortForwardError extends KuberayError {}

export class PortForwardSession {
  readonly #session: SpdySession;
  #nextRequest = 0;
  constructor(session: SpdySession) {
    this.#session = session;
  }

  get closed(): boolean {
    return this.#session.closed;
  }

  onClose(fn: () => void): void {
    this.#session.once('close', fn);
  }

  close(): void {
    this.#session.close();
  }

  /** Connects `socket` to `port` in the pod; `onError` gets the kubelet's message when that fails. */
  async forward(socket: Socket, port: number, onError: (message: string) => void): Promise<void> {
    const requestid = String(this.#nextRequest++);
    const error = await this.#session.openStream({ streamtype: 'error', port: String(port), requestid });
    error.end();
    const data = await this.#session.openStream({ streamtype: 'data', port: String(port), requestid });
    let message = '';
    error.on('data', (d: Buffer) => (message += d.toString('utf8')));
    error.on('end', () => {
      if (message) {
        onError(message);
        socket.destroy();
      }
    });
    data.on('data', (d: Buffer) => socket.write(d));
    data.on('end', () => socket.end());
    socket.on('data', (d: Buffer) => data.write(d));
    socket.on('end', () => data.end());
    socket.on('error', () => data.reset());
    socket.on('close', () => data.reset());
  }
}

/** Opens the tunnelled SPDY session to a pod's portforward subresource. */
export async function openPortForward(
  rest: RestClient,
  namespace: string,
  pod: string,
  signal?: AbortSignal,
): Promise<PortForwardSession> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`;
  const ws = await connectWebSocket(rest, path, [PORT_FORWARD_TUNNEL_PROTOCOL], signal).catch(
    (e: unknown) => {
      throw e instanceof Error ? e : new PortForwardError(String(e));
    },
  );
  return new PortForwardSession(new SpdySession(ws.toDuplex()));
}
