import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyPageEvent,
  FIRST_PAGE,
  inRange,
  type LivePage,
  labelSelectorError,
  nextPage,
  pageNumber,
  pageSizeOf,
  previousPage,
  rangeOf,
} from './paging.ts';
import type { Named, WatchEvent } from './store.ts';

const o = (ns: string, name: string, rv = '1'): Named => ({
  metadata: { name, namespace: ns, resourceVersion: rv },
});
const names = (p: LivePage<Named>) => p.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
const ev = (type: WatchEvent['type'], object: Named): WatchEvent<Named> => ({ type, object });

test('a page covers the keys after the previous page up to its last key; the last page is open', () => {
  const page2 = rangeOf([o('a', 'c1'), o('a', 'c5')], 'a/c0', true);
  assert.deepEqual(page2, { after: 'a/c0', through: 'a/c5' });
  assert.equal(inRange('a/c0', page2), false);
  assert.equal(inRange('a/c3', page2), true);
  assert.equal(inRange('a/c5', page2), true);
  assert.equal(inRange('a/c6', page2), false);
  const last = rangeOf([o('a', 'c6')], 'a/c5', false);
  assert.deepEqual(last, { after: 'a/c5' });
  assert.equal(inRange('z/zz', last), true);
  // An empty first page without more pages covers everything.
  assert.equal(inRange('a/a', rangeOf([], '', false)), true);
});

test('keys compare byte by byte as Kubernetes stores them ("a-b/x" before "a/x")', () => {
  const range = rangeOf([o('a-b', 'x')], '', true);
  assert.equal(inRange('a-b/w', range), true);
  assert.equal(inRange('a/a', range), false);
});

test('watch events change the objects of the page and count the ones added elsewhere', () => {
  const range = rangeOf([o('a', 'b'), o('a', 'd')], '', true);
  let page: LivePage<Named> = { items: [o('a', 'b'), o('a', 'd')], newElsewhere: [] };
  page = applyPageEvent(page, range, ev('ADDED', o('a', 'c', '2')));
  assert.deepEqual(names(page), ['a/b', 'a/c', 'a/d'], 'inserted in key order');
  page = applyPageEvent(page, range, ev('ADDED', o('a', 'z', '3')));
  assert.deepEqual(names(page), ['a/b', 'a/c', 'a/d']);
  assert.deepEqual(page.newElsewhere, ['a/z']);
  // The same object again (a re-sent ADDED) is counted once; its deletion uncounts it.
  assert.equal(applyPageEvent(page, range, ev('ADDED', o('a', 'z', '4'))), page);
  assert.deepEqual(applyPageEvent(page, range, ev('DELETED', o('a', 'z', '5'))).newElsewhere, []);
  // Changes to objects on other pages are not counted as new.
  assert.equal(applyPageEvent(page, range, ev('MODIFIED', o('a', 'y', '6'))), page);
  page = applyPageEvent(page, range, ev('MODIFIED', o('a', 'c', '7')));
  assert.equal(page.items[1]!.metadata.resourceVersion, '7');
  // An older event than the one held is ignored.
  assert.equal(applyPageEvent(page, range, ev('MODIFIED', o('a', 'c', '6'))), page);
  page = applyPageEvent(page, range, ev('DELETED', o('a', 'b', '8')));
  assert.deepEqual(names(page), ['a/c', 'a/d']);
  assert.equal(applyPageEvent(page, range, { type: 'BOOKMARK', object: o('', 'x') }), page);
});

test('the cursor goes forward with continue tokens and back without asking Kubernetes', () => {
  const c2 = nextPage(FIRST_PAGE, 'tok2', 'a/c5');
  const c3 = nextPage(c2, 'tok3', 'a/c9');
  assert.equal(pageNumber(c3), 3);
  assert.deepEqual(c3.tokens, ['', 'tok2', 'tok3']);
  assert.deepEqual(previousPage(c3), c2);
  assert.deepEqual(previousPage(previousPage(c3)), FIRST_PAGE);
  assert.equal(previousPage(FIRST_PAGE), FIRST_PAGE);
});

test('page sizes from the URL fall back to the default', () => {
  assert.equal(pageSizeOf('50'), 50);
  assert.equal(pageSizeOf('7'), 100);
  assert.equal(pageSizeOf(null), 100);
});

test('label selectors: valid forms pass, a mistake names the term', () => {
  for (const ok of [
    '',
    'app=x',
    'app==x,tier!=db',
    '!gpu',
    'ray.io/cluster=demo',
    'env in (a, b),x notin (c)',
  ])
    assert.equal(labelSelectorError(ok), undefined, ok);
  assert.equal(labelSelectorError('app=x,=y'), 'label selector: "=y" is not a requirement like app=x');
  assert.match(labelSelectorError('a b') ?? '', /"a b"/);
});
