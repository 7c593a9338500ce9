/**
 * `exec` in a pod through the API server, over WebSocket with the remote-command protocol v5.channel.k8s.io
 * (v4 offered too): each message is one channel byte then data; 0 stdin, 1 stdout, 2 stderr, 3 the final
 * Status, 255 close (v5: closes our stdin). kube-apiserver 1.34 translates this to the kubelet's SPDY.
 */
import type { Readable } from 'node:stream';
import { KuberayError } from '../lib/errors.ts';
import type { RestClient } from './rest.ts';
import { connectWebSocket } from './websocket.ts';

interface ExecOptions {
  readonly namespace: string;
  readonly pod: string;
  readonly container?: string;
  readonly command: readonly string[];
  readonly stdin?: Readable;
  readonly onStdout: (data: Buffer) => void;
  readonly onStderr?: (data: Buffer) => void;
  readonly signal?: AbortSignal;
}

class ExecError extends KuberayError {}

/** The exit code in a v4/v5 Status message: 0 on Success, the NonZeroExitCode cause, else throws. */
export function exitCodeOf(status: string): number {
  const s = JSON.parse(status) as {
    status?: string;
    message?: string;
    reason?: string;
    details?: { causes?: { reason?: string; message?: string }[] };
  };
  if (s.status === 'Success') return 0;
  const code = s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  if (s.reason === 'NonZeroExitCode' && code !== undefined) return Number(code);
  throw new ExecError(s.message ?? 'exec failed');
}

export function execPath(
  o: Pick<ExecOptions, 'namespace' | 'pod' | 'container' | 'command' | 'stdin'>,
): string {
  const q = new URLSearchParams();
  for (const c of o.command) q.append('command', c);
  if (o.container) q.set('container', o.container);
  q.set('stdout', 'true');
  q.set('stderr', 'true');
  if (o.stdin) q.set('stdin', 'true');
  return `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/exec?${q}`;
}

/** Runs the command and resolves with its exit code once the stream ends. */
export async function execInPod(rest: RestClient, o: ExecOptions): Promise<number> {
  const ws = await connectWebSocket(rest, execPath(o), ['v5.channel.k8s.io', 'v4.channel.k8s.io'], o.signal);
  return new Promise((resolve, reject) => {
    let status: string | undefined;
    ws.on('message', (m) => {
      const ch = m[0];
      const data = m.subarray(1);
      if (ch === 1) o.onStdout(data);
      else if (ch === 2) o.onStderr?.(data);
      else if (ch === 3) status = (status ?? '') + data.toString('utf8');
    });
    ws.on('close', () => {
      if (status === undefined)
        return reject(new ExecError(`exec in ${o.namespace}/${o.pod}: the stream ended without a status`));
      try {
        resolve(exitCodeOf(status));
      } catch (e) {
        reject(e);
      }
    });
    o.signal?.addEventListener('abort', () => ws.close(), { once: true });
    if (o.stdin) {
      o.stdin.on('data', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), d])));
      o.stdin.on('end', () => {
        if (ws.protocol === 'v5.channel.k8s.io') ws.send(Buffer.from([255, 0]));
      });
    }
  });
}
