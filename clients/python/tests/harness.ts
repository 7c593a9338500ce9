/**
 * Runs the Python clients' pytest suite against a cluster it starts and stops itself: a private control plane
 * with a local node (real Ray in pods), the ray.io CRDs, our operator as its own process and our API server
 * (in this process, Kubernetes authentication). pytest gets the cluster's kubeconfig in KUBECONFIG (what
 * KubeRay's client loads), the API server's URL in KUBERAY_TS_APISERVER_URL and KUBERAY_TS_PYTEST_CLUSTER=1.
 *
 * Usage: node_modules/.bin/node clients/python/tests/harness.ts [pytest arguments...]
 *   --no-cluster   run only the tests that need no cluster (pytest -m "not cluster"); nothing is started
 * Env: KUBERAY_TS_PYTHON_CLIENT_VENV (default ~/.cache/kuberay-ts/python-client-venv, made by
 * scripts/install-deps.sh).
 *
 * pytest's exit code is ours, except 5 (no tests collected), which is a failure here, never a silent pass.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createApiServer } from '../../../src/apiserver/app.ts';
import type { ApiHttpServer } from '../../../src/apiserver/http/server.ts';
import { rayVenvDir } from '../../../src/devcluster/node/images.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { nullLogger } from '../../../src/lib/logger.ts';
import { installCrds } from '../../../test/support/crds.ts';
import {
  type LocalCluster,
  type OperatorProcess,
  startLocalCluster,
  startOperator,
} from '../../../test/support/local-cluster.ts';

const here = import.meta.dirname;
const pkg = join(here, '..');
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: node clients/python/tests/harness.ts [--no-cluster] [pytest arguments...]

Starts a control plane, a local node (real Ray), the ray.io CRDs, the operator and our API server, runs
pytest on clients/python/tests with KUBECONFIG pointing at that cluster and KUBERAY_TS_APISERVER_URL at the
API server, then stops everything.
  --no-cluster   only the tests that need no cluster (pytest -m "not cluster"); starts nothing
Any other argument goes to pytest (e.g. -k wait -x).`);
  process.exit(0);
}

const log = (msg: string) => console.error(`[python-client] ${msg}`);

function venvPython(): string {
  const cache = process.env.KUBERAY_TS_CACHE ?? join(homedir(), '.cache', 'kuberay-ts');
  const venv = process.env.KUBERAY_TS_PYTHON_CLIENT_VENV ?? join(cache, 'python-client-venv');
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python))
    throw new Error(`the Python client venv is missing (${venv}): run scripts/install-deps.sh`);
  return python;
}

function runPytest(python: string, pytestArgs: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'pytest', '-p', 'no:cacheprovider', '-ra', ...pytestArgs], {
      cwd: pkg,
      env,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<number> {
  const python = venvPython();
  const noCluster = args.includes('--no-cluster');
  const pytestArgs = args.filter((a) => a !== '--no-cluster');
  // This checkout's sources first, whichever checkout the venv's editable install points at.
  const pythonPath = [join(pkg, 'src'), process.env.PYTHONPATH].filter(Boolean).join(':');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    PYTHONPATH: pythonPath,
  };
  let lc: LocalCluster | undefined;
  let operator: OperatorProcess | undefined;
  let apiServer: { server: ApiHttpServer; kube: KubeClient } | undefined;
  const stop = async () => {
    await apiServer?.server.shutdown(1000);
    apiServer?.kube.rest.close();
    apiServer = undefined;
    await operator?.stop();
    operator = undefined;
    await lc?.stop();
    lc = undefined;
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      void stop().finally(() => process.exit(130));
    });
  try {
    if (noCluster) {
      pytestArgs.unshift('-m', 'not cluster');
      delete env.KUBERAY_TS_PYTEST_CLUSTER;
    } else {
      if (!existsSync(join(rayVenvDir(), '.complete')))
        throw new Error(`Ray is not installed (${rayVenvDir()}): run scripts/install-ray.sh`);
      const t0 = Date.now();
      log('starting a control plane and a local node');
      lc = await startLocalCluster();
      log('installing the ray.io CRDs');
      await installCrds(lc.client, { timeoutMs: 300_000 });
      log('starting the operator');
      operator = await startOperator(lc);
      log(`cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)}s; operator log: ${operator.logFile}`);
      // Our API server (Kubernetes authentication: the tests log in with a ServiceAccount token).
      const kube = KubeClient.fromAccess(loadKubeconfig(lc.kubeconfig), { qps: 0 });
      const server = createApiServer({ kube, logger: nullLogger, registry: new Registry(), auth: 'kubernetes' });
      apiServer = { server, kube };
      const port = await server.listen(0, '127.0.0.1');
      log(`API server on http://127.0.0.1:${port}`);
      env.KUBERAY_TS_APISERVER_URL = `http://127.0.0.1:${port}`;
      env.KUBECONFIG = lc.kubeconfig;
      env.KUBERAY_TS_PYTEST_CLUSTER = '1';
    }
    const code = await runPytest(python, pytestArgs, env);
    if (code === 5) {
      log('pytest collected no tests (exit 5): that is a failure');
      return 1;
    }
    if (code !== 0 && operator) console.error(`--- last operator log lines:\n${operator.tail(40)}`);
    return code;
  } finally {
    log('stopping');
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
