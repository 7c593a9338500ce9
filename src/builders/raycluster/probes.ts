import type { Container, Probe } from '../../api/index.ts';
import { defaultPorts } from './constants.ts';
import { versionAtLeast } from './version.ts';

interface ProbeInput {
  readonly nodeType: 'head' | 'worker';
  readonly rayVersion: string | undefined;
  readonly params: Record<string, string>;
  /** Cluster created by a RayService: workers get the serve readiness check. */
  readonly rayService: boolean;
}

function wget(timeout: number, port: string | number, path: string): string {
  return `wget --tries 1 -T ${timeout} -q -O- http://localhost:${port}/${path} | grep success`;
}

function execProbe(checks: string[]): Probe {
  return { exec: { command: ['bash', '-c', checks.join(' && ')] } };
}

function servePort(container: Container): number {
  return container.ports?.find((p) => p.name === 'serve')?.containerPort ?? defaultPorts.serve;
}

/** Adds the liveness and readiness probes KubeRay injects, keeping any probe the user defined. */
export function injectProbes(container: Container, input: ProbeInput): Container {
  const agentPort = input.params['dashboard-agent-listen-port'] || String(defaultPorts.dashboardAgent);
  const dashboardPort = input.params['dashboard-port'] || String(defaultPorts.dashboard);
  const head = input.nodeType === 'head';
  const timeout = head ? 5 : 2;
  const http = versionAtLeast(input.rayVersion, '2.53.0');
  const checks = [wget(2, agentPort, 'api/local_raylet_healthz')];
  if (head) checks.push(wget(10, dashboardPort, 'api/gcs_healthz'));
  const action = (): Probe =>
    http ? { httpGet: { path: '/api/healthz', port: Number(agentPort) } } : execProbe(checks);
  const out: Container = { ...container };
  if (!out.livenessProbe) {
    out.livenessProbe = {
      ...action(),
      initialDelaySeconds: 30,
      timeoutSeconds: timeout,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: 120,
    };
  }
  if (!out.readinessProbe) {
    const serveWorker = input.rayService && !head;
    const probe: Probe = serveWorker
      ? execProbe([...checks, wget(10, servePort(container), '-/healthz')])
      : action();
    out.readinessProbe = {
      ...probe,
      initialDelaySeconds: 10,
      timeoutSeconds: timeout,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: serveWorker ? 1 : 10,
    };
  }
  return out;
}
