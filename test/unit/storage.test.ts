import { afterEach, describe, expect, it, vi } from 'vitest';
import { openKv, type ReadAhead } from '../../src/storage';

const AHEAD: ReadAhead = { keys: ['c:one', 'v:two'], prefixes: ['o:'] };

/** The widget's IndexedDB transactions begun from now on, by mode (not the database's creation). */
function countTransactions() {
  const begin = vi.spyOn(IDBDatabase.prototype, 'transaction');
  return () => begin.mock.calls.map((call) => call[1] ?? 'readonly').filter((mode) => mode !== 'versionchange');
}

describe('store read ahead', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('reads what a page view reads first in the one transaction that opens the store', async () => {
    const earlier = openKv(() => {});
    await earlier.setMany([
      ['c:one', { a: 1 }],
      ['o:answer/x', { b: 2 }],
    ]);
    const transactions = countTransactions();
    const kv = openKv(() => {}, undefined, AHEAD);
    expect(await kv.get('c:one')).toEqual({ a: 1 });
    expect(await kv.get('v:two')).toBeUndefined();
    expect(await kv.any('o:')).toBe(true);
    expect(transactions()).toEqual(['readonly']);
  });

  it('answers only the first read from it: later reads see what another tab wrote since', async () => {
    const kv = openKv(() => {}, undefined, AHEAD);
    expect(await kv.get('v:two')).toBeUndefined();
    expect(await kv.any('o:')).toBe(false);
    const other = openKv(() => {});
    await other.set('v:two', 'from another tab');
    await other.set('o:answer/y', 1);
    expect(await kv.get('v:two')).toBe('from another tab');
    expect(await kv.any('o:')).toBe(true);
  });

  it('never answers from it once this tab wrote anything', async () => {
    const kv = openKv(() => {}, undefined, AHEAD);
    await kv.get('c:one');
    await kv.set('v:two', 'mine');
    await kv.setMany([['o:answer/z', 1]]);
    expect(await kv.get('v:two')).toBe('mine');
    expect(await kv.any('o:')).toBe(true);
    await kv.del(['o:answer/z']);
    expect(await kv.any('o:')).toBe(false);
  });

  it('without a read ahead, opens with a transaction of its own', async () => {
    const transactions = countTransactions();
    const kv = openKv(() => {});
    expect(await kv.get('c:one')).toBeUndefined();
    expect(await kv.any('o:')).toBe(false);
    expect(transactions()).toHaveLength(3);
  });
});

describe('deleting many keys', () => {
  afterEach(() => void vi.restoreAllMocks());

  /** The delete requests made from now on: a key, or a range as [lower, upper]. */
  function countDeletes() {
    const del = vi.spyOn(IDBObjectStore.prototype, 'delete');
    return () => del.mock.calls.map(([q]) => (q instanceof IDBKeyRange ? [q.lower, q.upper] : q));
  }

  it('deletes each run of wanted keys with nothing else between in one range request, and keeps the rest', async () => {
    const kv = openKv(() => {});
    const keys = Array.from({ length: 9 }, (_, i) => `z:run/${i}`);
    await kv.setMany(keys.map((k) => [k, k]));
    const deletes = countDeletes();
    await kv.del(['z:run/7', 'z:run/0', 'z:run/1', 'z:run/2', 'z:run/4', 'z:run/5', 'z:run/8', 'z:run/missing']);
    expect((await kv.list('z:run/')).map(([k]) => k)).toEqual(['z:run/3', 'z:run/6']);
    expect(deletes()).toEqual([['z:run/0', 'z:run/2'], ['z:run/4', 'z:run/5'], ['z:run/7', 'z:run/8'], 'z:run/missing']);
  });

  it('deletes key by key what lies past the keys it reads, when other records crowd the range', async () => {
    const kv = openKv(() => {});
    const keys = Array.from({ length: 20 }, (_, i) => `z:far/${String(i).padStart(2, '0')}`);
    await kv.setMany(keys.map((k) => [k, k]));
    const deletes = countDeletes();
    await kv.del(['z:far/00', 'z:far/19']);
    expect((await kv.list('z:far/')).map(([k]) => k)).toEqual(keys.slice(1, -1));
    expect(deletes()).toEqual(['z:far/00', 'z:far/19']);
  });
});
