import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import { zip } from './zip.ts';

test('zip: each local header and its central directory entry describe the same file, which inflates back', () => {
  const files = [
    { path: 'a.py', data: Buffer.from('print(1)\n'), mode: 0o644 },
    { path: 'dir/b é.txt', data: Buffer.alloc(5000, 7), mode: 0o755 },
  ];
  const out = zip(files, new Date(2024, 5, 7, 13, 45, 30));
  const end = out.length - 22;
  assert.equal(out.readUInt32LE(end), 0x06054b50);
  assert.equal(out.readUInt16LE(end + 10), 2);
  let c = out.readUInt32LE(end + 16);
  for (const f of files) {
    assert.equal(out.readUInt32LE(c), 0x02014b50);
    const nameLen = out.readUInt16LE(c + 28);
    assert.equal(out.subarray(c + 46, c + 46 + nameLen).toString('utf8'), f.path);
    assert.equal(out.readUInt32LE(c + 38) >>> 16, 0o100000 | f.mode);
    const at = out.readUInt32LE(c + 42);
    assert.equal(out.readUInt32LE(at), 0x04034b50);
    // version, flags, method, time, date, crc, sizes, name length: the same 24 bytes in both headers
    assert.deepEqual(out.subarray(at + 4, at + 28), out.subarray(c + 6, c + 30));
    assert.equal(out.readUInt16LE(at + 6), 0x0800);
    assert.equal(out.readUInt16LE(at + 8), 8);
    assert.equal(out.readUInt16LE(at + 10), (13 << 11) | (45 << 5) | 15);
    assert.equal(out.readUInt16LE(at + 12), ((2024 - 1980) << 9) | (6 << 5) | 7);
    assert.equal(out.readUInt32LE(at + 14), crc32(f.data));
    assert.equal(out.readUInt32LE(at + 22), f.data.length);
    const packed = out.readUInt32LE(at + 18);
    const data = at + 30 + nameLen;
    assert.deepEqual(inflateRawSync(out.subarray(data, data + packed)), f.data);
    c += 46 + nameLen;
  }
});
