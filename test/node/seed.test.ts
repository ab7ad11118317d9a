// The synthetic journey of `npm run demo:seed`, and the store across restarts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import { startCollector } from '../../server/collector';
import { acquireDataDir, describeDatabase } from '../../server/datadir';
import { DEFAULT_SEED, generateJourney, seedStore, seededUuid } from '../../demo/seed.mjs';
import { batchSchema } from '../../src/answer';
import { compare } from '../../src/metrics';
import { BOOT_TIMEOUT, get, post, stored, TOKEN } from './helpers';
import { makeAnswer } from '../answers';
import { demoConfig } from '../demo';

const END = '2026-11-23';

describe('generateJourney', () => {
  const journey = generateJourney({ end: END });
  const cut = Date.parse(journey.changeAt);
  const split = (pick: (a: any) => boolean) => {
    const list = journey.answers.filter(pick);
    return [list.filter((a) => Date.parse(a.answeredAt) < cut), list.filter((a) => Date.parse(a.answeredAt) >= cut)] as const;
  };

  it('is deterministic: same seed, same answers, ids included; the end date only moves the dates', () => {
    expect(generateJourney({ end: END })).toEqual(journey);
    const later = generateJourney({ end: '2027-01-10' });
    expect(later.answers.map((a) => a.id)).toEqual(journey.answers.map((a) => a.id));
    expect(later.answers[0]!.answeredAt).not.toBe(journey.answers[0]!.answeredAt);
    const other = generateJourney({ end: END, seed: DEFAULT_SEED + 1 });
    expect(other.answers[0]!.id).not.toBe(journey.answers[0]!.id);
    expect(seededUuid(1, 'x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes a few hundred valid answers over eight weeks at the demo touchpoints, labelled synthetic', () => {
    expect(journey.answers.length).toBeGreaterThan(300);
    expect(journey.answers.length).toBeLessThan(600);
    expect(new Set(journey.answers.map((a) => a.id)).size).toBe(journey.answers.length);
    for (let i = 0; i < journey.answers.length; i += 500) {
      const result = z.safeParse(batchSchema(), { answers: journey.answers.slice(i, i + 500) });
      expect(result.success, JSON.stringify(!result.success && result.error.issues.slice(0, 2))).toBe(true);
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
        expect(again).toMatchObject({ inserted: 0, duplicates: again.answers.length });
        expect((await post(second.url, { answers: [live] })).body).toEqual({ accepted: 0, duplicates: 1 });
        expect(await second.db.count()).toBe(count);

        const report = (await get(second.url, '/api/report?compareAt=2026-10-26')).body;
        expect(report.seeded).toEqual({ answers: count - 1, scenario: 'checkout-redesign', changeAt: '2026-10-26T00:00:00.000Z' });
        expect(report.stages.map((s: any) => s.stage)).toEqual(['browse', 'cart', 'purchase', 'support']);
        const support = report.stages[3].touchpoints[0];
        expect(support.compare.ces).toMatchObject({ excludesZero: true, verdict: 'better' });
        expect(support.compare.ces.delta).toBeGreaterThan(1);
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
