// Impressions (their own table, de-duplicated by id, listed with the token) and retention
// (`--retention-days`: older answers and impressions erased at start and daily).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../server/collector';
import { startRetention } from '../../server/retention';
import { openStore } from '../../server/store';
import type { Impression } from '../../src/answer';
import { makeAnswer } from '../answers';
import { BOOT_TIMEOUT, get, post, TOKEN } from './helpers';

const DAY = 24 * 3_600_000;

/** A valid impression (SPEC §5); `overrides` may set a field to `undefined` to leave it out, or to a value the schema refuses. */
function impression(overrides: Record<string, unknown> = {}): Impression {
  const i: Record<string, unknown> = {
    id: crypto.randomUUID(),
    responseId: crypto.randomUUID(),
    touchpoint: 'checkout_complete',
    stage: 'purchase',
    site: 'shop-eu',
    event: 'shown',
    at: '2026-11-22T10:00:00.000Z',
    v: 1,
    ...overrides,
  };
  for (const key of Object.keys(i)) if (i[key] === undefined) delete i[key];
  return i as Impression;
}

describe('impressions', () => {
  let collector: Collector;

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, rateLimit: false, log: () => {} });
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it('stores a batch of impressions once each, apart from answers, and lists them with the token', async () => {
    const shown = impression();
    const dismissed = impression({ responseId: shown.responseId, event: 'dismissed', at: '2026-11-22T10:00:05.000Z', stage: undefined });
    expect((await post(collector.url, { impressions: [shown, dismissed] })).body).toEqual({ accepted: 2, duplicates: 0 });
    expect((await post(collector.url, { impressions: [shown, shown] })).body).toEqual({ accepted: 0, duplicates: 2 });
    const listed = await get(collector.url, '/api/impressions');
    expect(listed.status).toBe(200);
    expect(listed.body.impressions.map(({ receivedAt, ...rest }: any) => (expect(Date.parse(receivedAt)).not.toBeNaN(), rest))).toEqual([
      shown,
      dismissed,
    ]);
    expect((await get(collector.url, '/api/answers')).body.answers).toEqual([]);
    expect((await get(collector.url, '/api/impressions', {}, null)).status).toBe(401);
  });

  it('filters them by the time they happened and by site', async () => {
    const other = impression({ site: 'other', at: '2026-12-01T09:00:00.000Z' });
    await post(collector.url, { impressions: [other] });
    expect((await get(collector.url, '/api/impressions?site=other')).body.impressions.map((i: any) => i.id)).toEqual([other.id]);
    expect((await get(collector.url, '/api/impressions?from=2026-12-01')).body.impressions.map((i: any) => i.id)).toEqual([other.id]);
    expect((await get(collector.url, '/api/impressions?compareAt=2026-12-01')).status).toBe(400);
  });

  it('refuses an invalid impression with its path, and too many with 413', async () => {
    const bad = await post(collector.url, { impressions: [impression({ event: 'clicked' })] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ index: 0, path: 'impressions[0].event', message: expect.any(String) }]);
    const proto = await post(collector.url, `{"impressions":[${JSON.stringify(impression()).slice(0, -1)},"__proto__":{"x":1}}]}`);
    expect(proto.body.errors).toEqual([{ index: 0, path: 'impressions[0].__proto__', message: 'Unknown field "__proto__"' }]);
    const many = await post(collector.url, { impressions: Array.from({ length: 501 }, () => impression()) });
    expect(many.status).toBe(413);
    expect(many.body.error).toBe('too many impressions: 501 in one request, at most 500; split the batch');
  });
});

describe('retention (--retention-days)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'moodpoint-retention-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it(
    'erases answers and impressions received before the cutoff when it starts, keeps the rest, and their webhooks go with them',
    async () => {
      const now = Date.now();
      const old = makeAnswer({ answeredAt: new Date(now - 40 * DAY).toISOString() });
      const recent = makeAnswer({ answeredAt: new Date(now - 20 * DAY).toISOString() });
      const oldShown = impression();
      const newShown = impression();
      const store = await openStore({ pgliteDir: dir });
      try {
        // Generated history: received when answered, so the old one is 40 days old in the store too.
        await store.insertAnswers([old, recent], {
          backdate: true,
          webhooks: ['https://hooks.example.com/x'],
          now: new Date(now - 40 * DAY),
        });
        await store.insertImpressions([oldShown, newShown]);
        await store.query(`UPDATE impressions SET received_at = now() - interval '31 days' WHERE id = $1`, [oldShown.id]);
      } finally {
        await store.close();
      }

      const collector = await startCollector({ readToken: TOKEN, pgliteDir: dir, retentionDays: 30, log: () => {} });
      try {
        expect((await get(collector.url, '/api/answers')).body.answers.map((a: any) => a.id)).toEqual([recent.id]);
        expect((await get(collector.url, '/api/impressions')).body.impressions.map((i: any) => i.id)).toEqual([newShown.id]);
        const { rows } = await collector.db.query('SELECT answer_id FROM webhook_deliveries');
        expect(rows.map((r) => r.answer_id)).toEqual([recent.id]);
      } finally {
        await collector.close();
      }
    },
    2 * BOOT_TIMEOUT,
  );

  it(
    'erases again each day with the time of that day (here each 20 ms, with a clock moved a month on)',
    async () => {
      const store = await openStore();
      const logged: string[] = [];
      let clock = Date.now();
      const retention = startRetention({ store, days: 30, now: () => clock, log: (line) => logged.push(line), everyMs: 20 });
      try {
        await store.insertAnswers([makeAnswer()]);
        await store.insertImpressions([impression()]);
        await retention.first;
        expect(await store.count()).toBe(1);
        clock += 31 * DAY;
        await expect.poll(() => store.count()).toBe(0);
        expect(await store.listImpressions()).toEqual([]);
        expect(logged).toEqual([expect.stringMatching(/^\[retention\] erased 1 answers and 1 impressions received before /)]);
      } finally {
        await retention.close();
        await store.close();
      }
    },
    BOOT_TIMEOUT,
  );
});
