import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NodeNetwork, nodeNetwork } from './ippool.ts';
import { isAlive, killQuiet, run, runSyncQuiet, tryRun } from './sys.ts';

/** Where every local node keeps its runtime state (tmpfs, cleared at boot). */
export const defaultStateRoot = '/run/kuberay-ts';

interface SlotFile {
  readonly pid: number;
  readonly node: string;
}

/** The names of a pod's network namespace and host-side veth, from its node slot and uid. */
function podNetNames(slot: number, uid: string): { netns: string; veth: string } {
  const id = uid.replace(/-/g, '').slice(0, 8);
  return { netns: `krts${slot}-${id}`, veth: `kv${slot}x${id}` };
}

/** Network namespaces named for a slot (`ip netns list`). */
async function slotNamespaces(slot: number): Promise<string[]> {
  const out = await run('ip', ['netns', 'list']).catch(() => '');
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`krts${slot}-`));
}

/** Kills every process inside a named network namespace (SIGKILL) and deletes the namespace. */
export async function destroyNetns(netns: string): Promise<void> {
  const pids = await run('ip', ['netns', 'pids', netns]).catch(() => '');
  for (const p of pids.split(/\s+/).filter(Boolean)) killQuiet(Number(p), 'SIGKILL');
  await tryRun('ip', ['netns', 'del', netns]);
}

/** Removes what a dead node left in a slot: its pods' namespaces (and their processes) and its bridge. */
async function cleanSlot(net: NodeNetwork): Promise<void> {
  for (const ns of await slotNamespaces(net.slot)) await destroyNetns(ns);
  await tryRun('ip', ['link', 'del', net.bridge]);
}

/**
 * Claims a node slot (a /24 and a bridge) under `stateRoot`: the wanted one, or the first free one. A slot
 * whose owner process is gone is cleaned and reused.
 */
export async function acquireSlot(stateRoot: string, node: string, wanted?: number): Promise<NodeNetwork> {
  mkdirSync(join(stateRoot, 'slots'), { recursive: true });
  await sweepDeadSlots(stateRoot);
  const candidates = wanted === undefined ? Array.from({ length: 64 }, (_, i) => i) : [wanted];
  for (const slot of candidates) {
    const file = join(stateRoot, 'slots', `${slot}.json`);
    try {
      const owner = JSON.parse(readFileSync(file, 'utf8')) as SlotFile;
      if (isAlive(owner.pid) && owner.pid !== process.pid) continue;
      rmSync(file, { force: true });
    } catch {
      // no owner
    }
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, node } satisfies SlotFile), { flag: 'wx' });
    } catch {
      continue; // another node took it between our read and write
    }
    const net = nodeNetwork(slot);
    await cleanSlot(net);
    await run('ip', ['link', 'add', net.bridge, 'address', net.mac, 'type', 'bridge']);
    await run('ip', ['addr', 'add', `${net.hostIP}/24`, 'dev', net.bridge]);
    await run('ip', ['link', 'set', net.bridge, 'up']);
    return net;
  }
  throw new Error(
    wanted === undefined
      ? 'no free local-node slot (64 in use)'
      : `local-node slot ${wanted} is in use by a live node`,
  );
}

/**
 * Cleans every slot whose owner process is gone (a killed test run leaves its pods' processes, namespaces
 * and bridge behind), so leftovers never pile up in slots nobody claims again.
 */
async function sweepDeadSlots(stateRoot: string): Promise<void> {
  for (const f of readdirSync(join(stateRoot, 'slots'))) {
    const m = /^(\d+)\.json$/.exec(f);
    if (!m) continue;
    const file = join(stateRoot, 'slots', f);
    try {
      const owner = JSON.parse(readFileSync(file, 'utf8')) as SlotFile;
      if (isAlive(owner.pid)) continue;
    } catch {
      continue; // being written by a node that is starting
    }
    await cleanSlot(nodeNetwork(Number(m[1])));
    rmSync(file, { force: true });
  }
}

/** Gives the slot back: removes every pod namespace and the bridge. */
export async function releaseSlot(stateRoot: string, net: NodeNetwork): Promise<void> {
  await cleanSlot(net);
  rmSync(join(stateRoot, 'slots', `${net.slot}.json`), { force: true });
}

/** Synchronous last-resort cleanup for a process `exit` hook. */
export function releaseSlotSync(stateRoot: string, net: NodeNetwork): void {
  const list = runSyncQuiet('ip', ['netns', 'list']);
  for (const line of list.split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (!ns.startsWith(`krts${net.slot}-`)) continue;
    for (const p of runSyncQuiet('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean))
      killQuiet(Number(p), 'SIGKILL');
    runSyncQuiet('ip', ['netns', 'del', ns]);
  }
  runSyncQuiet('ip', ['link', 'del', net.bridge]);
  rmSync(join(stateRoot, 'slots', `${net.slot}.json`), { force: true });
}

/** Creates a pod's network namespace with `ip` on eth0 (a veth on the node bridge) and loopback up. */
export async function createPodNetwork(net: NodeNetwork, uid: string, ip: string): Promise<string> {
  const { netns, veth } = podNetNames(net.slot, uid);
  await destroyNetns(netns);
  await tryRun('ip', ['link', 'del', veth]);
  await run('ip', ['netns', 'add', netns]);
  try {
    await run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    await run('ip', ['link', 'set', veth, 'master', net.bridge, 'up']);
    await run('ip', ['-n', netns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    await run('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
    await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    await destroyNetns(netns);
    throw err;
  }
  return netns;
}
