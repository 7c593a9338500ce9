/**
 * The kubelet's streaming endpoints on the local node: `exec` and `attach` over SPDY/3.1 with the
 * remote-command protocol v4.channel.k8s.io, and `portForward` with portforward.k8s.io. kube-apiserver 1.34
 * proxies (or, for kubectl's WebSocket requests, translates) these to the node as SPDY upgrades, so SPDY is
 * what the node must speak. Behaviour and error texts follow the kubelet's, see docs/local-node.md.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { SpdySession, type SpdyStream } from '../../k8s/spdy/session.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ContainerIO } from './container-io.ts';
import { ExecError, type ExecTarget, execCommand } from './exec.ts';
import { ttyCommand } from './pty.ts';

export interface StreamingBackend {
  /** The container to exec into; throws an ExecError with the kubelet's message and status when it cannot. */
  execTarget(namespace: string, pod: string, container: string): ExecTarget;
  /** The running main process to attach to; throws an ExecError like execTarget. */
  attachTarget(namespace: string, pod: string, container: string): ContainerIO;
  /** The pod's IP and uid, or undefined when the pod is not on this node. */
  podAddress(namespace: string, pod: string): { ip: string; uid: string } | undefined;
}

const EXEC_PROTOCOL = 'v4.channel.k8s.io';
const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** How long the client has to open the streams it announced (the kubelet's default). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

/** `/exec/{ns}/{pod}[/{uid}]/{container}`, `/attach/...` (the same shape) and `/portForward/{ns}/{pod}[/{uid}]`. */
export function parseStreamingPath(
  path: string,
):
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string }
  | undefined {
  const parts = path.split('/').slice(1).map(decodeURIComponent);
  const [kind, namespace, pod] = parts;
  if (!namespace || !pod) return undefined;
  if ((kind === 'exec' || kind === 'attach') && (parts.length === 4 || parts.length === 5))
    return { kind, namespace, pod, container: parts[parts.length - 1]! };
  if (kind === 'portForward' && (parts.length === 3 || parts.length === 4)) return { kind, namespace, pod };
  return undefined;
}

/** The protocol both sides speak: ours if the client offered it (header values may be comma-joined). */
export function negotiate(offered: string | string[] | undefined, ours: string): string | undefined {
  const list = (Array.isArray(offered) ? offered : [offered ?? ''])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim());
  return list.includes(ours) ? ours : undefined;
}

/** The status the kubelet writes on the error stream (v4): Success, or Failure with the exit code. */
export function execStatus(argv: readonly string[], code: number): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

function httpError(socket: Duplex, status: number, text: string, message: string): void {
  const body = Buffer.from(`${message}\n`);
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  // The API server keeps its side open after a refused upgrade: close the connection once the answer is out.
  setTimeout(() => socket.destroy(), 1000).unref();
}

function switchProtocols(socket: Duplex, protocol: string): void {
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
}

/** Handles an upgrade request on the kubelet port; answers 4xx for what it does not serve. */
export function handleStreamingUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  backend: StreamingBackend,
  log: Logger,
): void {
  const url = new URL(req.url ?? '/', 'https://node');
  const route = parseStreamingPath(url.pathname);
  if (!route) {
    httpError(socket, 404, 'Not Found', `the local node does not serve ${url.pathname}`);
    return;
  }
  if (!/^spdy\/3\.1$/i.test(String(req.headers.upgrade ?? ''))) {
    httpError(
      socket,
      400,
      'Bad Request',
      `unsupported upgrade "${req.headers.upgrade ?? ''}": only SPDY/3.1`,
    );
    return;
  }
  const wanted = route.kind === 'portForward' ? PORT_FORWARD_PROTOCOL : EXEC_PROTOCOL;
  const protocol = negotiate(req.headers['x-stream-protocol-version'], wanted);
  if (!protocol) {
    httpError(
      socket,
      403,
      'Forbidden',
      `unable to upgrade: the client offered none of the protocols this node speaks (${wanted})`,
    );
    return;
  }
  const failed = (err: unknown) => {
    const status = err instanceof ExecError ? err.status : 500;
    httpError(
      socket,
      status,
      status === 404 ? 'Not Found' : 'Internal Server Error',
      String((err as Error).message),
    );
  };
  if (route.kind === 'exec' || route.kind === 'attach') {
    const q = url.searchParams;
    const flag = (k: string) => ['1', 'true'].includes(q.get(k) ?? '');
    const opts = { stdin: flag('input'), stdout: flag('output'), stderr: flag('error'), tty: flag('tty') };
    if (!opts.stdin && !opts.stdout && !opts.stderr) {
      httpError(socket, 400, 'Bad Request', 'you must specify at least one of stdin, stdout, stderr');
      return;
    }
    /** Finds the container's target, then switches to SPDY and runs the session on it. */
    const upgrade = <T>(find: () => T, run: (session: SpdySession, target: T) => void) => {
      let target: T;
      try {
        target = find();
      } catch (err) {
        failed(err);
        return;
      }
      switchProtocols(socket, protocol);
      run(new SpdySession(socket, head), target);
    };
    if (route.kind === 'attach') {
      upgrade(
        () => backend.attachTarget(route.namespace, route.pod, route.container),
        (session, io) => runAttach(session, io, opts),
      );
      return;
    }
    const argv = q.getAll('command');
    if (argv.length === 0) {
      httpError(socket, 400, 'Bad Request', 'you must specify at least 1 command');
      return;
    }
    upgrade(
      () => backend.execTarget(route.namespace, route.pod, route.container),
      (session, target) => runExec(session, target, argv, opts, log),
    );
    return;
  }
  const addr = backend.podAddress(route.namespace, route.pod);
  if (!addr) {
    httpError(socket, 404, 'Not Found', `pod ${route.namespace}/${route.pod} not found on this node`);
    return;
  }
  switchProtocols(socket, protocol);
  runPortForward(new SpdySession(socket, head), route.pod, addr, log);
}

interface ExecOptions {
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** Calls `start` once the client has opened the streams the request announced (or closes the session). */
function whenStreams(
  session: SpdySession,
  o: ExecOptions,
  start: (streams: Map<string, SpdyStream>) => void,
): void {
  const streams = new Map<string, SpdyStream>();
  const expected =
    1 + (o.stdin ? 1 : 0) + (o.stdout ? 1 : 0) + (o.stderr && !o.tty ? 1 : 0) + (o.tty ? 1 : 0);
  const timer = setTimeout(() => session.close(), STREAM_CREATION_TIMEOUT_MS);
  let started = false;
  session.on('stream', (s) => {
    streams.set(s.headers.streamtype ?? '', s);
    if (started || streams.size < expected) return;
    started = true;
    clearTimeout(timer);
    start(streams);
  });
}

/** Ends an exec or attach: the status on the error stream, then the session once the frames are out. */
function finish(session: SpdySession, streams: Map<string, SpdyStream>, status: string): void {
  streams.get('stdout')?.end();
  streams.get('stderr')?.end();
  streams.get('error')?.end(status);
  setTimeout(() => session.close(), 50);
}

/**
 * Attaches to a running container's main process, as a kubelet does: its output from now on (no replay);
 * stdin only reaches it when the container has `stdin: true` (otherwise what the client sends is dropped);
 * with `stdinOnce` the container's stdin closes when this client's does; a `tty: true` container has one
 * output stream and takes terminal sizes. It ends with Success when the container's output ends.
 */
function runAttach(session: SpdySession, io: ContainerIO, o: ExecOptions): void {
  whenStreams(session, o, (streams) => {
    const stdout = streams.get('stdout');
    const stderr = streams.get('stderr');
    const stdin = streams.get('stdin');
    const resize = streams.get('resize');
    let done = false;
    const unsubscribe = io.subscribe(
      (stream, chunk) => {
        if (stream === 'stderr' && !io.tty) stderr?.write(chunk);
        else stdout?.write(chunk);
      },
      () => {
        if (done) return;
        done = true;
        finish(session, streams, JSON.stringify({ metadata: {}, status: 'Success' }));
      },
    );
    stdin?.on('data', (d: Buffer) => io.write(d));
    stdin?.on('end', () => io.detachStdin());
    if (resize && io.resize) resize.on('data', (d: Buffer) => io.resize?.write(d));
    session.once('close', () => {
      done = true;
      unsubscribe();
      if (stdin) io.detachStdin();
    });
  });
}

/** Waits for the streams the request announced, then runs the command wired to them. */
function runExec(
  session: SpdySession,
  target: ExecTarget,
  argv: readonly string[],
  o: ExecOptions,
  log: Logger,
): void {
  whenStreams(session, o, (streams) => {
    const stdout = streams.get('stdout');
    const stderr = streams.get('stderr');
    const stdin = streams.get('stdin');
    const cmd = o.tty ? ttyCommand(execCommand(target, argv)) : execCommand(target, argv);
    const child = spawn(cmd[0]!, cmd.slice(1), {
      env: { ...target.env, ...(o.tty ? { TERM: target.env.TERM ?? 'xterm' } : {}) },
      stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(o.tty ? (['pipe'] as const) : [])],
    });
    if (stdin && child.stdin) {
      stdin.on('data', (d: Buffer) => child.stdin?.write(d));
      stdin.on('end', () => child.stdin?.end());
      child.stdin.on('error', () => {});
    }
    const resize = streams.get('resize');
    const control = child.stdio[3] as NodeJS.WritableStream | null | undefined;
    if (resize && control) {
      resize.on('data', (d: Buffer) => control.write(d));
      control.on('error', () => {});
    }
    child.stdout?.on('data', (d: Buffer) => stdout?.write(d));
    child.stderr?.on('data', (d: Buffer) => (stderr ?? (o.tty ? stdout : undefined))?.write(d));
    session.once('close', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    child.once('error', (err) => log.warn('exec failed to start', { err }));
    child.once('close', (code, signal) => {
      const exit = code ?? (signal ? 128 + 9 : 1);
      finish(session, streams, execStatus(argv, exit));
    });
  });
}

/** Pairs each request's data and error streams and connects the data stream to the pod's port. */
function runPortForward(
  session: SpdySession,
  pod: string,
  addr: { ip: string; uid: string },
  log: Logger,
): void {
  const pairs = new Map<string, { data?: SpdyStream; error?: SpdyStream }>();
  session.on('stream', (s) => {
    const id = s.headers.requestid ?? s.headers.port ?? '';
    const pair = pairs.get(id) ?? {};
    if (s.headers.streamtype === 'error') pair.error = s;
    else if (s.headers.streamtype === 'data') pair.data = s;
    else {
      s.reset();
      return;
    }
    pairs.set(id, pair);
    if (pair.data && pair.error) {
      pairs.delete(id);
      forward(pair.data, pair.error, Number(s.headers.port), pod, addr, log);
    }
  });
}

function forward(
  data: SpdyStream,
  error: SpdyStream,
  port: number,
  pod: string,
  addr: { ip: string; uid: string },
  log: Logger,
): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    error.end(`invalid port ${port}`);
    data.end();
    return;
  }
  const tcp = connect({ host: addr.ip, port });
  let failed = false;
  tcp.on('error', (err) => {
    failed = true;
    error.end(`error forwarding port ${port} to pod ${pod}, uid ${addr.uid}: ${err.message}`);
    data.end();
  });
  data.on('data', (d: Buffer) => tcp.write(d));
  data.on('end', () => tcp.end());
  tcp.on('data', (d: Buffer) => data.write(d));
  tcp.on('end', () => {
    data.end();
    error.end();
  });
  tcp.on('close', () => {
    if (!failed) {
      data.end();
      error.end();
    }
  });
  log.debug('port-forward connection', { pod, port });
}
