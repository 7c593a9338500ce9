import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bridgeMac, IpPool, nodeNetwork } from './ippool.ts';

test('nodeNetwork gives each slot its own /24 and bridge', () => {
  assert.deepEqual(nodeNetwork(3), {
    slot: 3,
    bridge: 'krts3',
    hostIP: '10.213.3.1',
    prefix: '10.213.3',
    cidr: '10.213.3.0/24',
    mac: '02:6b:72:74:00:03',
  });
  assert.throws(() => nodeNetwork(256), /slot must be 0..255/);
});

test('IpPool hands out .2-.254 round-robin and never twice', () => {
  const pool = new IpPool('10.213.0');
  const a = pool.allocate();
  const b = pool.allocate();
  assert.deepEqual([a, b], ['10.213.0.2', '10.213.0.3']);
  pool.release(a);
  assert.equal(pool.allocate(), '10.213.0.4');
  const all = new Set([b, '10.213.0.4']);
  for (let i = 0; i < 251; i++) all.add(pool.allocate());
  assert.equal(all.size, 253);
  assert.throws(() => pool.allocate(), /no free pod IP/);
  pool.release('10.213.0.77');
  assert.equal(pool.allocate(), '10.213.0.77');
});

test('each slot bridge has its own fixed, locally administered unicast MAC', () => {
  const macs = Array.from({ length: 256 }, (_, i) => bridgeMac(i));
  assert.equal(new Set(macs).size, 256);
  for (const m of macs) {
    assert.match(m, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    // bit 1 of the first octet set (locally administered), bit 0 clear (unicast)
    assert.equal(Number.parseInt(m.slice(0, 2), 16) & 0b11, 0b10);
  }
  assert.equal(bridgeMac(255), '02:6b:72:74:00:ff');
});
