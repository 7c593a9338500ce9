import type { RayJob } from '../../api/index.ts';
import { Gauge, type Registry } from '../../k8s/prom.ts';
import { objectLabels, registerInfoGauge } from '../common/metrics.ts';

/**
 * The kuberay_job_* metrics. `kuberay_job_info` and `kuberay_job_deployment_status` are
 * computed at scrape time from the RayJobs in the cache; the execution duration is set by the reconciler when an
 * attempt ends (terminal or Retrying).
 */
export class RayJobMetrics {
  readonly #duration: Gauge<'name' | 'namespace' | 'uid' | 'job_deployment_status' | 'retry_count'>;
  /** The duration series of each RayJob (namespace/name), so they can be removed exactly. */
  readonly #series = new Map<string, Record<string, string>[]>();

  constructor(registry: Registry, listRayJobs: () => readonly RayJob[]) {
    const registers = [registry];
    registerInfoGauge(
      registry,
      'kuberay_job_info',
      'Metadata information about RayJob custom resources',
      listRayJobs,
    );
    new Gauge({
      name: 'kuberay_job_deployment_status',
      help: 'The RayJob JobDeploymentStatus transition state',
      labelNames: ['name', 'namespace', 'uid', 'deployment_status'],
      registers,
      collect() {
        this.reset();
        for (const rj of listRayJobs())
          this.set({ ...objectLabels(rj), deployment_status: rj.status?.jobDeploymentStatus ?? '' }, 1);
      },
    });
    this.#duration = new Gauge({
      name: 'kuberay_job_execution_duration_seconds',
      help: 'Duration of the RayJob CR JobDeploymentStatus transition from Initializing to either the Retrying state or a terminal state',
      labelNames: ['name', 'namespace', 'uid', 'job_deployment_status', 'retry_count'],
      registers,
    });
  }

  /** Records how long an attempt ran, from status.startTime to now. */
  observeExecution(rj: RayJob, deploymentStatus: string, retryCount: number, seconds: number): void {
    const labels = {
      name: rj.metadata.name ?? '',
      namespace: rj.metadata.namespace ?? '',
      uid: rj.metadata.uid ?? '',
      job_deployment_status: deploymentStatus,
      retry_count: String(retryCount),
    };
    this.#duration.set(labels, seconds);
    const key = `${labels.namespace}/${labels.name}`;
    this.#series.set(key, [...(this.#series.get(key) ?? []), labels]);
  }

  /** Drops the series of a deleted RayJob. */
  forget(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    for (const labels of this.#series.get(key) ?? []) this.#duration.remove(labels);
    this.#series.delete(key);
  }
}
