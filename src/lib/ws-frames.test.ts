import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acceptKey,
  closeCode,
  closeFrame,
  closeReason,
  closeStatus,
  encodeFrame,
  FrameReader,
  MessageAssembler,
  Opcodes,
  parseFrames,
} from './ws-frames.ts';

test('acceptKey: the example of RFC 6455 section 1.3', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('encodeFrame: 7-bit, 16-bit and 64-bit lengths round-trip through parseFrames', () => {
  for (const size of [0, 125, 126, 65535, 65536]) {
    const payload = Buffer.alloc(size, 0x61);
    const frame = encodeFrame(Opcodes.text, payload);
    assert.equal(frame[0], 0x81);
    const { frames, rest } = parseFrames(frame);
    assert.equal(frames.length, 1, `size ${size}`);
    assert.equal(frames[0]!.payload.length, size);
    assert.equal(rest.length, 0);
  }
});

test('parseFrames: unmasks a client frame, keeps an incomplete tail for the next chunk', () => {
  const mask = Buffer.from([1, 2, 3, 4]);
  const text = Buffer.from('hello');
  const masked = Buffer.from(text.map((b, i) => b ^ mask[i % 4]!));
  const clientFrame = Buffer.concat([Buffer.from([0x81, 0x80 | text.length]), mask, masked]);
  const two = Buffer.concat([clientFrame, clientFrame.subarray(0, 4)]);
  const first = parseFrames(two);
  assert.deepEqual(
    first.frames.map((f) => [f.fin, f.opcode, f.payload.toString()]),
    [[true, Opcodes.text, 'hello']],
  );
  assert.equal(first.rest.length, 4);
  const second = parseFrames(Buffer.concat([first.rest, clientFrame.subarray(4)]));
  assert.equal(second.frames[0]!.payload.toString(), 'hello');
});

test('closeFrame carries the code and reason; an empty close payload means 1005', () => {
  const { frames } = parseFrames(closeFrame(1011, 'boom'));
  assert.equal(frames[0]!.opcode, Opcodes.close);
  assert.equal(closeCode(frames[0]!.payload), 1011);
  assert.equal(frames[0]!.payload.subarray(2).toString(), 'boom');
  assert.equal(closeCode(Buffer.alloc(0)), 1005);
});

test('encodeFrame with a mask: the client frame parses back to the payload, the mask bit set', () => {
  const mask = Buffer.from([0xa1, 0xb2, 0xc3, 0xd4]);
  const frame = encodeFrame(Opcodes.text, 'x'.repeat(300), mask);
  assert.equal(frame[1]! & 0x80, 0x80);
  assert.equal(frame.length, 4 + 4 + 300);
  const { frames } = parseFrames(frame);
  assert.equal(frames[0]!.payload.toString(), 'x'.repeat(300));
  const close = parseFrames(closeFrame(1000, 'bye', mask)).frames[0]!;
  assert.equal(closeCode(close.payload), 1000);
  assert.equal(closeReason(close.payload), 'bye');
});

test('MessageAssembler: a fragmented message is joined at FIN; control frames in between are not data', () => {
  const a = new MessageAssembler();
  assert.equal(a.push({ fin: false, opcode: Opcodes.text, payload: Buffer.from('hel') }), undefined);
  assert.equal(a.push({ fin: true, opcode: Opcodes.ping, payload: Buffer.alloc(0) }), undefined);
  assert.equal(
    a.push({ fin: true, opcode: Opcodes.continuation, payload: Buffer.from('lo') })?.toString(),
    'hello',
  );
  assert.equal(a.push({ fin: true, opcode: Opcodes.text, payload: Buffer.from('one') })?.toString(), 'one');
  // A stray continuation (no open message) is ignored.
  assert.equal(a.push({ fin: true, opcode: Opcodes.continuation, payload: Buffer.from('x') }), undefined);
});

test('frames: masked client frames decode back, for 7-, 16- and 64-bit lengths, split anywhere', () => {
  for (const size of [0, 5, 125, 126, 300, 70_000]) {
    const payload = Buffer.alloc(size, 7);
    const frame = encodeFrame(2, payload, Buffer.from([1, 2, 3, 4]));
    assert.equal(frame[1]! & 0x80, 0x80, 'client frames are masked');
    const first = parseFrames(frame.subarray(0, Math.floor(frame.length / 2)));
    assert.deepEqual(first.frames, []);
    const { frames, rest } = parseFrames(frame);
    assert.equal(rest.length, 0);
    assert.equal(frames[0]!.opcode, 2);
    assert.ok(frames[0]!.fin);
    assert.deepEqual(frames[0]!.payload, payload);
  }
});

test('frames: several unmasked server frames in one buffer, the incomplete tail kept', () => {
  const server = (op: number, data: string) =>
    Buffer.concat([Buffer.from([0x80 | op, data.length]), Buffer.from(data)]);
  const buf = Buffer.concat([server(2, '\x01out'), server(9, 'pi'), Buffer.from([0x82, 10, 1])]);
  const { frames, rest } = parseFrames(buf);
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.payload.toString('latin1')]),
    [
      [2, '\x01out'],
      [9, 'pi'],
    ],
  );
  assert.equal(rest.length, 3);
});

test('FrameReader: a stream cut at every byte yields each frame once, whole, when its last byte comes', () => {
  const frames = [
    encodeFrame(Opcodes.text, 'first', Buffer.from([9, 8, 7, 6])),
    encodeFrame(Opcodes.ping, 'p'),
    closeFrame(1001, 'going away'),
  ];
  const stream = Buffer.concat(frames);
  const reader = new FrameReader();
  const seen: { at: number; opcode: number; payload: Buffer }[] = [];
  for (let i = 0; i < stream.length; i++)
    for (const f of reader.push(stream.subarray(i, i + 1)))
      seen.push({ at: i, opcode: f.opcode, payload: f.payload });
  assert.deepEqual(
    seen.map((f) => [f.at, f.opcode]),
    [
      [frames[0]!.length - 1, Opcodes.text],
      [frames[0]!.length + frames[1]!.length - 1, Opcodes.ping],
      [stream.length - 1, Opcodes.close],
    ],
  );
  assert.equal(seen[0]!.payload.toString(), 'first');
  assert.equal(seen[1]!.payload.toString(), 'p');
  assert.deepEqual(closeStatus(seen[2]!.payload), { code: 1001, reason: 'going away' });
  assert.deepEqual(closeStatus(Buffer.alloc(0)), { code: 1005, reason: '' });
});
