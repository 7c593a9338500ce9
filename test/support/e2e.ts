import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { rayVenvDir } from '../../src/devcluster/node/images.ts';
import { installCrds } from './crds.ts';
import {
  type LocalCluster,
  type OperatorProcess,
  startLocalCluster,
  startOperator,
} from './local-cluster.ts';

/**
 * Why the real-Ray e2e tests are skipped, or false. Only outside CI: the CI install step always provides Ray,
 * so there a missing Ray venv is a failure, never a skip.
 */
export const raySkip: string | false =
  existsSync(join(rayVenvDir(), '.complete')) || process.env.CI
    ? false
    : 'Ray is not installed: run scripts/install-ray.sh';

export interface OperatorCluster {
  /** The local cluster (set once the file's `before` hook ran). */
  readonly lc: LocalCluster;
  readonly operator: OperatorProcess | undefined;
  /** For `.catch(e2e.onFailure)`: prints the operator's last log lines, then rethrows. */
  onFailure(err: unknown): never;
}

/**
 * Registers the file's before/after hooks: a local cluster (control plane + local node) with the CRDs and the
 * operator running as its own process (`startOperator`, with `extraArgs`). Nothing starts when `raySkip`.
 */
export function useOperatorCluster(extraArgs: string[] = []): OperatorCluster {
  let lc: LocalCluster | undefined;
  let operator: OperatorProcess | undefined;
  before(async () => {
    if (raySkip) return;
    lc = await startLocalCluster();
    await installCrds(lc.client, { timeoutMs: 300_000 });
    operator = await startOperator(lc, extraArgs);
  });
  after(async () => {
    await operator?.stop();
    await lc?.stop();
  });
  return {
    get lc() {
      if (!lc) throw new Error('the local cluster is not running (before() has not run or failed)');
      return lc;
    },
    get operator() {
      return operator;
    },
    onFailure(err: unknown): never {
      console.error(`--- last operator log lines:\n${operator?.tail(40) ?? ''}`);
      throw err;
    },
  };
}
