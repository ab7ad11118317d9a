import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  blockDatabase,
  deleteDatabase,
  faults,
  inOutbox,
  ONE_ANSWER_MAX_BYTES,
  releaseDatabase,
  sleep,
  startBench,
  waitFor,
  type Bench,
  type GivenAnswer,
  type Session,
} from '../../tools/faults/core.mjs';

// Each test gives answers on test/browser/pages/faults.html (minified build, `moodpoint('init', …)`),
// injects one fault, and ends by checking that the reference collector stored every answer given
// exactly once, with its original id and fields, and that no page saw an error or an unhandled rejection.

let bench: Bench;
/** The mid-session quota test's session, started first so that Chromium's 30 s space cache expires while the other tests run. */
let midSession: { s: Session; page: Page; queued: GivenAnswer; shrunkAt: number };
beforeAll(async () => {
  bench = await startBench();
  const s = await bench.session(`faults-quota-mid-${Date.now()}`);
  const page = await s.open({ debug: true });
  await s.context.setOffline(true); // this context only: the other tests' collector faults do not touch it
  const queued = await s.answer(page, 8, { queued: true });
  await s.quota(page, 1);
  midSession = { s, page, queued, shrunkAt: Date.now() };
});
afterAll(() => bench?.close());
afterEach(() => bench.heal());

let sites = 0;
const session = (name: string, options?: { impressions?: boolean }) => bench.session(`faults-${name}-${++sites}-${Date.now()}`, options);

/** Posts whose body carried `id`. */
const postsWith = (id: string) => bench.wire.posts.filter((p) => p.ids?.includes(id));

async function expectExactlyOnce(s: Session, { deadLettered = 0 } = {}) {
  // Keepalive copies sent at unload may still be on their way: let every post that arrived land.
  expect(await waitFor(() => bench.wire.quiet, 5_000), 'posts still arriving at the collector').toBe(true);
  const t = await s.tally();
  expect(t.lostIds, 'answers given but never stored').toEqual([]);
  expect(t.duplicatesStored, 'answers stored twice').toBe(0);
  expect(t.altered, 'answers stored with other fields than given').toEqual([]);
  expect(t.deadLettered).toBe(deadLettered);
  expect(t.deadStored).toEqual([]);
  expect(t.deadResent).toEqual([]);
  expect(t.stored).toBe(t.submitted - deadLettered);
  expect(t.pageErrors).toEqual([]);
  expect(t.unhandledReasons).toEqual([]);
  expect(t.unhandled).toBe(0);
  await s.close();
  return t;
}

/** The network comes back: no fault at the collector, and `online` fires in every page. */
async function reconnect(s: Session) {
  bench.heal();
  s.restored();
  await s.online();
}

describe('the outbox under faults, in Chromium against the minified build and the reference collector', () => {
  it('offline, then online: answers given offline are sent once the `online` event fires', async () => {
    const s = await session('offline');
    const page = await s.open();
    await s.context.setOffline(true);
    const a = await s.answer(page, 3, { queued: true });
    const b = await s.answer(page, 10, { queued: true });
    await s.flush(page); // resolves once the attempt is over, which fails: no network
    expect(postsWith(a.id)).toEqual([]);
    s.restored();
    await s.context.setOffline(false);
    expect(await s.settled(page, 10_000)).toBe(true);
    expect(await page.evaluate(inOutbox, b.id)).toBe(false);
    await expectExactlyOnce(s);
  });

  it('reload with answers queued: the outbox survives the reload and keeps each id', async () => {
    const s = await session('reload');
    const page = await s.open();
    bench.wire.fault = faults.drop();
    const a = await s.answer(page, 2, { queued: true });
    const b = await s.answer(page, 8, { queued: true });
    await s.reload(page);
    expect(await page.evaluate(inOutbox, a.id)).toBe(true);
    expect(await page.evaluate(inOutbox, b.id)).toBe(true);
    const c = await s.answer(page, 6, { queued: true });
    await reconnect(s);
    expect(await s.delivered(10_000)).toBe(true);
    // Every attempt, before and after the reload, carried only ids made when the answers were given.
    const ids = new Set(bench.wire.posts.flatMap((p) => p.ids ?? []).filter((id) => s.given.has(id)));
    expect(ids).toEqual(new Set([a.id, b.id, c.id]));
    await expectExactlyOnce(s);
  });

  it('close the page with answers queued: the next page load sends them, without any other nudge', async () => {
    const s = await session('close');
    const page = await s.open();
    bench.wire.fault = faults.drop();
    await s.answer(page, 0, { queued: true });
    await s.answer(page, 9, { queued: true });
    await page.close(); // the keepalive sends at unload are cut too
    bench.heal();
    s.restored();
    await s.open();
    expect(await s.delivered(5_000)).toBe(true);
    await expectExactlyOnce(s);
  });

  describe('a request held in flight while the page closes', () => {
    const variants: [string, (b: Bench) => void, (b: Bench) => Promise<unknown>][] = [
      [
        'stored, but the 2xx never reaches the closed page (resent on the next load, stored once)',
        (b) => void (b.wire.hold = { ms: 2500, when: 'after' }),
        (b) => waitFor(() => b.wire.holding > 0, 5_000),
      ],
      [
        'held before the collector commits; it commits after the page is gone',
        (b) => void (b.wire.hold = { ms: 2500, when: 'before' }),
        (b) => waitFor(() => b.wire.holding > 0, 5_000),
      ],
      [
        'cut: the page closing aborts it, and the unload sends are lost too; the next load sends it',
        (b) => void (b.wire.fault = faults.cutThenDrop()),
        (b) => waitFor(() => b.wire.posts.some((p) => p.outcome === 'cut'), 5_000),
      ],
    ];
    it.each(variants)('%s', async (_name, inject, inFlight) => {
      const s = await session('inflight');
      const page = await s.open();
      inject(bench);
      await s.answer(page, 4);
      expect(await inFlight(bench)).toBeTruthy();
      await page.close();
      await waitFor(() => bench.wire.holding === 0, 6_000);
      bench.heal();
      s.restored();
      await s.open();
      expect(await s.delivered(8_000)).toBe(true);
      await expectExactlyOnce(s);
    });
  });

  it('500 twice, then 200: retried by itself with backoff, stored once', async () => {
    // Without impressions: their batch would go out beside the answer's and take one of the 500s.
    const s = await session('500', { impressions: false });
    const page = await s.open();
    const fault = (bench.wire.fault = faults.status(500, 2));
    const a = await s.answer(page, 5);
    expect(await s.delivered(15_000)).toBe(true);
    const tries = postsWith(a.id);
    expect(tries.map((p) => p.outcome)).toEqual(['500', '500', 'ok']);
    // Full jitter, but never sooner than a second apart.
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(900);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(900);
    expect(fault.served).toHaveLength(2);
    await expectExactlyOnce(s);
  });

  it('429 with Retry-After: 1: the retry waits about a second', async () => {
    const s = await session('429', { impressions: false });
    const page = await s.open();
    bench.wire.fault = faults.status(429, 1, { 'Retry-After': '1' });
    const a = await s.answer(page, 7);
    expect(await s.delivered(8_000)).toBe(true);
    const [limited, retry] = postsWith(a.id);
    expect(limited!.outcome).toBe('429');
    expect(retry!.outcome).toBe('ok');
    expect(retry!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(retry!.at - limited!.at).toBeLessThan(2500);
    await expectExactlyOnce(s);
  });

  it('400: the answer is dropped to the dead letters, an `error` event names it, and it is never retried', async () => {
    const s = await session('400', { impressions: false });
    const page = await s.open();
    bench.wire.fault = faults.status(400, 1);
    const a = await s.answer(page, 1);
    expect(await waitFor(() => s.dead.has(a.id), 5_000)).toBe(true);
    expect(s.errorEvents).toEqual([expect.objectContaining({ path: 'endpoint', ids: [a.id], status: 400 })]);
    expect(await page.evaluate(inOutbox, a.id)).toBe(false);
    // Later flushes, a reload and the next answer do not bring it back.
    await s.flush(page);
    await s.reload(page);
    const b = await s.answer(page, 9);
    expect(await s.delivered(5_000)).toBe(true);
    expect(postsWith(a.id).map((p) => p.outcome)).toEqual(['400']);
    await expectExactlyOnce(s, { deadLettered: 1 });
    expect(bench.wire.storedAt.has(b.id)).toBe(true);
  });

  it('413 for any batch of more than one answer: split down to one answer each, all stored', async () => {
    const s = await session('413');
    const page = await s.open();
    bench.wire.fault = faults.drop();
    const given = [];
    for (const score of [1, 5, 9]) given.push(await s.answer(page, score, { queued: true }));
    bench.wire.fault = faults.tooLarge();
    s.restored();
    await s.online();
    expect(await s.delivered(8_000)).toBe(true);
    const after = bench.wire.posts.filter((p) => p.ids?.some((id) => s.given.has(id)) && p.outcome !== 'drop');
    expect(after[0]).toMatchObject({ outcome: '413', ids: given.map((a) => a.id) });
    for (const p of after.filter((x) => x.outcome === 'ok')) {
      expect(p.ids).toHaveLength(1);
      expect(p.bytes).toBeLessThanOrEqual(ONE_ANSWER_MAX_BYTES);
    }
    expect(
      after
        .filter((p) => p.outcome === 'ok')
        .flatMap((p) => p.ids)
        .sort(),
    ).toEqual(given.map((a) => a.id).sort());
    await expectExactlyOnce(s);
  });

  describe('three tabs of one browser', () => {
    const tabs = async (s: Session) => [await s.open(), await s.open(), await s.open()];

    it('answering and flushing at the same time: every answer stored once, no duplicate on the wire', async () => {
      const s = await session('tabs');
      const pages = await tabs(s);
      for (let round = 0; round < 3; round++) {
        await Promise.all(pages.map((p, i) => s.answer(p, (round * 3 + i) % 11)));
        await Promise.all(pages.map((p) => s.flush(p)));
      }
      expect(await s.delivered(8_000)).toBe(true);
      const t = await expectExactlyOnce(s);
      expect(t.submitted).toBe(9);
      expect(t.wireDuplicates).toBe(0);
    });

    it('offline together, then the network comes back in all three at once', async () => {
      const s = await session('tabs-online');
      const pages = await tabs(s);
      bench.wire.fault = faults.drop();
      await Promise.all(pages.map((p, i) => s.answer(p, i + 2, { queued: true })));
      await Promise.all(pages.map((p, i) => s.answer(p, i + 6, { queued: true })));
      await reconnect(s); // `online` fires in the three tabs together
      expect(await s.delivered(8_000)).toBe(true);
      const t = await expectExactlyOnce(s);
      expect(t.wireDuplicates).toBe(0);
    });
  });

  it('IndexedDB deleted mid-session: the tab writes its queue back, and it survives a reload', async () => {
    const s = await session('idb-deleted');
    const page = await s.open();
    bench.wire.fault = faults.drop();
    const a = await s.answer(page, 3, { queued: true });
    expect(await page.evaluate(deleteDatabase)).toBe('deleted');
    // `versionchange` let the delete through, then the tab wrote what it holds into a new database.
    expect(await waitFor(() => page.evaluate(inOutbox, a.id), 3_000)).toBe(true);
    const b = await s.answer(page, 8, { queued: true });
    expect(await page.evaluate(inOutbox, b.id)).toBe(true);
    await s.reload(page);
    await reconnect(s);
    expect(await s.delivered(8_000)).toBe(true);
    await expectExactlyOnce(s);
  });

  it('IndexedDB blocked (a delete waiting on a connection that will not close): memory fallback, still delivered', async () => {
    const s = await session('idb-blocked');
    const page = await s.open({ debug: true });
    bench.wire.fault = faults.drop();
    await s.answer(page, 6, { queued: true });
    expect(await page.evaluate(blockDatabase)).toBe('blocked');
    await s.answer(page, 4);
    expect(await waitFor(() => s.consoleLines.some((l) => /storage is in memory only \(.*timed out\)/.test(l)), 5_000)).toBe(true);
    await reconnect(s);
    expect(await s.delivered(8_000)).toBe(true);
    await page.evaluate(releaseDatabase);
    await expectExactlyOnce(s);
  });

  describe('quota shrunk with CDP Storage.overrideQuotaForOrigin', () => {
    it('to 1 byte before the first load: the widget runs on memory, says so in debug, and still sends', async () => {
      const s = await session('quota-first');
      const blank = await s.context.newPage();
      await s.quota(blank, 1);
      const page = await s.open({ debug: true });
      bench.wire.fault = faults.drop();
      await s.answer(page, 10);
      await s.answer(page, 0);
      expect(await waitFor(() => s.consoleLines.some((l) => /storage is in memory only \(QuotaExceededError/.test(l)), 5_000)).toBe(true);
      await reconnect(s);
      expect(await s.delivered(8_000)).toBe(true);
      await s.quota(blank, undefined);
      await expectExactlyOnce(s);
    });

    it('to 1 byte mid-session, with an answer queued in IndexedDB: nothing queued is lost', async () => {
      // Set up in beforeAll, while the other tests run: Chromium grants a bucket the space it
      // last checked for up to 30 s (BucketContext::kBucketSpaceCacheTimeLimit), so a shrunk
      // quota bites only then.
      const { s, page, queued, shrunkAt } = midSession;
      await sleep(Math.max(0, shrunkAt + 31_000 - Date.now()));
      const later = await s.answer(page, 2);
      expect(await waitFor(() => s.consoleLines.some((l) => /storage is in memory only \(QuotaExceededError/.test(l)), 5_000)).toBe(true);
      expect(await page.evaluate(inOutbox, later.id)).toBe(false);
      expect(await page.evaluate(inOutbox, queued.id)).toBe(true);
      s.restored();
      await s.context.setOffline(false);
      expect(await s.delivered(8_000)).toBe(true);
      await s.quota(page, undefined);
      await expectExactlyOnce(s);
    });
  });

  it('consent withdrawn with an answer queued: nothing more is sent, at unload or later, and the queue is deleted', async () => {
    const s = await session('withdrawn');
    const page = await s.open();
    bench.wire.fault = faults.status(503, 1000);
    const a = await s.answer(page, 4, { queued: true });
    expect(await waitFor(() => postsWith(a.id).length > 0, 5_000)).toBe(true);
    await page.evaluate(() => (window as unknown as { moodpoint: (...args: unknown[]) => Promise<void> }).moodpoint('consent', false));
    const attempts = postsWith(a.id).length;
    bench.heal();
    expect(await page.evaluate(inOutbox, a.id)).toBe(false);
    // Leaving the page would send the queue with keepalive; the next page load would send it too.
    await page.close({ runBeforeUnload: true });
    const next = await s.open();
    await s.flush(next);
    expect(await waitFor(() => bench.wire.quiet, 5_000)).toBe(true);
    expect(postsWith(a.id)).toHaveLength(attempts);
    expect(bench.wire.storedAt.has(a.id)).toBe(false);
    await s.close();
  });

  describe('races the fault runs found', () => {
    it('an answer given while a send is in flight is sent by itself, once the first send is over', async () => {
      const s = await session('stall');
      const page = await s.open();
      bench.wire.hold = { ms: 2000, when: 'before' }; // a slow collector: the first send takes 2 s
      await s.answer(page, 1);
      expect(await waitFor(() => bench.wire.holding > 0, 5_000)).toBe(true);
      bench.heal();
      const second = await s.answer(page, 2); // its flush finds the outbox lock taken and waits for it
      try {
        expect(await s.delivered(5_000), `answer ${second.id} still queued 5 s later`).toBe(true);
      } finally {
        await s.flush(page); // do not leave it behind
        await s.delivered(5_000);
        await s.close();
      }
    });

    it('IndexedDB deleted, then the page reloads while the network is down: the queued answer survives', async () => {
      const s = await session('deleted-reload');
      const page = await s.open();
      bench.wire.fault = faults.drop();
      const a = await s.answer(page, 3, { queued: true });
      expect(await page.evaluate(deleteDatabase)).toBe('deleted');
      // No outbox write in between: only the write-back after `versionchange` keeps it. That
      // write-back takes a few milliseconds; a reload inside them would lose it (no synchronous IndexedDB).
      expect(await waitFor(() => page.evaluate(inOutbox, a.id), 3_000)).toBe(true);
      await s.reload(page);
      await reconnect(s);
      try {
        expect(await s.delivered(5_000)).toBe(true);
      } finally {
        await s.close();
      }
    });
  });
});
