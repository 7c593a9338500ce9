import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Duplex, PassThrough } from 'node:stream';
import { test } from 'node:test';
import { constants, createDeflate, createInflate } from 'node:zlib';
import { spdyDictionary } from './dictionary.ts';
import {
  ControlType,
  decodeHeaderBlock,
  encodeControl,
  encodeData,
  encodeHeaderBlock,
  FLAG_FIN,
  type Frame,
  parseFrames,
  parseStreamHeaders,
} from './frames.ts';
import { SpdySession, type SpdyStream } from './session.ts';

/** An in-memory client: what it writes reaches the session, what the session writes is parsed into frames. */
function pair() {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverSide = Duplex.from({ readable: toServer, writable: toClient });
  const session = new SpdySession(serverSide);
  const frames: Frame[] = [];
  let pending: Buffer = Buffer.alloc(0);
  toClient.on('data', (d: Buffer) => {
    const parsed = parseFrames(Buffer.concat([pending, d]));
    pending = parsed.rest;
    frames.push(...parsed.frames);
  });
  const deflate = createDeflate({ dictionary: spdyDictionary });
  const compress = (headers: Record<string, string>) =>
    new Promise<Buffer>((resolve) => {
      const out: Buffer[] = [];
      const onData = (d: Buffer) => out.push(d);
      deflate.on('data', onData);
      deflate.write(encodeHeaderBlock(headers));
      deflate.flush(constants.Z_SYNC_FLUSH, () =>
        setImmediate(() => {
          deflate.off('data', onData);
          resolve(Buffer.concat(out));
        }),
      );
    });
  const open = async (id: number, headers: Record<string, string>, fin = false) => {
    const head = Buffer.alloc(10);
    head.writeUInt32BE(id, 0);
    toServer.write(
      encodeControl(
        ControlType.synStream,
        fin ? FLAG_FIN : 0,
        Buffer.concat([head, await compress(headers)]),
      ),
    );
  };
  return { session, frames, open, send: (b: Buffer) => toServer.write(b) };
}

/** Waits for a condition. zlib works on the thread pool, so on a loaded machine this takes real time,
 * not a fixed number of event-loop turns: poll for up to 10 s. */
const until = async (cond: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  assert.ok(cond(), 'condition not reached');
};

test('streams are accepted with a SYN_REPLY whose (compressed) header block is empty, in order, across frames', async () => {
  const c = pair();
  const seen: SpdyStream[] = [];
  c.session.on('stream', (s) => seen.push(s));
  await c.open(1, { streamtype: 'error' });
  await c.open(3, { streamtype: 'stdout', extra: 'x' });
  await until(() => seen.length === 2);
  assert.deepEqual(
    seen.map((s) => [s.id, s.headers.streamtype]),
    [
      [1, 'error'],
      [3, 'stdout'],
    ],
  );
  const replies = c.frames.filter((f) => f.kind === 'control' && f.type === ControlType.synReply);
  assert.equal(replies.length, 2);
  // The client side inflates our replies with its own shared context.
  const inflate = createInflate({ dictionary: spdyDictionary });
  const blocks: Buffer[] = [];
  inflate.on('data', (d: Buffer) => blocks.push(d));
  for (const r of replies) if (r.kind === 'control') inflate.write(parseStreamHeaders(r.payload).block);
  await new Promise<void>((r) => inflate.flush(constants.Z_SYNC_FLUSH, () => setImmediate(r)));
  const all = Buffer.concat(blocks);
  assert.deepEqual(decodeHeaderBlock(all.subarray(0, 4)), {});
  assert.deepEqual(decodeHeaderBlock(all.subarray(4, 8)), {});
});

test('data and FIN reach the stream; our writes and end() become DATA frames; PING is echoed', async () => {
  const c = pair();
  const got: string[] = [];
  let ended = false;
  c.session.on('stream', (s) => {
    s.on('data', (d: Buffer) => got.push(d.toString()));
    s.on('end', () => {
      ended = true;
      s.write('pong');
      s.end();
    });
  });
  await c.open(1, { streamtype: 'stdin' });
  c.send(encodeData(1, Buffer.from('ab')));
  c.send(encodeData(1, Buffer.from('c'), true));
  c.send(encodeControl(ControlType.ping, 0, Buffer.from([0, 0, 0, 1])));
  await until(() => ended && c.frames.filter((f) => f.kind === 'data').length === 2);
  assert.deepEqual(got, ['ab', 'c']);
  const data = c.frames.filter((f) => f.kind === 'data');
  assert.deepEqual(
    data.map((f) => (f.kind === 'data' ? [f.streamId, f.data.toString(), f.flags] : [])),
    [
      [1, 'pong', 0],
      [1, '', FLAG_FIN],
    ],
  );
  assert.ok(c.frames.some((f) => f.kind === 'control' && f.type === ControlType.ping));
});

test('close() says GOAWAY and ends every stream', async () => {
  const c = pair();
  let ended = 0;
  c.session.on('stream', (s) => s.on('end', () => ended++));
  await c.open(1, { streamtype: 'data' });
  await until(() => c.frames.length === 1);
  const closed = once(c.session, 'close');
  c.session.close();
  await closed;
  assert.equal(ended, 1);
  assert.ok(c.frames.some((f) => f.kind === 'control' && f.type === ControlType.goAway));
});

test('client side: openStream sends SYN_STREAM with odd ids and the server side sees its headers and data', async () => {
  const { Duplex: D } = await import('node:stream');
  const { SpdySession: S } = await import('./session.ts');
  let toServer: InstanceType<typeof D> | undefined;
  let toClient: InstanceType<typeof D> | undefined;
  const clientEnd = new D({
    read() {},
    write(c, _e, cb) {
      toServer!.push(c);
      cb();
    },
  });
  const serverEnd = new D({
    read() {},
    write(c, _e, cb) {
      toClient!.push(c);
      cb();
    },
  });
  toServer = serverEnd;
  toClient = clientEnd;
  const client = new S(clientEnd);
  const server = new S(serverEnd);
  const seen: { id: number; headers: Record<string, string>; data: string }[] = [];
  const got = new Promise<void>((resolve) =>
    server.on('stream', (s) => {
      const entry = { id: s.id, headers: { ...s.headers }, data: '' };
      seen.push(entry);
      s.on('data', (d: Buffer) => {
        entry.data += d.toString();
        if (seen.length === 2 && seen[1]!.data === 'ping') resolve();
      });
    }),
  );
  const a = await client.openStream({ streamtype: 'error', port: '8265', requestid: '0' });
  const b = await client.openStream({ streamtype: 'data', port: '8265', requestid: '0' });
  b.write('ping');
  await got;
  assert.deepEqual([a.id, b.id], [1, 3]);
  assert.deepEqual(
    seen.map((s) => [s.id, s.headers.streamtype, s.headers.port]),
    [
      [1, 'error', '8265'],
      [3, 'data', '8265'],
    ],
  );
  client.close();
  server.close();
});
