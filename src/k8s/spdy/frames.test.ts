import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { spdyDictionary } from './dictionary.ts';
import {
  ControlType,
  decodeHeaderBlock,
  encodeControl,
  encodeData,
  encodeHeaderBlock,
  encodeSynReply,
  FLAG_FIN,
  parseFrames,
  parseStreamHeaders,
  parseSynStream,
  SpdyProtocolError,
} from './frames.ts';

test('the SPDY/3 dictionary is the 1,423 bytes of the spec', () => {
  assert.equal(spdyDictionary.length, 1423);
  assert.equal(
    createHash('sha256').update(spdyDictionary).digest('hex'),
    '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02',
  );
  assert.equal(spdyDictionary.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
});

test('data frames round-trip, with FIN and stream ids above 2^16', () => {
  const bytes = Buffer.concat([
    encodeData(5, Buffer.from('hello')),
    encodeData(70001, Buffer.alloc(0), true),
  ]);
  const { frames, rest } = parseFrames(bytes);
  assert.equal(rest.length, 0);
  assert.deepEqual(frames, [
    { kind: 'data', streamId: 5, flags: 0, data: Buffer.from('hello') },
    { kind: 'data', streamId: 70001, flags: FLAG_FIN, data: Buffer.alloc(0) },
  ]);
});

test('control frames carry version 3, type, flags and payload; partial input waits for the rest', () => {
  const syn = encodeSynReply(7, Buffer.from([1, 2, 3]), true);
  assert.equal(syn.readUInt16BE(0), 0x8003);
  assert.equal(syn.readUInt16BE(2), ControlType.synReply);
  const first = parseFrames(syn.subarray(0, 9));
  assert.deepEqual(first.frames, []);
  assert.equal(first.rest.length, 9);
  const { frames } = parseFrames(syn);
  const f = frames[0]!;
  assert.ok(f.kind === 'control');
  assert.equal(f.flags, FLAG_FIN);
  assert.deepEqual(parseStreamHeaders(f.payload), { streamId: 7, block: Buffer.from([1, 2, 3]) });
});

test('SYN_STREAM payloads decode stream id, associated id, priority and the header block', () => {
  const payload = Buffer.alloc(13);
  payload.writeUInt32BE(0x80000003, 0); // the reserved top bit is ignored
  payload.writeUInt32BE(0, 4);
  payload[8] = 2 << 5;
  payload.set([9, 9, 9], 10);
  assert.deepEqual(parseSynStream(payload), {
    streamId: 3,
    associatedId: 0,
    priority: 2,
    block: Buffer.from([9, 9, 9]),
  });
  assert.throws(() => parseSynStream(Buffer.alloc(4)), SpdyProtocolError);
});

test('header blocks round-trip; names are lowercased and NUL-separated values joined', () => {
  const block = encodeHeaderBlock({ StreamType: 'error', port: '8080' });
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: 'error', port: '8080' });
  const multi = encodeHeaderBlock({ 'x-a': 'one\0two' });
  assert.deepEqual(decodeHeaderBlock(multi), { 'x-a': 'one, two' });
  assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 2)), /truncated/);
});

test('a frame of another SPDY version is a protocol error', () => {
  const bad = encodeControl(ControlType.ping, 0, Buffer.alloc(4));
  bad.writeUInt16BE(0x8002, 0);
  assert.throws(() => parseFrames(bad), /unsupported SPDY version 2/);
});
