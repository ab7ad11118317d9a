import { describe, expect, it, vi } from 'vitest';
import type { Answer } from '../../src/answer';
import { createOutbox, outboxKey, type Outbox, type OutboxLimits, type OutboxRecord } from '../../src/outbox';
import { openKv, type Kv } from '../../src/storage';
import { makeAnswer } from '../answers';

const DAY = 86_400_000;
const limits = (over: Partial<OutboxLimits> = {}): OutboxLimits => ({ maxAnswers: 1000, maxAgeDays: 30, onEvict: vi.fn(), ...over });
const ids = (records: { answer: { id: string } }[]) => records.map((r) => r.answer.id);

describe('outbox on IndexedDB', () => {
  it('keeps answers across a reopen, oldest first, until acknowledged', async () => {
    const onFallback = vi.fn();
    const a = makeAnswer({ answeredAt: new Date(Date.now() - 1000).toISOString() });
    const b = makeAnswer({ answeredAt: new Date(Date.now() - 2000).toISOString() });
    const first = createOutbox(openKv(onFallback), limits());
    await first.add(a);
    await first.add(b);
    const kv = openKv(onFallback);
    const second = createOutbox(kv, limits());
    const queued = await second.all();
    expect(kv.persistent).toBe(true);
    expect(ids(queued)).toEqual([b.id, a.id]);
    await second.ack(queued.slice(0, 1));
    expect(ids(await createOutbox(openKv(onFallback), limits()).all())).toEqual([a.id]);
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('does not remove a record that changed after it was sent', async () => {
    const outbox = createOutbox(
      openKv(() => {}),
      limits(),
    );
    const a = makeAnswer();
    await outbox.add(a);
    const sent = await outbox.all();
    expect(await outbox.patch(a.id, { comment: 'late comment' })).toBe(true);
    await outbox.ack(sent);
    const left = await outbox.all();
    expect(left).toHaveLength(1);
    expect((left[0]!.answer as Answer).comment).toBe('late comment');
    await outbox.ack(left);
    expect(await outbox.all()).toEqual([]);
    expect(await outbox.patch(a.id, { comment: 'x' })).toBe(false);
  });

  it('forgets what another tab acknowledged, without writing it back', async () => {
    const mine = createOutbox(
      openKv(() => {}),
      limits(),
    );
    const other = createOutbox(
      openKv(() => {}),
      limits(),
    );
    const a = makeAnswer();
    await mine.add(a);
    await other.ack(await other.all());
    expect(await mine.all()).toEqual([]);
    expect(await other.all()).toEqual([]);
  });

  it('reconnects when the browser closes the connection, and writes back what a deleted database lost', async () => {
    const kv = openKv(() => {});
    const outbox = createOutbox(kv, limits());
    const a = makeAnswer();
    await outbox.add(a);
    // Another context deletes the database: the widget closes its connection so that can happen.
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase('moodpoint');
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('blocked: the widget kept its connection open'));
    });
    const b = makeAnswer();
    await outbox.add(b);
    expect(kv.persistent).toBe(true);
    expect(
      new Set(
        ids(
          await createOutbox(
            openKv(() => {}),
            limits(),
          ).all(),
        ),
      ),
    ).toEqual(new Set([a.id, b.id]));
  });

  it('calls onLost once it let a delete through, so the queue is written back without waiting for a write', async () => {
    let outbox: ReturnType<typeof createOutbox> | undefined;
    const lost = new Promise<void>((resolve) => {
      const kv = openKv(
        () => {},
        () => void outbox!.all().then(() => resolve()),
      );
      outbox = createOutbox(kv, limits());
    });
    const a = makeAnswer();
    await outbox!.add(a);
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase('moodpoint');
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
    });
    await lost;
    expect(
      ids(
        await createOutbox(
          openKv(() => {}),
          limits(),
        ).all(),
      ),
    ).toEqual([a.id]);
  });

  it('writes a record again when storage was lost while its write was under way', async () => {
    const map = new Map<string, unknown>();
    let epoch = 1;
    const kv: Kv = {
      persistent: true,
      get epoch() {
        return epoch;
      },
      get: async <T>(key: string) => map.get(key) as T | undefined,
      getMany: async <T>(keys: string[]) => keys.map((k) => map.get(k) as T | undefined),
      // The write lands in the old store, which is then deleted: a new store (epoch) starts empty.
      set: async (key, value) => kv.setMany([[key, value]]),
      setMany: async (entries) => {
        for (const [key, value] of entries) map.set(key, value);
        if (epoch === 1 && entries.some(([key]) => key.startsWith('o:'))) {
          map.clear();
          epoch++;
        }
      },
      del: async (keys) => keys.forEach((k) => map.delete(k)),
      delWhere: async <T>(keys: string[], remove: (value: T | undefined, key: string) => boolean) =>
        keys.filter((k) => remove(map.get(k) as T | undefined, k) && (map.delete(k), true)),
      list: async <T>(prefix: string) => [...map].filter(([k]) => k.startsWith(prefix)) as [string, T][],
      any: async (prefix) => [...map.keys()].some((k) => k.startsWith(prefix)),
    };
    const outbox = createOutbox(kv, limits());
    const a = makeAnswer();
    await outbox.add(a);
    expect(ids(await outbox.all())).toEqual([a.id]);
    expect(map.has(outboxKey(a))).toBe(true);
  });

  it('evicts the oldest answers beyond maxAnswers, and reports them', async () => {
    const onEvict = vi.fn();
    const outbox = createOutbox(
      openKv(() => {}),
      limits({ maxAnswers: 2, onEvict }),
    );
    const answers = [3, 2, 1].map((s) => makeAnswer({ answeredAt: new Date(Date.now() - s * 1000).toISOString() }));
    for (const a of answers) await outbox.add(a);
    expect(ids(await outbox.all())).toEqual([answers[1]!.id, answers[2]!.id]);
    expect(onEvict).toHaveBeenCalledWith([answers[0]], expect.stringContaining('maxAnswers'));
  });

  it('expires answers older than maxAgeDays only after failed sends, so a clock jump cannot expire fresh ones', async () => {
    const onEvict = vi.fn();
    const outbox = createOutbox(
      openKv(() => {}),
      limits({ maxAgeDays: 30, onEvict }),
    );
    const old = makeAnswer({ answeredAt: new Date(Date.now() - 31 * DAY).toISOString() });
    await outbox.add(old);
    expect(ids(await outbox.all())).toEqual([old.id]);
    for (let i = 0; i < 3; i++) await outbox.failed(await outbox.all());
    expect(await outbox.all()).toEqual([]);
    expect(onEvict).toHaveBeenCalledWith([old], expect.stringContaining('maxAgeDays'));
  });

  it('keeps a count of rejected answers (dead letters)', async () => {
    const outbox = createOutbox(
      openKv(() => {}),
      limits(),
    );
    const [a, b] = [makeAnswer(), makeAnswer()];
    await outbox.add(a);
    await outbox.add(b);
    expect(await outbox.reject([a.id])).toBe(1);
    expect(await outbox.reject([b.id])).toBe(2);
    expect(await outbox.all()).toEqual([]);
  });
});

describe('outbox keys and deletes', () => {
  /** Every delete request the store is sent: a key, or a range as [lower, upper]. */
  function spyDeletes() {
    const requests: (string | [string, string])[] = [];
    const original = IDBObjectStore.prototype.delete;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(function (this: IDBObjectStore, query) {
      requests.push(query instanceof IDBKeyRange ? [String(query.lower), String(query.upper)] : String(query));
      return original.call(this, query);
    });
    return { requests, restore: () => spy.mockRestore() };
  }

  it('stores answers and impressions apart, each in time order', () => {
    const a = makeAnswer({ answeredAt: '2026-12-02T05:00:00.000Z' });
    expect(outboxKey(a)).toBe(`o:answer/2026-12-02T05:00:00.000Z/${a.id}`);
    const shown = {
      id: crypto.randomUUID(),
      responseId: a.responseId,
      touchpoint: 't',
      event: 'shown',
      at: '2026-12-02T04:59:59.000Z',
      v: 1,
    } as const;
    expect(outboxKey(shown)).toBe(`o:impression/2026-12-02T04:59:59.000Z/${shown.id}`);
  });

  /** An outbox holding `n` answers given a second apart, as read back for a flush. */
  async function queuedSecondsApart(n: number) {
    const outbox = createOutbox(
      openKv(() => {}),
      limits(),
    );
    const base = Date.parse('2026-12-01T00:00:00.000Z');
    const answers = Array.from({ length: n }, (_, i) => makeAnswer({ answeredAt: new Date(base + i * 1000).toISOString() }));
    for (const a of answers) await outbox.add(a);
    return { outbox, answers, queued: await outbox.all() };
  }

  /** The delete requests an acknowledgement sends, then the ids another tab would still read. */
  async function ackAndWatch(outbox: Outbox, sent: readonly OutboxRecord[]) {
    const deletes = spyDeletes();
    try {
      await outbox.ack(sent, true);
    } finally {
      deletes.restore();
    }
    const left = await createOutbox(
      openKv(() => {}),
      limits(),
    ).all();
    return { requests: deletes.requests, left: ids(left) };
  }

  it('deletes an acknowledged batch in one range request when nothing else lies between its keys', async () => {
    const { outbox, answers, queued } = await queuedSecondsApart(5);
    const { requests, left } = await ackAndWatch(outbox, queued.slice(0, 3));
    expect(requests).toEqual([[outboxKey(answers[0]!), outboxKey(answers[2]!)]]);
    expect(left).toEqual([answers[3]!.id, answers[4]!.id]);
  });

  it('deletes key by key when a record it was not asked to delete lies between, and keeps that record', async () => {
    const { outbox, answers, queued } = await queuedSecondsApart(3);
    const { requests, left } = await ackAndWatch(outbox, [queued[0]!, queued[2]!]);
    expect(requests).toEqual([outboxKey(answers[0]!), outboxKey(answers[2]!)]);
    expect(left).toEqual([answers[1]!.id]);
  });

  it('reads, sends and deletes records an earlier version stored under o:<id>', async () => {
    const old = makeAnswer({ answeredAt: '2026-11-30T00:00:00.000Z' });
    const kv = openKv(() => {});
    await kv.set(`o:${old.id}`, { answer: old, rev: 0 });
    const outbox = createOutbox(kv, limits());
    const fresh = makeAnswer();
    await outbox.add(fresh);
    const queued = await outbox.all();
    expect(ids(queued)).toEqual([old.id, fresh.id]);
    expect(await outbox.patch(old.id, { comment: 'kept under its old key' })).toBe(true);
    expect(await kv.get(`o:${old.id}`)).toMatchObject({ rev: 1, answer: { comment: 'kept under its old key' } });
    await outbox.ack(await outbox.all(), true);
    expect(await kv.list('o:')).toEqual([]);
  });
});

describe('outbox memory fallback', () => {
  it('falls back to memory when IndexedDB is missing, and says why', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const onFallback = vi.fn();
      const kv = openKv(onFallback);
      const outbox = createOutbox(kv, limits());
      const a = makeAnswer();
      await outbox.add(a);
      expect(kv.persistent).toBe(false);
      expect(onFallback).toHaveBeenCalledWith(expect.stringContaining('IndexedDB is not available'));
      expect(ids(await outbox.all())).toEqual([a.id]);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('forgets an acknowledged record that the memory store no longer holds', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const kv = openKv(() => {});
      const outbox = createOutbox(kv, limits());
      const a = makeAnswer();
      await outbox.add(a);
      const sent = await outbox.all();
      // Gone from the store by another way: the acknowledgement must still clear this tab's copy.
      await kv.del([outboxKey(a)]);
      await outbox.ack(sent);
      expect(outbox.known()).toEqual([]);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('falls back when opening hangs', async () => {
    const open = vi.spyOn(indexedDB, 'open').mockImplementation(() => ({}) as IDBOpenDBRequest);
    const onFallback = vi.fn();
    const kv = openKv(onFallback);
    await kv.set('x', 1);
    open.mockRestore();
    expect(kv.persistent).toBe(false);
    expect(onFallback).toHaveBeenCalledWith(expect.stringContaining('timed out'));
    expect(await kv.get('x')).toBe(1);
  });

  it('retries a failed write on a fresh connection, then falls back, losing nothing queued', async () => {
    const onFallback = vi.fn();
    const kv = openKv(onFallback);
    const outbox = createOutbox(kv, limits());
    const a = makeAnswer();
    await outbox.add(a);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw new DOMException('closing', 'InvalidStateError');
    });
    const b = makeAnswer();
    await outbox.add(b);
    expect(kv.persistent).toBe(true);
    put.mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const c = makeAnswer();
    await outbox.add(c);
    put.mockRestore();
    expect(kv.persistent).toBe(false);
    expect(onFallback).toHaveBeenCalledWith(expect.stringContaining('QuotaExceededError'));
    expect(new Set(ids(await outbox.all()))).toEqual(new Set([a.id, b.id, c.id]));
  });
});
