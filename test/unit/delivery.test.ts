import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, createDelivery, toBatches } from '../../src/delivery';
import { createOutbox } from '../../src/outbox';
import { openKv } from '../../src/storage';
import { classify, parseRetryAfter } from '../../src/transport';
import { makeAnswer } from '../answers';

const ENDPOINT = 'https://collector.example/api/answers';

async function setup(responses: (Response | Error)[]) {
  const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => {
    const next = responses.shift() ?? new Response(null, { status: 200 });
    if (next instanceof Error) throw next;
    return next;
  });
  vi.stubGlobal('fetch', fetchMock);
  const outbox = createOutbox(
    openKv(() => {}),
    { maxAnswers: 1000, maxAgeDays: 30, onEvict: vi.fn() },
  );
  const events = { sent: vi.fn(), rejected: vi.fn(), debug: vi.fn() };
  const delivery = createDelivery(outbox, ENDPOINT, { contentType: 'text/plain;charset=UTF-8' }, events);
  return { fetchMock, outbox, events, delivery };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('delivery', () => {
  it('posts {answers} as text/plain without credentials and removes them on 2xx', async () => {
    const { fetchMock, outbox, events, delivery } = await setup([new Response('{}', { status: 200 })]);
    const a = makeAnswer();
    await outbox.add(a);
    await delivery.flush();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(ENDPOINT);
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    expect(JSON.parse(init.body as string)).toEqual({ answers: [a] });
    expect(await outbox.all()).toEqual([]);
    expect(events.sent).toHaveBeenCalledWith([a], 200);
  });

  it('takes no Web Lock while nothing is queued, in this tab or in storage', async () => {
    const request = vi.fn((_name: string, _options: LockOptions, fn: (lock: Lock | null) => Promise<unknown>) =>
      fn({ name: _name } as Lock),
    );
    vi.stubGlobal('navigator', Object.create(navigator, { locks: { value: { request, query: async () => ({ held: [] }) } } }));
    const { fetchMock, delivery } = await setup([]);
    await delivery.flush();
    expect(request).not.toHaveBeenCalled();
    // Queued by an earlier page: this tab has not seen it, storage has.
    const a = makeAnswer();
    await createOutbox(
      openKv(() => {}),
      { maxAnswers: 1000, maxAgeDays: 30, onEvict: vi.fn() },
    ).add(a);
    await delivery.flush();
    expect(request).toHaveBeenCalledWith('moodpoint-outbox', { ifAvailable: true }, expect.any(Function));
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body as string)).toEqual({ answers: [a] });
  });

  it('keeps answers on 5xx and on network errors, and retries with the same id', async () => {
    const { fetchMock, outbox, delivery } = await setup([new Response(null, { status: 503 }), new TypeError('offline')]);
    const a = makeAnswer();
    await outbox.add(a);
    await delivery.flush();
    expect((await outbox.all()).map((r) => r.answer.id)).toEqual([a.id]);
    await delivery.flush();
    expect((await outbox.all()).map((r) => r.answer.id)).toEqual([a.id]);
    await delivery.flush();
    expect(await outbox.all()).toEqual([]);
    const ids = fetchMock.mock.calls.map(([, init]) => JSON.parse(init.body as string).answers[0].id);
    expect(ids).toEqual([a.id, a.id, a.id]);
    delivery.stop();
  });

  it('drops a batch rejected with another 4xx and reports it, never retrying', async () => {
    const { fetchMock, outbox, events, delivery } = await setup([new Response(null, { status: 400 })]);
    const a = makeAnswer();
    await outbox.add(a);
    await delivery.flush();
    expect(await outbox.all()).toEqual([]);
    expect(events.rejected).toHaveBeenCalledWith([a], 400, 1);
    await delivery.flush();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('splits a batch on 413 down to single answers', async () => {
    const { fetchMock, outbox, delivery } = await setup([new Response(null, { status: 413 })]);
    await outbox.add(makeAnswer());
    await outbox.add(makeAnswer());
    await delivery.flush();
    expect(fetchMock.mock.calls.map(([, i]) => JSON.parse(i.body as string).answers.length)).toEqual([2, 1, 1]);
    expect(await outbox.all()).toEqual([]);
  });

  it('keeps at most four posts in flight, and sends every batch of a long outbox', async () => {
    let inFlight = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const fetchMock = vi.fn(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight--;
      return new Response(null, { status: 204 });
    });
    const { outbox, delivery } = await setup([]);
    vi.stubGlobal('fetch', fetchMock);
    for (let i = 0; i < 6 * 50; i++) await outbox.add(makeAnswer());
    const flushed = delivery.flush();
    // Let each post answer only once four are waiting or no batch is left to start.
    for (let answered = 0; answered < 6; answered++) {
      await vi.waitFor(() => expect(gates.length).toBe(Math.min(4, 6 - answered)));
      gates.shift()!();
    }
    await flushed;
    expect(most).toBe(4);
    expect(fetchMock).toHaveBeenCalledTimes(6);
    expect(await outbox.all()).toEqual([]);
  });

  it('posts on while acknowledged batches leave the outbox, four or more at a time', async () => {
    const { fetchMock, outbox, events, delivery } = await setup([]);
    for (let i = 0; i < 6 * 50; i++) await outbox.add(makeAnswer());
    const ack = outbox.ack.bind(outbox);
    const acks: number[] = [];
    let release!: () => void;
    const firstAck = new Promise<void>((resolve) => (release = resolve));
    vi.spyOn(outbox, 'ack').mockImplementation(async (sent, unchanged) => {
      if (acks.push(sent.length) === 1) await firstAck;
      return ack(sent, unchanged);
    });
    const flushed = delivery.flush();
    // The first removal is held: every batch is posted all the same.
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(6));
    expect(events.sent).not.toHaveBeenCalled();
    release();
    await flushed;
    // Four acknowledged batches (one per post in flight) make a removal; the rest go at the end.
    expect(acks).toEqual([200, 100]);
    expect(events.sent).toHaveBeenCalledTimes(6);
    expect(await outbox.all()).toEqual([]);
  });

  it('keeps every answer whose removal failed, and the flush rejects', async () => {
    const { outbox, delivery } = await setup([]);
    for (let i = 0; i < 2 * 50; i++) await outbox.add(makeAnswer());
    vi.spyOn(outbox, 'ack').mockRejectedValueOnce(new Error('disk full'));
    await expect(delivery.flush()).rejects.toThrow('disk full');
    // Two batches make no group of four: they leave together when the posts are over.
    expect(await outbox.all()).toHaveLength(100);
  });

  it('starts no new post after a retry, and backs off once for the posts that were in flight', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fetchMock, outbox, events, delivery } = await setup(Array.from({ length: 4 }, () => new Response(null, { status: 503 })));
    for (let i = 0; i < 6 * 50; i++) await outbox.add(makeAnswer());
    await delivery.flush();
    expect(fetchMock).toHaveBeenCalledTimes(4);
    expect(events.debug.mock.calls.filter(([line]) => String(line).startsWith('retrying in'))).toHaveLength(1);
    expect(await outbox.all()).toHaveLength(300);
    delivery.stop();
  });

  it('honours Retry-After on 429', async () => {
    // Only timers are faked: fake-indexeddb schedules its own work with setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fetchMock, outbox, delivery } = await setup([new Response(null, { status: 429, headers: { 'Retry-After': '30' } })]);
    await outbox.add(makeAnswer());
    await delivery.flush();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_500);
    await vi.waitFor(async () => expect(await outbox.all()).toEqual([]));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    delivery.stop();
  });
});

describe('delivery helpers', () => {
  it('classifies statuses as SPEC §5 says', () => {
    expect(classify(204, null).type).toBe('ok');
    for (const s of [408, 425, 429, 500, 503]) expect(classify(s, null).type).toBe('retry');
    expect(classify(413, null).type).toBe('split');
    for (const s of [400, 401, 404, 422]) expect(classify(s, null).type).toBe('reject');
  });

  it('reads Retry-After as seconds or a date, capped at an hour', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5_000);
    expect(parseRetryAfter('999999')).toBe(3_600_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('batches at most 50 answers and under the byte limit', () => {
    const records = Array.from({ length: 120 }, () => ({ answer: makeAnswer(), rev: 0 }));
    expect(toBatches(records).map((b) => b.records.length)).toEqual([50, 50, 20]);
    const big = Array.from({ length: 4 }, () => ({ answer: makeAnswer({ comment: 'x'.repeat(1900) }), rev: 0 }));
    const sizes = toBatches(big, 4_500).map((b) => b.records.length);
    expect(sizes).toEqual([2, 2]);
  });

  it('backs off exponentially with jitter, capped at an hour', () => {
    expect(backoffMs(0, () => 1)).toBe(3_000);
    expect(backoffMs(3, () => 1)).toBe(17_000);
    expect(backoffMs(30, () => 1)).toBe(3_601_000);
    expect(backoffMs(5, () => 0)).toBe(1_000);
  });
});
