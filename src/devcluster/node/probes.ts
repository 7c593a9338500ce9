import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Container, Probe } from '../../api/k8s-types.ts';

/** Where and how a probe reaches its container. */
interface ProbeTarget {
  readonly podIP: string;
  readonly container: Container;
  /** Pid whose namespaces an exec probe enters (the container's main process). */
  readonly pid: () => number | undefined;
  readonly env: Readonly<Record<string, string>>;
}

/** A probe's verdict: undefined on success, else the failure message. */
type Verdict = Promise<string | undefined>;

function resolvePort(port: number | string, c: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = c.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`no container port named "${port}"`);
  return named.containerPort;
}

function execProbe(argv: readonly string[], t: ProbeTarget, timeoutMs: number): Verdict {
  const pid = t.pid();
  if (!pid || argv.length === 0) return Promise.resolve('the container is not running');
  return new Promise((resolve) => {
    const child = spawn('nsenter', [`--target=${pid}`, '--net', '--mount', '--uts', '--', ...argv], {
      env: { ...t.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      if (out.length < 1024) out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (out.length < 1024) out += d.toString();
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      resolve(`command timed out after ${timeoutMs}ms`);
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `command exited with ${code}: ${out.trim().slice(0, 200)}`);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
  });
}

function httpProbe(p: NonNullable<Probe['httpGet']>, t: ProbeTarget, timeoutMs: number): Verdict {
  return new Promise((resolve) => {
    const req = request(
      {
        host: p.host || t.podIP,
        port: resolvePort(p.port, t.container),
        path: p.path ?? '/',
        method: 'GET',
        timeout: timeoutMs,
        headers: { 'user-agent': 'kube-probe/1.34' },
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? undefined : `HTTP probe failed with statuscode: ${code}`);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms`)));
    req.on('error', (err) =>
      resolve(`Get "http://${p.host || t.podIP}:${p.port}${p.path ?? '/'}": ${err.message}`),
    );
    req.end();
  });
}

function tcpProbe(p: NonNullable<Probe['tcpSocket']>, t: ProbeTarget, timeoutMs: number): Verdict {
  return new Promise((resolve) => {
    const port = resolvePort(p.port, t.container);
    const sock = connect({ host: p.host || t.podIP, port, timeout: timeoutMs });
    sock.once('connect', () => {
      sock.destroy();
      resolve(undefined);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(`dial tcp ${t.podIP}:${port}: i/o timeout`);
    });
    sock.once('error', (err) => resolve(`dial tcp ${t.podIP}:${port}: ${err.message}`));
  });
}

/** Runs a probe once. */
export async function runProbe(p: Probe, t: ProbeTarget): Verdict {
  const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
  try {
    if (p.exec) return await execProbe(p.exec.command ?? [], t, timeoutMs);
    if (p.httpGet) return await httpProbe(p.httpGet, t, timeoutMs);
    if (p.tcpSocket) return await tcpProbe(p.tcpSocket, t, timeoutMs);
    return 'the probe has no handler (exec, httpGet or tcpSocket)';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Counts consecutive results against the probe's thresholds (pure; the loop lives in the container worker). */
export class ProbeState {
  readonly #success: number;
  readonly #failure: number;
  #ok = 0;
  #bad = 0;
  /** The probe's current verdict: undefined until a threshold is first reached. */
  result: boolean | undefined;
  constructor(p: Probe) {
    this.#success = p.successThreshold ?? 1;
    this.#failure = p.failureThreshold ?? 3;
  }

  /** Records one result; returns true when the verdict changed. */
  record(success: boolean): boolean {
    const before = this.result;
    if (success) {
      this.#bad = 0;
      this.#ok++;
      if (this.#ok >= this.#success) this.result = true;
    } else {
      this.#ok = 0;
      this.#bad++;
      if (this.#bad >= this.#failure) this.result = false;
    }
    return before !== this.result;
  }
}
