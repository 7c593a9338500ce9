import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import { safePath, TarReader } from './tar.ts';
import { zip } from './zip.ts';

function tarHeader(name: string, size: number, flag: string, prefix = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write(`${(0o644).toString(8).padStart(7, '0')}\0`, 100, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write(flag, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write(prefix, 345, 'utf8');
  return h;
}
const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

test('tar: directories, files, GNU long names and pax paths, in chunks of any size', () => {
  const long = `${'d'.repeat(120)}/f.log`;
  const pax = Buffer.from(`${`x path=./pax.txt\n`.length + 3} path=./pax.txt\n`);
  const archive = Buffer.concat([
    tarHeader('./', 0, '5'),
    tarHeader('./raylet.out', 5, '0'),
    pad(Buffer.from('hello')),
    tarHeader('././@LongLink', long.length, 'L'),
    pad(Buffer.from(long)),
    tarHeader('truncated', 2, '0'),
    pad(Buffer.from('hi')),
    tarHeader('PaxHeader', pax.length, 'x'),
    pad(pax),
    tarHeader('ignored', 1, '0'),
    pad(Buffer.from('p')),
    tarHeader('sub/b.txt', 1, '0', 'old'),
    pad(Buffer.from('b')),
    Buffer.alloc(1024),
  ]);
  const reader = new TarReader();
  const entries = [];
  for (let i = 0; i < archive.length; i += 700) entries.push(...reader.push(archive.subarray(i, i + 700)));
  assert.deepEqual(
    entries.map((e) => [e.path, e.type, e.data.toString()]),
    [
      ['', 'dir', ''],
      ['raylet.out', 'file', 'hello'],
      [long, 'file', 'hi'],
      ['pax.txt', 'file', 'p'],
      ['old/sub/b.txt', 'file', 'b'],
    ],
  );
  assert.equal(entries[1]!.mode, 0o644);
});

test('tar: entries outside the target directory are refused', () => {
  assert.equal(safePath('./a/./b'), 'a/b');
  assert.throws(() => safePath('../etc/passwd'), /outside the target directory/);
  assert.throws(
    () => new TarReader().push(Buffer.concat([tarHeader('a/../../x', 0, '0'), Buffer.alloc(1024)])),
    /outside/,
  );
});

test('zip: local headers, deflated data with CRC-32, a central directory listing every file', () => {
  const files = [
    { path: 'main.py', data: Buffer.from('print("hi")\n'), mode: 0o644 },
    { path: 'data/big.txt', data: Buffer.from('x'.repeat(10_000)), mode: 0o600 },
  ];
  const z = zip(files);
  let off = 0;
  for (const f of files) {
    assert.equal(z.readUInt32LE(off), 0x04034b50);
    assert.equal(z.readUInt16LE(off + 8), 8);
    assert.equal(z.readUInt32LE(off + 14), crc32(f.data));
    const packed = z.readUInt32LE(off + 18);
    const nameLen = z.readUInt16LE(off + 26);
    assert.equal(z.toString('utf8', off + 30, off + 30 + nameLen), f.path);
    const data = inflateRawSync(z.subarray(off + 30 + nameLen, off + 30 + nameLen + packed));
    assert.deepEqual(data, f.data);
    off += 30 + nameLen + packed;
  }
  assert.equal(z.readUInt32LE(off), 0x02014b50);
  const end = z.subarray(z.length - 22);
  assert.equal(end.readUInt32LE(0), 0x06054b50);
  assert.equal(end.readUInt16LE(10), 2);
  assert.equal(end.readUInt32LE(16), off);
});
