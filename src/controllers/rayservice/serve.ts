import { ApplicationStatuses } from '../../api/constants.ts';
import type { AppStatus } from '../../api/index.ts';

/** The per-app shape the dashboard client returns (src/ray's ServeApplicationStatus, structurally). */
export interface ServeApp {
  readonly status: string;
  readonly message: string;
  readonly deployments: Readonly<Record<string, { readonly status: string; readonly message: string }>>;
}

/** The status map written to `applicationStatuses`: an app named "" is reported as `default`. */
export function toAppStatuses(apps: ReadonlyMap<string, ServeApp>): Record<string, AppStatus> {
  const out: Record<string, AppStatus> = {};
  for (const [name, app] of apps) {
    const deployments: Record<string, { status?: string; message?: string }> = {};
    for (const [d, dep] of Object.entries(app.deployments)) {
      deployments[d] = { status: dep.status, ...(dep.message ? { message: dep.message } : {}) };
    }
    out[name === '' ? 'default' : name] = {
      status: app.status,
      ...(app.message ? { message: app.message } : {}),
      ...(Object.keys(deployments).length ? { serveDeploymentStatuses: deployments } : {}),
    };
  }
  return out;
}

/** Serve is ready only when at least one application exists and every application is RUNNING. */
export function isServeReady(apps: Readonly<Record<string, AppStatus>>): boolean {
  const all = Object.values(apps);
  return all.length > 0 && all.every((a) => a.status === ApplicationStatuses.running);
}

/**
 * Whether the Serve config must be (re)submitted to a cluster: nothing cached for it, the cluster reports no
 * applications (a head restart without GCS FT lost them), or the cached config differs from the spec.
 */
export function needsServeSubmit(
  cached: string | undefined,
  appCount: number,
  serveConfigV2: string,
): boolean {
  return cached === undefined || appCount === 0 || cached !== serveConfigV2;
}

/**
 * Which Serve configs were last submitted, per RayService (`<ns>/<name>`) and cluster: an in-memory LRU of
 * `capacity` RayServices. An empty config is never cached.
 */
export class ServeConfigCache {
  readonly #capacity: number;
  readonly #entries = new Map<string, Map<string, string>>();
  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }
  get(rsKey: string, cluster: string): string | undefined {
    const m = this.#entries.get(rsKey);
    if (!m) return undefined;
    this.#entries.delete(rsKey);
    this.#entries.set(rsKey, m);
    return m.get(cluster);
  }
  set(rsKey: string, cluster: string, config: string): void {
    if (!config) return;
    const m = this.#entries.get(rsKey) ?? new Map<string, string>();
    this.#entries.delete(rsKey);
    m.set(cluster, config);
    this.#entries.set(rsKey, m);
    while (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }
  /** Drops clusters that are neither active nor pending; drops the RayService when it is gone (no names). */
  prune(rsKey: string, keep: readonly string[]): void {
    const m = this.#entries.get(rsKey);
    if (!m) return;
    if (keep.length === 0) {
      this.#entries.delete(rsKey);
      return;
    }
    for (const c of [...m.keys()]) if (!keep.includes(c)) m.delete(c);
  }
  get size(): number {
    return this.#entries.size;
  }
}
