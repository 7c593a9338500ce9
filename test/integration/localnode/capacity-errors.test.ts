import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
import { freePort } from '../../../src/lib/ports.ts';
import { eventually } from '../../support/eventually.ts';
import {
  createNamespace,
  createPod,
  getPod,
  type LocalCluster,
  startLocalCluster,
  waitPod,
} from '../../support/local-cluster.ts';
import { runTool } from '../../support/tool.ts';

/**
 * The local node's status as the scheduler sees it (capacity and allocatable from flags here: 4 CPUs, 8 GiB),
 * and bad requests answered with a kubelet's errors while the node keeps serving the other pods. The real
 * kube-scheduler and kubectl through the real kube-apiserver.
 */
let lc: LocalCluster;
let ns: string;
before(async () => {
  lc = await startLocalCluster({ cpu: '4', memory: '8Gi' });
  ns = await createNamespace(lc.client, 'cap');
});
after(async () => {
  await lc?.stop();
});

const kubectl = (args: string[]) =>
  runTool(binaryPath('kubectl'), ['--kubeconfig', lc.kubeconfig, '-n', ns, ...args]);

const sleeper = (cpu: string, memory = '64Mi') => ({
  terminationGracePeriodSeconds: 1,
  containers: [
    {
      name: 'main',
      image: 'busybox:1.36',
      command: ['sleep', '1000'],
      resources: { requests: { cpu, memory } },
    },
  ],
});

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

async function unschedulable(name: string): Promise<PodCondition> {
  return eventually(
    async () => {
      const pod = (await getPod(lc.client, ns, name)) as { status?: { conditions?: PodCondition[] } };
      const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
      assert.equal(c?.status, 'False', `PodScheduled of ${name}: ${JSON.stringify(c)}`);
      return c!;
    },
    { timeoutMs: 30_000 },
  );
}

test('capacity and allocatable come from the flags; what does not fit stays Pending with the scheduler reason; describe node shows the allocation', async () => {
  const node = await lc.client.request<{
    status: { capacity: Record<string, string>; allocatable: Record<string, string> };
  }>('GET', `/api/v1/nodes/${lc.node.name}`);
  assert.equal(node.status.capacity.cpu, '4');
  assert.equal(node.status.capacity.memory, '8Gi');
  assert.equal(node.status.allocatable.memory, '8092Mi', 'less the eviction reserve');
  await createPod(lc.client, ns, 'big', sleeper('3'));
  await waitPod(lc.client, ns, 'big', { phase: 'Running' });
  await createPod(lc.client, ns, 'too-much-cpu', sleeper('2'));
  await createPod(lc.client, ns, 'too-much-memory', sleeper('100m', '16Gi'));
  const cpu = await unschedulable('too-much-cpu');
  assert.equal(cpu.reason, 'Unschedulable');
  assert.match(cpu.message ?? '', /0\/1 nodes are available: 1 Insufficient cpu/);
  const mem = await unschedulable('too-much-memory');
  assert.match(mem.message ?? '', /Insufficient memory/);
  const described = await kubectl(['describe', 'node', lc.node.name]);
  assert.equal(described.code, 0, described.stderr);
  assert.match(described.stdout, /Allocated resources:/);
  assert.match(described.stdout, /^\s+cpu\s+3 \(75%\)/m);
  assert.match(described.stdout, new RegExp(`${ns}\\s+big\\s+3 \\(75%\\)`));
  // Room made: the pod that did not fit is scheduled and runs.
  await lc.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/big`);
  await waitPod(lc.client, ns, 'too-much-cpu', { phase: 'Running' }, 60_000);
  const still = (await getPod(lc.client, ns, 'too-much-memory')) as { status?: { phase?: string } };
  assert.equal(still.status?.phase, 'Pending');
});

test('bad requests get the kubelet errors and the node keeps serving the other pods', async () => {
  // A pod that never ran (an image the node cannot run) and one whose main container waits for an init one.
  await createPod(lc.client, ns, 'ghost', {
    containers: [{ name: 'main', image: 'example.com/no-such-image:1', command: ['true'] }],
  });
  await createPod(lc.client, ns, 'starting', {
    terminationGracePeriodSeconds: 1,
    initContainers: [{ name: 'wait', image: 'busybox:1.36', command: ['sleep', '1000'] }],
    containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '1000'] }],
  });
  await createPod(lc.client, ns, 'healthy', sleeper('100m'));
  await waitPod(lc.client, ns, 'healthy', { phase: 'Running' });
  await eventually(async () => {
    const pod = (await getPod(lc.client, ns, 'ghost')) as {
      status?: { containerStatuses?: { state: { waiting?: { reason?: string } } }[] };
    };
    assert.equal(pod.status?.containerStatuses?.[0]?.state.waiting?.reason, 'ErrImagePull');
  });
  await eventually(async () => {
    const pod = (await getPod(lc.client, ns, 'starting')) as {
      status?: { initContainerStatuses?: { state: { running?: unknown } }[] };
    };
    assert.ok(pod.status?.initContainerStatuses?.[0]?.state.running, 'the init container runs');
  });

  const logs = await kubectl(['logs', 'ghost']);
  assert.notEqual(logs.code, 0);
  assert.match(
    logs.stderr,
    /\(BadRequest\): container "main" in pod "ghost" is waiting to start: image can't be pulled/,
  );
  const waiting = await kubectl(['logs', 'starting', '-c', 'main']);
  assert.match(waiting.stderr, /container "main" in pod "starting" is waiting to start: PodInitializing/);
  const previous = await kubectl(['logs', 'healthy', '--previous']);
  assert.match(previous.stderr, /previous terminated container "main" in pod "healthy" not found/);

  const exec = await kubectl(['exec', 'starting', '-c', 'main', '--', 'true']);
  assert.notEqual(exec.code, 0);
  assert.match(exec.stderr, /container not found \("main"\)/);
  const execGhost = await kubectl(['exec', 'ghost', '--', 'true']);
  assert.match(execGhost.stderr, /container not found \("main"\)/);
  const attach = await kubectl(['attach', 'starting', '-c', 'main']);
  assert.match(attach.stderr, /container main not found in pod starting_/);

  // A forward to a port nothing listens on: each connection gets the kubelet's error, the forward stays.
  const local = await freePort();
  const fwd = spawn(binaryPath('kubectl'), [
    '--kubeconfig',
    lc.kubeconfig,
    '-n',
    ns,
    'port-forward',
    'pod/healthy',
    `${local}:7777`,
  ]);
  let out = '';
  fwd.stdout.on('data', (d) => {
    out += d;
  });
  fwd.stderr.on('data', (d) => {
    out += d;
  });
  try {
    await eventually(() => assert.match(out, /Forwarding from/), { timeoutMs: 20_000 });
    await assert.rejects(fetch(`http://127.0.0.1:${local}/`));
    await eventually(() =>
      assert.match(out, /error forwarding port 7777 to pod healthy, uid [0-9a-f-]+: .*connect ECONNREFUSED/),
    );
    await assert.rejects(fetch(`http://127.0.0.1:${local}/`));
  } finally {
    fwd.kill('SIGTERM');
  }

  const ok = await kubectl(['exec', 'healthy', '--', 'echo', 'still-serving']);
  assert.equal(ok.stdout, 'still-serving\n');
  const init = await kubectl(['exec', 'starting', '-c', 'wait', '--', 'echo', 'init-exec']);
  assert.equal(init.stdout, 'init-exec\n', 'a running init container can be exec-ed into, as at a kubelet');
});
