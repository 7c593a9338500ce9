import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { KubeClient } from '../k8s/client.ts';
import { Manager, type ManagerInformers } from './manager.ts';

/** Informers whose sync the test controls. */
function fakeInformers(): ManagerInformers & { sync(): void } {
  let synced = false;
  let resolve!: (ok: boolean) => void;
  const done = new Promise<boolean>((r) => {
    resolve = r;
  });
  return {
    start() {},
    stop: async () => {},
    waitForSync: () => done,
    hasSynced: () => synced,
    informers: () => [],
    sync() {
      synced = true;
      resolve(true);
    },
  };
}

test('/readyz answers 503 until the informers have synced, then 200; /healthz is always 200', async (t) => {
  const informers = fakeInformers();
  const manager = new Manager({
    client: {} as KubeClient,
    informers,
    registry: new Registry(),
    metricsAddr: '0',
    probeAddr: '127.0.0.1:0',
  });
  await manager.start();
  t.after(() => manager.stop());
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${manager.probePort}${path}`);
    return { status: res.status, body: await res.text() };
  };
  assert.deepEqual(await get('/readyz'), { status: 503, body: 'informers not synced' });
  assert.equal((await get('/healthz')).status, 200);
  informers.sync();
  assert.deepEqual(await get('/readyz'), { status: 200, body: 'ok' });
  await manager.stop();
  assert.equal(await manager.done, 'stopped');
});
