/**
 * `kubectl ray job submit [-f RAYJOB_YAML | --name NAME] --working-dir DIR -- ENTRYPOINT`: apply a RayJob in
 * InteractiveMode, wait for its Ray cluster, port-forward the dashboard (or use --address), upload the working
 * directory, submit the job, record its id in the RayJob (`spec.jobId`) and follow its logs to the end.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isNotFound } from '../../k8s/api-error.ts';
import { Resources } from '../../k8s/resources.ts';
import { HttpDashboardClient } from '../../ray/dashboard-client.ts';
import { directTransport } from '../../ray/transport.ts';
import { isTerminalRayJobStatus } from '../../ray/types.ts';
import type { Invocation, RunResult } from '../command.ts';
import { RAY_VERSION } from '../commands.ts';
import { CliError, errorLine, wrap } from '../errors.ts';
import { bool, map, num, str, UsageError } from '../flags.ts';
import { Forwarder } from '../forward.ts';
import { rayJobObject, validateQuantity } from '../generate.ts';
import { connect, FIELD_MANAGER } from '../kube.ts';
import type { RayCluster } from '../objects.ts';
import { useColor } from '../output.ts';
import { packageDirectory, uploadPackage } from '../package-upload.ts';
import { logPresentation, parseVerify, statusLine } from '../submit-options.ts';
import { sleep } from '../wait.ts';
import { resolveImage } from './create-cluster.ts';

const CLUSTER_TIMEOUT_MS = 600_000;

interface RayJobObj {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; [k: string]: unknown };
  spec?: { submissionMode?: string; runtimeEnvYAML?: string; jobId?: string; [k: string]: unknown };
  status?: { rayClusterName?: string; [k: string]: unknown };
  [k: string]: unknown;
}

function parseJsonFlag(inv: Invocation, flag: string): Record<string, unknown> | undefined {
  const text = str(inv.args, flag);
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {}
  throw new CliError(`--${flag} must be a JSON object, got ${text}`);
}

export async function submitJob(inv: Invocation): Promise<RunResult> {
  const a = inv.args;
  const out = (s: string) => inv.io.out.write(`${s}\n`);
  if (a.dashAt < 0 || a.positional.length <= a.dashAt)
    throw new UsageError(
      'an entrypoint is required after --, e.g. kubectl ray job submit --name my-job --working-dir . -- python my_script.py',
    );
  if (a.dashAt > 0)
    throw new UsageError(`unexpected arguments before --: ${a.positional.slice(0, a.dashAt).join(' ')}`);
  const entrypoint = a.positional.slice(a.dashAt).join(' ');
  const { parse, stringify } = await import('yaml');

  // runtime env: --runtime-env file, --runtime-env-json, or the RayJob's runtimeEnvYAML
  let runtimeEnv: Record<string, unknown> = {};
  const envFile = str(a, 'runtime-env');
  if (envFile) {
    const p = resolve(inv.io.cwd, envFile);
    if (!existsSync(p) || !statSync(p).isFile())
      throw new CliError(`Runtime Env file does not exist: ${envFile}`);
    runtimeEnv = (parse(readFileSync(p, 'utf8')) as Record<string, unknown> | null) ?? {};
  }
  const envJson = parseJsonFlag(inv, 'runtime-env-json');
  if (envJson) runtimeEnv = { ...runtimeEnv, ...envJson };

  let job: RayJobObj | undefined;
  const file = str(a, 'filename');
  if (file) {
    const p = resolve(inv.io.cwd, file);
    if (!existsSync(p) || !statSync(p).isFile()) throw new CliError(`Ray Job file does not exist: ${file}`);
    job = parse(readFileSync(p, 'utf8')) as RayJobObj;
    if (job?.kind !== 'RayJob') throw new CliError(`${file} is not a RayJob`);
    if (job.spec?.submissionMode !== 'InteractiveMode')
      throw new CliError("Submission mode of the Ray Job must be set to 'InteractiveMode'");
    if (!envFile && !envJson && job.spec.runtimeEnvYAML)
      runtimeEnv = (parse(job.spec.runtimeEnvYAML) as Record<string, unknown> | null) ?? {};
  } else if (!str(a, 'name').trim())
    throw new CliError('Must set either yaml file (--filename) or set Ray job name (--name)');

  let workingDir =
    str(a, 'working-dir') ||
    (typeof runtimeEnv.working_dir === 'string' && !runtimeEnv.working_dir.includes('://')
      ? runtimeEnv.working_dir
      : '');
  if (!workingDir)
    throw new CliError('working directory is required, use --working-dir or set with runtime env');
  workingDir = resolve(inv.io.cwd, workingDir);
  if (!existsSync(workingDir)) throw new CliError(`working directory ${workingDir} does not exist`);
  if (!statSync(workingDir).isDirectory())
    throw new CliError(`working directory ${workingDir} is not a directory`);
  for (const f of ['head-cpu', 'head-memory', 'head-gpu', 'worker-cpu', 'worker-memory', 'worker-gpu'])
    validateQuantity(str(a, f), f);
  const headers = parseJsonFlag(inv, 'headers') as Record<string, string> | undefined;
  const entrypointResources = parseJsonFlag(inv, 'entrypoint-resources') as
    | Record<string, number>
    | undefined;
  const metadata = parseJsonFlag(inv, 'metadata-json') as Record<string, string> | undefined;
  // What KubeRay hands to `ray job submit`: TLS of the dashboard address and the look of the status lines.
  const http = { ...(headers ? { headers } : {}), ...parseVerify(str(a, 'verify'), inv.io.cwd) };
  const look = logPresentation(str(a, 'log-style'), str(a, 'log-color'), useColor(inv));
  const say = (text: string, tone?: 'ok' | 'bad') => out(statusLine(look, text, tone));

  if (!job) {
    const generated = rayJobObject({
      name: str(a, 'name'),
      namespace: '',
      entrypoint,
      ttlSecondsAfterFinished: num(a, 'ttl-seconds-after-finished'),
      cluster: {
        'ray-version': str(a, 'ray-version') || RAY_VERSION,
        image: resolveImage(inv),
        head: {
          cpu: str(a, 'head-cpu'),
          memory: str(a, 'head-memory'),
          gpu: str(a, 'head-gpu'),
          'node-selectors': map(a, 'head-node-selectors'),
        },
        'worker-groups': [
          {
            name: 'default-group',
            replicas: num(a, 'worker-replicas'),
            cpu: str(a, 'worker-cpu'),
            memory: str(a, 'worker-memory'),
            gpu: str(a, 'worker-gpu'),
            'node-selectors': map(a, 'worker-node-selectors'),
          },
        ],
      },
    }) as RayJobObj;
    if (bool(a, 'dry-run')) {
      generated.metadata.namespace = str(a, 'namespace') || 'default';
      inv.io.out.write(`${stringify(generated, { indentSeq: false, sortMapEntries: true })}\n`);
      return 0;
    }
    job = generated;
  }

  const kube = connect(inv);
  try {
    const ns = kube.namespace;
    job.metadata.namespace = ns;
    const name = job.metadata.name ?? '';
    const created = file
      ? await kube.client.create<RayJobObj>(Resources.rayJobs, job).catch((e: unknown) => {
          throw wrap('Error when creating RayJob CR', e);
        })
      : await kube.client
          .apply<RayJobObj>(Resources.rayJobs, job, { fieldManager: FIELD_MANAGER })
          .catch((e: unknown) => {
            throw wrap('Failed to apply generated YAML', e);
          });
    out(`Submitted RayJob ${created.metadata.name}.`);

    // the RayJob's cluster, then its readiness
    const deadline = Date.now() + CLUSTER_TIMEOUT_MS;
    let clusterName = '';
    while (!clusterName) {
      const j = await kube.client.get<RayJobObj>(Resources.rayJobs, ns, name);
      clusterName = j.status?.rayClusterName ?? '';
      if (!clusterName) {
        if (Date.now() > deadline)
          throw new CliError(`Timed out waiting for RayJob ${name} to create its Ray cluster`);
        await sleep(1000, inv.io.signal);
      }
    }
    out('Waiting for RayCluster');
    out(`Checking Cluster Status for cluster ${clusterName}...`);
    let cluster: RayCluster | undefined;
    for (;;) {
      // The RayJob names its cluster in its status a reconcile before it creates it: not found yet is
      // waited for like not ready yet (KubeRay's plugin fails here with "not found").
      cluster = await kube.client
        .get<RayCluster>(Resources.rayClusters, ns, clusterName)
        .catch((e: unknown) => {
          if (isNotFound(e)) return undefined;
          throw wrap('Failed to get cluster information', e);
        });
      if (
        cluster?.status?.state === 'ready' ||
        cluster?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
      )
        break;
      if (Date.now() > deadline) {
        out('Deleting RayJob...');
        await kube.client.delete(Resources.rayJobs, ns, name).catch(() => false);
        out(`Cleaned Up RayJob: ${name}`);
        throw new CliError('Timed out waiting for cluster');
      }
      await sleep(2000, inv.io.signal);
    }

    // the dashboard: --address, or a port-forward to the head service
    let address = str(a, 'address');
    let forwarder: Forwarder | undefined;
    if (!address) {
      const svc = cluster.status?.head?.serviceName || `${clusterName}-head-svc`;
      forwarder = new Forwarder({
        client: kube.client,
        namespace: ns,
        service: svc,
        address: '127.0.0.1',
        ports: [{ local: 0, remote: 8265 }],
        log: (s) => (bool(a, 'verbose') ? out(s) : undefined),
        signal: inv.io.signal,
      });
      out(`Port Forwarding service ${svc}`);
      await forwarder.start();
      address = `http://127.0.0.1:${forwarder.bound[0]}`;
      out(`Portforwarding started on ${address}`);
    } else if (!/^https?:\/\//.test(address)) address = `http://${address}`;
    try {
      const pkg = packageDirectory(workingDir);
      const uploaded = await uploadPackage(address, pkg.uri, pkg.zip, http);
      say(
        `${uploaded ? 'Uploaded' : 'Reused'} working directory ${workingDir} (${pkg.files} files) as ${pkg.uri}`,
      );
      const dashboard = new HttpDashboardClient({
        transport: { ...directTransport(address, 30_000, http), description: address },
      });
      const submissionId =
        str(a, 'submission-id') || `raysubmit_${randomBytes(8).toString('hex').slice(0, 16)}`;
      const id = await dashboard
        .submitJob({
          entrypoint,
          submission_id: submissionId,
          runtime_env: { ...runtimeEnv, working_dir: pkg.uri },
          ...(metadata ? { metadata } : {}),
          ...(num(a, 'entrypoint-num-cpus') > 0
            ? { entrypoint_num_cpus: num(a, 'entrypoint-num-cpus') }
            : {}),
          ...(num(a, 'entrypoint-num-gpus') > 0
            ? { entrypoint_num_gpus: num(a, 'entrypoint-num-gpus') }
            : {}),
          ...(num(a, 'entrypoint-memory') > 0 ? { entrypoint_memory: num(a, 'entrypoint-memory') } : {}),
          ...(entrypointResources ? { entrypoint_resources: entrypointResources } : {}),
        })
        .catch((e: unknown) => {
          throw wrap('Error occurred with Ray job submit', e);
        });
      const rule = '-'.repeat(42);
      say(rule);
      say(`Job '${id}' submitted successfully`, 'ok');
      say(rule);

      // record the job id in the RayJob, as KubeRay's plugin does
      for (let attempt = 0; ; attempt++) {
        const latest = await kube.client.get<RayJobObj>(Resources.rayJobs, ns, name);
        latest.spec = { ...latest.spec, jobId: id };
        try {
          await kube.client.update(Resources.rayJobs, latest);
          break;
        } catch (e) {
          if (attempt >= 5) throw wrap('Error occurred when trying to add job ID to RayJob', e);
        }
      }
      if (bool(a, 'no-wait')) {
        out(
          `Next steps: query the logs with 'kubectl ray session rayjob/${name}' and http://localhost:8265/#/jobs/${id}`,
        );
        return 0;
      }
      say('Tailing logs until the job exits (disconnecting will not stop the job):');
      let printed = 0;
      for (;;) {
        const info = await dashboard.getJobInfo(id);
        const logs = (await dashboard.getJobLogs(id)) ?? '';
        if (logs.length > printed) {
          inv.io.out.write(logs.slice(printed));
          printed = logs.length;
        }
        if (isTerminalRayJobStatus(info.status)) {
          const ok = info.status === 'SUCCEEDED';
          say(rule);
          say(
            ok
              ? `Job '${id}' succeeded`
              : `Job '${id}' ${info.status === 'STOPPED' ? 'was stopped' : 'failed'}${info.message ? `: ${info.message}` : ''}`,
            ok ? 'ok' : 'bad',
          );
          say(rule);
          return info.status === 'SUCCEEDED' ? 0 : 1;
        }
        await sleep(1000, inv.io.signal);
      }
    } finally {
      forwarder?.close();
    }
  } catch (e) {
    throw e instanceof CliError ? e : new CliError(errorLine(e), { cause: e });
  } finally {
    kube.close();
  }
}
