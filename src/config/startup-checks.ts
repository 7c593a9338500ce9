import { ConfigError, type FeatureGates } from './feature-gates.ts';

/** The fields of the API server's /version answer that matter here. */
export interface ServerVersion {
  readonly major?: string;
  readonly minor?: string;
  readonly gitVersion?: string;
}

/** Major and minor of a /version answer ("1", "35+" -> [1, 35]); undefined when unreadable. */
export function parseServerVersion(v: ServerVersion): [number, number] | undefined {
  const major = Number.parseInt(v.major ?? '', 10);
  const minor = Number.parseInt(v.minor ?? '', 10);
  if (Number.isFinite(major) && Number.isFinite(minor)) return [major, minor];
  const m = /^v?(\d+)\.(\d+)/.exec(v.gitVersion ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * Start-up checks that need the API server, as KubeRay does them: the SidecarSubmitterRestart gate needs
 * Kubernetes >= 1.35 (per-container restart policy). Throws a ConfigError that says what to change.
 */
export function checkServerVersion(gates: FeatureGates, version: ServerVersion): void {
  if (!gates.SidecarSubmitterRestart) return;
  const parsed = parseServerVersion(version);
  if (!parsed || parsed[0] < 1 || (parsed[0] === 1 && parsed[1] < 35))
    throw new ConfigError(
      `feature gate SidecarSubmitterRestart requires Kubernetes 1.35 or newer, but the API server is ${version.gitVersion ?? 'unknown'}; disable the gate or upgrade the cluster`,
    );
}
