import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { test } from 'node:test';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';
import { eventually } from '../support/eventually.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

test('stop() ends every component, frees its ports and removes its temp dir', async () => {
  const cp = await ControlPlane.start();
  const { pids, dir, server } = cp.state();
  const port = Number(new URL(server).port);
  assert.ok(await portOpen(port), 'the API server listens before stop');
  await cp.stop();
  for (const [name, pid] of Object.entries(pids)) assert.equal(alive(pid), false, `${name} still running`);
  assert.equal(existsSync(dir), false, 'temp dir removed');
  assert.equal(await portOpen(port), false, 'API server port closed');
});

test('a test process killed with SIGKILL leaves no component running', async () => {
  const script = `
    import { ControlPlane } from ${JSON.stringify(new URL('../../src/devcluster/controlplane.ts', import.meta.url).href)};
    const cp = await ControlPlane.start();
    process.stdout.write(JSON.stringify(cp.state()) + '\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  const state = JSON.parse(line) as { pids: Record<string, number>; dir: string };
  assert.ok(Object.values(state.pids).every(alive), 'components run while the owner lives');
  child.kill('SIGKILL');
  await eventually(() => {
    for (const [name, pid] of Object.entries(state.pids))
      assert.equal(alive(pid), false, `${name} still running`);
  });
  // The next start sweeps the orphaned temp dir (its processes are all gone).
  const next = await ControlPlane.start();
  await next.stop();
  assert.equal(existsSync(state.dir), false, 'orphaned temp dir swept by the next start');
});
