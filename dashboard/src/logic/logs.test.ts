import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendLog, EMPTY_LOG, logText, podLogPath, replaceLog, stripAnsi } from './logs.ts';

test('stripAnsi removes colours and cursor codes, keeps the text', () => {
  assert.equal(stripAnsi('\u001b[32mINFO\u001b[0m started \u001b[1;31mERR\u001b[39m'), 'INFO started ERR');
  assert.equal(stripAnsi('\u001b]0;title\u0007plain'), 'plain');
});

test('appendLog: chunks split in the middle of lines are joined; CRLF becomes LF', () => {
  let s = appendLog(EMPTY_LOG, 'one\ntw');
  assert.deepEqual(s, { lines: ['one'], partial: 'tw', dropped: 0 });
  s = appendLog(s, 'o\r\nthree\n');
  assert.deepEqual(s, { lines: ['one', 'two', 'three'], partial: '', dropped: 0 });
  assert.equal(logText(s), 'one\ntwo\nthree');
  assert.equal(appendLog(s, ''), s);
});

test('appendLog: an escape code split across chunks is still removed', () => {
  const s = appendLog(appendLog(EMPTY_LOG, 'a \u001b[3'), '2mgreen\u001b[0m\n');
  assert.deepEqual(s.lines, ['a green']);
});

test('appendLog keeps the last `max` lines and counts the dropped ones', () => {
  const s = appendLog(appendLog(EMPTY_LOG, '1\n2\n3\n', 2), '4\n5', 2);
  assert.deepEqual(s, { lines: ['3', '4'], partial: '5', dropped: 2 });
  assert.equal(logText(s), '… 2 earlier lines not shown\n3\n4\n5');
});

test('replaceLog appends what a re-read log added, and restarts when the text changed', () => {
  let s = replaceLog(EMPTY_LOG, '', 'a\nb\n');
  s = replaceLog(s, 'a\nb\n', 'a\nb\nc\n');
  assert.deepEqual(s.lines, ['a', 'b', 'c']);
  const other = replaceLog(s, 'a\nb\nc\n', 'x\n');
  assert.deepEqual(other.lines, ['x']);
});

test('podLogPath', () => {
  assert.equal(
    podLogPath('team a', 'head-1', { container: 'ray-head', tailLines: 100, follow: true }),
    '/api/v1/namespaces/team%20a/pods/head-1/log?container=ray-head&tailLines=100&follow=true',
  );
  assert.equal(podLogPath('ns', 'p', {}), '/api/v1/namespaces/ns/pods/p/log');
});
