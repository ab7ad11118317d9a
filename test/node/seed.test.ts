// The synthetic journey of `npm run demo:seed`, and the store across restarts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import { startCollector } from '../../server/collector';
import { acquireDataDir, describeDatabase } from '../../server/datadir';
import { DEFAULT_SEED, generateJourney, seedStore, seededUuid, type Journey } from '../../demo/seed.mjs';
import { batchSchema } from '../../src/answer';
import { EMOTION_GROUPS, EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_GROUPS } from '../../src/emotions';
import { compare, responseRate } from '../../src/metrics';
import { BOOT_TIMEOUT, get, post, stored, TOKEN } from './helpers';
import { makeAnswer } from '../answers';
import { demoConfig } from '../demo';

const END = '2026-11-23';

describe('generateJourney', () => {
  let journey: Journey;
  let cut: number;
  beforeAll(async () => {
    journey = await generateJourney({ end: END });
    cut = Date.parse(journey.changeAt);
  });
  const split = (pick: (a: any) => boolean) => {
    const list = journey.answers.filter(pick);
    return [list.filter((a) => Date.parse(a.answeredAt) < cut), list.filter((a) => Date.parse(a.answeredAt) >= cut)] as const;
  };

  it('is deterministic: same seed, same answers and impressions, ids included; the end date only moves the dates', async () => {
    expect(await generateJourney({ end: END })).toEqual(journey);
    const later = await generateJourney({ end: '2027-01-10' });
    expect(later.answers.map((a) => a.id)).toEqual(journey.answers.map((a) => a.id));
    expect(later.impressions.map((i) => i.id)).toEqual(journey.impressions.map((i) => i.id));
    expect(later.answers[0]!.answeredAt).not.toBe(journey.answers[0]!.answeredAt);
    const other = await generateJourney({ end: END, seed: DEFAULT_SEED + 1 });
    expect(other.answers[0]!.id).not.toBe(journey.answers[0]!.id);
    expect(seededUuid(1, 'x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes a few hundred valid answers over eight weeks at the demo touchpoints, labelled synthetic', () => {
    expect(journey.answers.length).toBeGreaterThan(300);
    expect(journey.answers.length).toBeLessThan(600);
    expect(new Set(journey.answers.map((a) => a.id)).size).toBe(journey.answers.length);
    for (const kind of ['answers', 'impressions'] as const) {
      for (let i = 0; i < journey[kind].length; i += 500) {
        const result = z.safeParse(batchSchema(), { [kind]: journey[kind].slice(i, i + 500) });
        expect(result.success, JSON.stringify(!result.success && result.error.issues.slice(0, 2))).toBe(true);
      }
    }
    expect(journey.from).toBe('2026-09-28T00:00:00.000Z');
    expect(journey.to).toBe('2026-11-23T00:00:00.000Z');
    expect(journey.changeAt).toBe('2026-10-26T00:00:00.000Z');
    for (const a of journey.answers) {
      expect(a.answeredAt >= journey.from && a.answeredAt < journey.to).toBe(true);
      expect(a.context).toMatchObject({ synthetic: true, seedScenario: 'checkout-redesign', seedChangeAt: journey.changeAt });
    }
    const configured = demoConfig.touchpoints.map((t: any) => [t.id, t.stage]);
    const used = [...new Set(journey.answers.map((a) => `${a.touchpoint} ${a.stage}`))].sort();
    expect(used).toEqual(configured.map(([id, stage]: string[]) => `${id} ${stage}`).sort());
    // Each touchpoint answers the prompts its config asks, plus follow-up comment records.
    const kinds = (id: string) => [...new Set(journey.answers.filter((a) => a.touchpoint === id).map((a) => a.kind))].sort();
    expect(kinds('product_browse')).toEqual(['emotion']);
    expect(kinds('cart_exit')).toEqual(['emotion']);
    expect(kinds('checkout_complete')).toEqual(['comment', 'emotion', 'nps']);
    expect(kinds('support_closed')).toEqual(['ces', 'comment']);
    const cartWords = demoConfig.touchpoints.find((t: any) => t.id === 'cart_exit').prompts[0].emotions;
    for (const a of journey.answers.filter((x) => x.touchpoint === 'cart_exit')) for (const w of a.emotions) expect(cartWords).toContain(w);
  });

  it('makes the impressions of every showing: one shown before any answer, a dismissal only when unanswered', () => {
    const showings = new Map<string, { touchpoint: string; shown: string[]; dismissed: string[]; answered: string[] }>();
    const get = (responseId: string, touchpoint: string) =>
      showings.get(responseId) ?? showings.set(responseId, { touchpoint, shown: [], dismissed: [], answered: [] }).get(responseId)!;
    for (const i of journey.impressions) {
      expect(i).toMatchObject({ site: 'demo-shop', stage: demoConfig.touchpoints.find((t: any) => t.id === i.touchpoint).stage });
      get(i.responseId, i.touchpoint)[i.event].push(i.at);
    }
    for (const a of journey.answers.filter((x) => x.kind !== 'comment')) get(a.responseId, a.touchpoint).answered.push(a.answeredAt);
    let dismissed = 0;
    for (const [id, s] of showings) {
      expect(s.shown, id).toHaveLength(1);
      if (s.answered.length) {
        expect(s.dismissed, id).toEqual([]);
        expect(s.shown[0]! < s.answered.sort()[0]!, id).toBe(true);
      } else {
        expect(s.dismissed.length, id).toBeLessThanOrEqual(1);
        if (s.dismissed.length) expect(s.shown[0]! < s.dismissed[0]!, id).toBe(true);
        dismissed += s.dismissed.length;
      }
      for (const at of [...s.shown, ...s.dismissed]) expect(at >= journey.from && at < journey.to).toBe(true);
    }
    const unanswered = [...showings.values()].filter((s) => !s.answered.length).length;
    expect(dismissed / unanswered).toBeGreaterThan(0.65);
    expect(dismissed / unanswered).toBeLessThan(0.85);
  });

  it('draws the words offered as the widget does, and picks every chosen word from them', () => {
    const emotionAnswers = journey.answers.filter((a) => a.kind === 'emotion');
    const inGroup = (offered: string[], group: readonly string[]) => offered.filter((w) => group.includes(w)).length;
    let shortLists = 0;
    let happy = 0;
    for (const a of emotionAnswers) {
      const offered = a.offered!;
      for (const w of a.emotions) expect(offered).toContain(w);
      // In the widget's word order (SPEC §4), each word once.
      expect(offered).toEqual(EMOTIONS.filter((w) => offered.includes(w)));
      if (a.touchpoint === 'cart_exit') {
        expect([...offered].sort()).toEqual([...demoConfig.touchpoints.find((t: any) => t.id === 'cart_exit').prompts[0].emotions].sort());
      } else if (offered.length === 8) {
        // The short list: four destroying words, four positive ones with each of Shaw's positive groups.
        expect(inGroup(offered, NEGATIVE_EMOTIONS)).toBe(4);
        for (const g of POSITIVE_GROUPS) expect(inGroup(offered, EMOTION_GROUPS[g]), g).toBeGreaterThanOrEqual(1);
        shortLists += 1;
        if (offered.includes('happy')) happy += 1;
      } else expect(offered).toEqual(EMOTIONS);
    }
    // "More words" opened in about a fifth of the full-pool showings.
    const fullPool = emotionAnswers.filter((a) => a.touchpoint !== 'cart_exit').length;
    expect(shortLists / fullPool).toBeGreaterThan(0.7);
    expect(shortLists / fullPool).toBeLessThan(0.9);
    // happy is in 5/9 of the short lists the widget draws.
    expect(happy / shortLists).toBeGreaterThan(5 / 9 - 0.1);
    expect(happy / shortLists).toBeLessThan(5 / 9 + 0.1);
  });

  it('lifts the response rate at checkout after the change date, and leaves support’s as it was', () => {
    const rate = (touchpoint: string, after: boolean) => {
      const shown = journey.impressions.filter(
        (i) => i.touchpoint === touchpoint && i.event === 'shown' && Date.parse(i.at) >= cut === after,
      );
      const answered = new Set(journey.answers.filter((a) => a.touchpoint === touchpoint && a.kind !== 'comment').map((a) => a.responseId));
      return responseRate({ shown: shown.length, answered: shown.filter((i) => answered.has(i.responseId)).length });
    };
    const [checkoutBefore, checkoutAfter] = [rate('checkout_complete', false), rate('checkout_complete', true)];
    // About 30% before and 60% after (the report's test of that change is in the store test below).
    expect(checkoutBefore.rate!).toBeGreaterThan(0.2);
    expect(checkoutBefore.rate!).toBeLessThan(0.4);
    expect(checkoutAfter.rate!).toBeGreaterThan(0.45);
    expect(checkoutAfter.rate!).toBeLessThan(0.75);
    const [supportBefore, supportAfter] = [rate('support_closed', false), rate('support_closed', true)];
    expect(Math.abs(supportAfter.rate! - supportBefore.rate!)).toBeLessThan(0.1);
  });

  it('improves support effort clearly after the change date, and leaves browsing alone', () => {
    const [before, after] = split((a) => a.kind === 'ces');
    const c = compare(
      before.map((a) => a.score!),
      after.map((a) => a.score!),
      'ces',
      7,
    );
    expect(c.delta!).toBeGreaterThan(1);
    expect(c.excludesZero).toBe(true);
    const [bb, ba] = split((a) => a.touchpoint === 'product_browse');
    expect(compare(bb, ba, 'nev').excludesZero).toBe(false);
  });
});

describe('seeding a store', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'moodpoint-seed-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it(
    'stores the journey marked seeded, survives a restart, and re-seeding or resending adds nothing',
    async () => {
      const live = makeAnswer({ comment: 'Real one' });
      const first = await startCollector({
        readToken: TOKEN,
        pgliteDir: dataDir,
        siteConfigs: [demoConfig],
        rateLimit: false,
        log: () => {},
      });
      let count: number;
      try {
        const result = await seedStore(first.db, { end: END });
        expect(result.inserted).toBe(result.answers.length);
        expect(result.duplicates).toBe(0);
        expect(result.impressionsInserted).toBe(result.impressions.length);
        expect((await post(first.url, { answers: [live] })).status).toBe(200);
        const all = await stored(first.url);
        count = all.length;
        expect(count).toBe(result.answers.length + 1);
        expect(all.filter((a) => a.seeded === true)).toHaveLength(result.answers.length);
        expect(all.find((a) => a.id === live.id)).not.toHaveProperty('seeded');
        // Seeded answers were "received" when answered, so a live answer lists last.
        expect(all.at(-1)!.id).toBe(live.id);
      } finally {
        await first.close();
      }

      const second = await startCollector({
        readToken: TOKEN,
        pgliteDir: dataDir,
        siteConfigs: [demoConfig],
        rateLimit: false,
        log: () => {},
      });
      try {
        expect(await stored(second.url)).toHaveLength(count);
        const again = await seedStore(second.db, { end: '2027-02-01' });
        expect(again).toMatchObject({ inserted: 0, duplicates: again.answers.length, impressionsInserted: 0 });
        expect((await post(second.url, { answers: [live] })).body).toEqual({ accepted: 0, duplicates: 1 });
        expect(await second.db.count()).toBe(count);

        const report = (await get(second.url, '/api/report?compareAt=2026-10-26')).body;
        expect(report.seeded).toEqual({ answers: count - 1, scenario: 'checkout-redesign', changeAt: '2026-10-26T00:00:00.000Z' });
        expect(report.stages.map((s: any) => s.stage)).toEqual(['browse', 'cart', 'purchase', 'support']);
        const support = report.stages[3].touchpoints[0];
        expect(support.compare.ces).toMatchObject({ excludesZero: true, verdict: 'better' });
        expect(support.compare.ces.delta).toBeGreaterThan(1);
        expect(support.compare.responseRate).toMatchObject({ changed: false, warning: null });
        // Checkout's better scores come with more customers answering: the report says to beware.
        const checkout = report.stages[2].touchpoints[0];
        expect(checkout.compare.responseRate.changed).toBe(true);
        expect(checkout.compare.responseRate.warning).toMatch(/the after figures may come from different people/);
        // The seeded eight weeks, Monday 2026-09-28 to Sunday 11-22, trend by ISO week.
        const weeks = (await get(second.url, '/api/report?from=2026-09-28&to=2026-11-22')).body;
        const seededCheckout = weeks.stages[2].touchpoints[0];
        expect(seededCheckout.wordRates.withoutOffered).toBe(0);
        expect(seededCheckout.trend.map((b: any) => b.label)).toEqual(
          ['W40', 'W41', 'W42', 'W43', 'W44', 'W45', 'W46', 'W47'].map((w) => `2026-${w}`),
        );
        expect(seededCheckout.trend.every((b: any) => b.nps.n > 0 && b.nev.n > 0)).toBe(true);
        expect(report.overall.comments.find((c: any) => c.comment === 'Real one')).toMatchObject({ seeded: false });
      } finally {
        await second.close();
      }
    },
    3 * BOOT_TIMEOUT,
  );
});

describe('the PGlite directory lock', () => {
  it('lets one process hold it, names the holder to others, and takes over a stale lock', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'moodpoint-lock-')), 'data');
    const release = acquireDataDir(dir, { url: 'http://127.0.0.1:8080' });
    // Another process (the seed script) is refused while this one holds it.
    const seed = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { acquireDataDir } from ${JSON.stringify(new URL('../../dist/server/index.js', import.meta.url).href)};
       try { acquireDataDir(${JSON.stringify(dir)}); } catch (err) { console.error(err.message); process.exit(3); }`,
      ],
      { encoding: 'utf8' },
    );
    expect(seed.status).toBe(3);
    expect(seed.stderr).toMatch(/in use by moodpoint serve at http:\/\/127\.0\.0\.1:8080 \(pid \d+\).*Stop it first/);
    release();
    // A lock whose process is gone is taken over.
    await writeFile(path.join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const again = acquireDataDir(dir);
    again();
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('hides a database password when saying where answers live', () => {
    expect(describeDatabase({ databaseUrl: 'postgres://app:s3cret@db.internal:5432/moodpoint' })).toBe(
      'Postgres postgres://app:***@db.internal:5432/moodpoint',
    );
    expect(describeDatabase({})).toBe('PGlite in memory');
  });
});
