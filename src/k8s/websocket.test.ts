import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execPath, exitCodeOf } from './exec.ts';
import { decodeFrames, encodeFrame } from './websocket.ts';

test('frames: masked client frames decode back, for 7-, 16- and 64-bit lengths, split anywhere', () => {
  for (const size of [0, 5, 125, 126, 300, 70_000]) {
    const payload = Buffer.alloc(size, 7);
    const frame = encodeFrame(2, payload, Buffer.from([1, 2, 3, 4]));
    assert.equal(frame[1]! & 0x80, 0x80, 'client frames are masked');
    const first = decodeFrames(frame.subarray(0, Math.floor(frame.length / 2)));
    assert.deepEqual(first.frames, []);
    const { frames, rest } = decodeFrames(frame);
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
  const { frames, rest } = decodeFrames(buf);
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.payload.toString('latin1')]),
    [
      [2, '\x01out'],
      [9, 'pi'],
    ],
  );
  assert.equal(rest.length, 3);
});

test('exec: the URL repeats command, and the v4/v5 status gives the exit code', () => {
  assert.equal(
    execPath({ namespace: 'ns', pod: 'p', container: 'ray-head', command: ['tar', '-cf', '-'] }),
    '/api/v1/namespaces/ns/pods/p/exec?command=tar&command=-cf&command=-&container=ray-head&stdout=true&stderr=true',
  );
  assert.equal(exitCodeOf('{"metadata":{},"status":"Success"}'), 0);
  assert.equal(
    exitCodeOf(
      '{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}',
    ),
    2,
  );
  assert.throws(
    () => exitCodeOf('{"status":"Failure","message":"container not found"}'),
    /container not found/,
  );
});
