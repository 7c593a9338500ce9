/**
 * Informer resilience against a PRIVATE control plane (the shared one must not be restarted): an apiserver
 * restart, and a watch resumed after etcd compaction (410 Gone -> relist and emit the difference).
 * --watch-cache=false makes the apiserver serve watches from etcd, so an old resourceVersion really is gone.
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { ControlPlane } from '../../../src/devcluster/controlplane.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import { Informer } from '../../../src/runtime/informer.ts';
import { eventually } from '../../support/cluster.ts';

let cp: ControlPlane;
let admin: KubeClient;
before(async () => {
  cp = await ControlPlane.start({ apiserverArgs: ['--watch-cache=false'] });
  admin = KubeClient.fromAccess(loadKubeconfig(cp.kubeconfig));
});
after(async () => {
  admin?.rest.close();
  await cp?.stop();
});

const cm = (namespace: string, name: string, v = '1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace, name },
  data: { v },
});

async function namespace(name: string): Promise<string> {
  await admin.create(Resources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function recorder(informer: Informer) {
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => seen.push(`add ${o.metadata.name}`),
    onUpdate: (old, o) =>
      seen.push(
        `update ${o.metadata.name} ${old.data && (old.data as { v: string }).v}->${(o.data as { v: string }).v}`,
      ),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  return seen;
}

test('an informer keeps working across an apiserver restart', async () => {
  const ns = await namespace('restart');
  const client = KubeClient.fromAccess(loadKubeconfig(cp.kubeconfig));
  const informer = new Informer({ client, type: Resources.configMaps, namespaces: [ns], backoffMaxMs: 1000 });
  const seen = recorder(informer);
  informer.start();
  try {
    assert.equal(await informer.waitForSync(), true);
    await admin.create(Resources.configMaps, cm(ns, 'a'));
    await eventually(() => assert.deepEqual(seen, ['add a']));
    await cp.restartApiserver();
    await admin.create(Resources.configMaps, cm(ns, 'b'));
    await admin.patch(Resources.configMaps, ns, 'a', { data: { v: '2' } });
    await eventually(() => assert.deepEqual(seen, ['add a', 'add b', 'update a 1->2']), {
      timeoutMs: 30_000,
    });
    assert.equal(informer.hasSynced(), true);
  } finally {
    await informer.stop();
    client.rest.close();
  }
});

/** A TCP proxy whose connections can be frozen (no bytes forwarded) and then cut. */
async function freezableProxy(
  target: URL,
): Promise<{ port: number; freeze(): void; cut(): void; close(): void }> {
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((down) => {
    const up = connect(Number(target.port), target.hostname);
    const pair: [Socket, Socket] = [down, up];
    pairs.add(pair);
    down.pipe(up);
    up.pipe(down);
    const drop = () => {
      pairs.delete(pair);
      down.destroy();
      up.destroy();
    };
    down.on('error', drop).on('close', drop);
    up.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    freeze: () => {
      for (const [down, up] of pairs) {
        up.unpipe(down);
        up.pause();
      }
    },
    cut: () => {
      for (const [down, up] of [...pairs]) {
        down.destroy();
        up.destroy();
      }
    },
    close: () => server.close(),
  };
}

async function etcd(path: string, body: unknown): Promise<{ header: { revision: string } }> {
  const res = await fetch(new URL(path, cp.etcdUrl), { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return (await res.json()) as { header: { revision: string } };
}

test('after etcd compaction a resumed watch gets 410; the informer relists and emits the difference', async () => {
  const ns = await namespace('compact');
  for (const name of ['keep', 'change', 'remove']) await admin.create(Resources.configMaps, cm(ns, name));
  const access = loadKubeconfig(cp.kubeconfig);
  const proxy = await freezableProxy(new URL(access.server));
  const client = KubeClient.fromAccess({ ...access, server: `https://127.0.0.1:${proxy.port}` });
  const logs: string[] = [];
  const informer = new Informer({
    client,
    type: Resources.configMaps,
    namespaces: [ns],
    backoffMaxMs: 1000,
    logger: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
  });
  const seen = recorder(informer);
  informer.start();
  try {
    assert.equal(await informer.waitForSync(), true);
    await eventually(() => assert.equal(seen.length, 3)); // no controller-manager here: no kube-root-ca.crt
    seen.length = 0;
    proxy.freeze(); // the informer's watch now hears nothing
    await admin.create(Resources.configMaps, cm(ns, 'added'));
    await admin.patch(Resources.configMaps, ns, 'change', { data: { v: '2' } });
    await admin.delete(Resources.configMaps, ns, 'remove');
    const { header } = await etcd('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
    await etcd('/v3/kv/compaction', { revision: header.revision, physical: true });
    proxy.cut(); // the watch breaks; it resumes from its old resourceVersion, which etcd has compacted
    await eventually(
      () => assert.deepEqual([...seen].sort(), ['add added', 'delete remove', 'update change 1->2']),
      {
        timeoutMs: 30_000,
      },
    );
    assert.ok(
      logs.some((l) => JSON.parse(l).msg === 'watch expired, relisting'),
      'the informer relisted after 410',
    );
    assert.deepEqual(
      informer
        .list()
        .map((o) => o.metadata.name)
        .sort(),
      ['added', 'change', 'keep'],
    );
  } finally {
    await informer.stop();
    client.rest.close();
    proxy.close();
  }
});
