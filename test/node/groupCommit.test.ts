// Group commit: batches that arrive while one is stored share the next statement, each caller
// gets its own result, and a statement the database refuses does not fail the other callers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCommit } from '../../server/groupCommit';
import { openStore, type Store } from '../../server/store';
import { makeAnswer } from '../answers';
import { BOOT_TIMEOUT } from './helpers';

interface Call {
  name: string;
  rows: number;
  kind?: string;
}

/** A `run` that records each statement's calls and finishes only when the test says so. */
function controlled(fail: (calls: Call[]) => boolean = () => false) {
  const statements: { calls: string[]; finish(): void }[] = [];
  const changed: (() => void)[] = [];
  const run = (calls: Call[]) =>
    new Promise<string[]>((resolve, reject) => {
      const finish = () =>
        fail(calls) ? reject(new Error(`refused ${calls.map((c) => c.name).join('+')}`)) : resolve(calls.map((c) => `stored ${c.name}`));
      statements.push({ calls: calls.map((c) => c.name), finish });
      changed.splice(0).forEach((wake) => wake());
    });
  /** Resolves once `n` statements have started. */
  const started = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (statements.length >= n ? resolve() : changed.push(check));
      check();
    });
  return { run, statements, started };
}

const options = { key: (c: Call) => c.kind ?? 'a', size: (c: Call) => c.rows, maxSize: 100, parallel: 1 };

describe('groupCommit', () => {
  it('merges the calls made while a statement runs into the next one, up to maxSize rows', async () => {
    const { run, statements, started } = controlled();
    const insert = groupCommit(run, options);
    const first = insert({ name: 'a', rows: 50 });
    await started(1);
    expect(statements[0]!.calls).toEqual(['a']);
    const rest = [insert({ name: 'b', rows: 50 }), insert({ name: 'c', rows: 50 }), insert({ name: 'd', rows: 10 })];
    statements[0]!.finish();
    await expect(first).resolves.toBe('stored a');
    await started(2);
    // b and c fill the group to maxSize, d would exceed it and waits for the next one.
    expect(statements[1]!.calls).toEqual(['b', 'c']);
    statements[1]!.finish();
    await started(3);
    expect(statements[2]!.calls).toEqual(['d']);
    statements[2]!.finish();
    await expect(Promise.all(rest)).resolves.toEqual(['stored b', 'stored c', 'stored d']);
    expect(statements).toHaveLength(3);
  });

  it('never puts calls of different keys in one statement', async () => {
    const { run, statements, started } = controlled();
    const insert = groupCommit(run, options);
    const first = insert({ name: 'a', rows: 1 });
    await started(1);
    const rest = [insert({ name: 'b', rows: 1 }), insert({ name: 'x', rows: 1, kind: 'seeded' }), insert({ name: 'c', rows: 1 })];
    statements[0]!.finish();
    await started(2);
    expect(statements[1]!.calls).toEqual(['b', 'c']);
    statements[1]!.finish();
    await started(3);
    expect(statements[2]!.calls).toEqual(['x']);
    statements[2]!.finish();
    await expect(Promise.all([first, ...rest])).resolves.toEqual(['stored a', 'stored b', 'stored x', 'stored c']);
  });

  it('puts the calls of one turn in one statement', async () => {
    const { run, statements, started } = controlled();
    const insert = groupCommit(run, options);
    const all = [insert({ name: 'a', rows: 1 }), insert({ name: 'b', rows: 1 }), insert({ name: 'c', rows: 1 })];
    await started(1);
    expect(statements[0]!.calls).toEqual(['a', 'b', 'c']);
    statements[0]!.finish();
    await expect(Promise.all(all)).resolves.toEqual(['stored a', 'stored b', 'stored c']);
  });

  it('runs up to `parallel` statements at once', async () => {
    const { run, statements, started } = controlled();
    const insert = groupCommit(run, { ...options, parallel: 2 });
    // 60 rows each: no two fit in one statement of at most 100.
    const all = [insert({ name: 'a', rows: 60 }), insert({ name: 'b', rows: 60 }), insert({ name: 'c', rows: 60 })];
    await started(2);
    expect(statements.map((s) => s.calls)).toEqual([['a'], ['b']]);
    statements[1]!.finish();
    await started(3);
    expect(statements[2]!.calls).toEqual(['c']);
    statements[0]!.finish();
    statements[2]!.finish();
    await expect(Promise.all(all)).resolves.toEqual(['stored a', 'stored b', 'stored c']);
  });

  it('stores the calls of a refused group one by one, so only the bad one fails', async () => {
    const { run, statements, started } = controlled((calls) => calls.some((c) => c.name === 'bad'));
    const insert = groupCommit(run, options);
    const first = insert({ name: 'a', rows: 1 });
    await started(1);
    const [good, bad, other] = [insert({ name: 'b', rows: 1 }), insert({ name: 'bad', rows: 1 }), insert({ name: 'c', rows: 1 })];
    statements[0]!.finish();
    for (let n = 2; n <= 5; n++) {
      await started(n);
      statements[n - 1]!.finish();
    }
    expect(statements.map((s) => s.calls)).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
    await expect(first).resolves.toBe('stored a');
    await expect(good).resolves.toBe('stored b');
    await expect(bad).rejects.toThrow('refused bad');
    await expect(other).resolves.toBe('stored c');
  });
});

describe('the store groups concurrent inserts', () => {
  let store: Store;
  const statements: string[] = [];

  beforeAll(async () => {
    store = await openStore({ log: () => {} });
    const query = store.db.query.bind(store.db);
    store.db.query = (sql, params) => {
      if (/INSERT INTO (answers|impressions)/.test(sql)) statements.push(sql.includes('INSERT INTO answers') ? 'answers' : 'impressions');
      return query(sql, params);
    };
  }, BOOT_TIMEOUT);
  afterAll(() => store?.close());

  it('counts each call on its own, a copy of an id in two calls as one insert and one duplicate', async () => {
    statements.length = 0;
    const shared = makeAnswer();
    const batches = Array.from({ length: 4 }, () => Array.from({ length: 50 }, () => makeAnswer()));
    batches[1]!.push(shared);
    batches[3]!.push({ ...shared, id: shared.id.toUpperCase() });
    const results = await Promise.all(batches.map((b) => store.insertAnswers(b)));
    expect(results).toEqual([
      { inserted: 50, duplicates: 0 },
      { inserted: 51, duplicates: 0 },
      { inserted: 50, duplicates: 0 },
      { inserted: 50, duplicates: 1 },
    ]);
    // Made in one turn, the four calls share one statement.
    expect(statements).toEqual(['answers']);
    expect(await store.count()).toBe(201);
    const again = await Promise.all(batches.map((b) => store.insertAnswers(b)));
    expect(again.map((r) => r.inserted)).toEqual([0, 0, 0, 0]);
    expect(await store.count()).toBe(201);
  });

  it('takes two copies of an id in other letter case, in one batch, as one answer', async () => {
    const a = makeAnswer();
    await expect(store.insertAnswers([a, { ...a, id: a.id.toUpperCase(), comment: 'later' }])).resolves.toEqual({
      inserted: 1,
      duplicates: 1,
    });
    expect((await store.answersById([a.id])).get(a.id)?.comment).toBe('later');
  });

  it('queues webhook deliveries for every new answer of a grouped statement', async () => {
    const hooks = ['https://hooks.example.com/a'];
    const batches = Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => makeAnswer()));
    const results = await Promise.all(batches.map((b) => store.insertAnswers(b, { webhooks: hooks })));
    expect(results.every((r) => r.inserted === 5)).toBe(true);
    const { rows } = await store.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE answer_id = ANY($1::uuid[])', [
      batches.flat().map((a) => a.id),
    ]);
    expect(rows[0]!.n).toBe(15);
  });
});
