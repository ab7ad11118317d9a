// The words an emotion answer offered (`offered`): stored, listed, exported, filled in by a
// resend together with the words chosen from them, and added to a store made before the column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector, type Collector } from '../../server/collector';
import { openPglite } from '../../server/db';
import { CSV_COLUMNS } from '../../server/export';
import { BOOT_TIMEOUT, get, parseCsv, post, stored, TOKEN } from './helpers';
import { makeAnswer } from '../answers';

const SHORT = ['irritated', 'stressed', 'trusting', 'happy'];
const emotion = (overrides: Record<string, unknown> = {}) => makeAnswer({ kind: 'emotion', score: 8, ...overrides });

describe('offered words', () => {
  let collector: Collector;
  const row = async (id: string) => (await stored(collector.url)).find((a) => a.id === id);

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, rateLimit: false, log: () => {} });
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it('are stored and listed as posted, absent when not recorded, and exported to NDJSON and CSV', async () => {
    const a = emotion({ emotions: ['happy'], offered: SHORT });
    const none = emotion({ emotions: [] });
    expect((await post(collector.url, { answers: [a, none] })).body).toEqual({ accepted: 2, duplicates: 0 });
    expect((await row(a.id)).offered).toEqual(SHORT);
    expect(await row(none.id)).not.toHaveProperty('offered');

    const lines = (await get(collector.url, '/api/answers.ndjson')).text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.id === a.id).offered).toEqual(SHORT);
    const csv = parseCsv((await get(collector.url, '/api/answers.csv')).text);
    const column = CSV_COLUMNS.indexOf('offered');
    expect(csv[0]![column]).toBe('offered');
    expect(csv.find((r) => r[0] === a.id)![column]).toBe('irritated stressed trusting happy');
    expect(csv.find((r) => r[0] === none.id)![column]).toBe('');
  });

  it('are filled in by a resend when the stored copy has none, and never replaced', async () => {
    // The scored answer went out before the words were picked; its resend carries both.
    const a = emotion();
    await post(collector.url, { answers: [a] });
    expect(await row(a.id)).not.toHaveProperty('offered');
    expect((await post(collector.url, { answers: [{ ...a, emotions: ['happy'], offered: SHORT }] })).body).toEqual({
      accepted: 0,
      duplicates: 1,
    });
    expect(await row(a.id)).toMatchObject({ emotions: ['happy'], offered: SHORT });

    // No word picked: the offer alone fills in, then stays.
    const b = emotion();
    await post(collector.url, { answers: [b] });
    await post(collector.url, { answers: [{ ...b, offered: SHORT }] });
    expect(await row(b.id)).toMatchObject({ emotions: [], offered: SHORT });
    await post(collector.url, { answers: [{ ...b, offered: ['frustrated'] }] });
    expect((await row(b.id)).offered).toEqual(SHORT);
  });

  it('travel with the words chosen from them, so every stored word stays among the offered', async () => {
    // Stored: nothing picked from the short list. Resent after "More words": a word outside it, and the full offer.
    const a = emotion({ offered: SHORT });
    await post(collector.url, { answers: [a] });
    const all = [...SHORT, 'pleased'];
    await post(collector.url, { answers: [{ ...a, emotions: ['pleased'], offered: all }] });
    expect(await row(a.id)).toMatchObject({ emotions: ['pleased'], offered: all });

    // A resend with words but no offer keeps the stored offer if it holds them, and drops it if not.
    const held = emotion({ offered: SHORT });
    const outside = emotion({ offered: SHORT });
    await post(collector.url, { answers: [held, outside] });
    await post(collector.url, {
      answers: [
        { ...held, emotions: ['happy'], offered: undefined },
        { ...outside, emotions: ['pleased'], offered: undefined },
      ],
    });
    expect(await row(held.id)).toMatchObject({ emotions: ['happy'], offered: SHORT });
    const dropped = await row(outside.id);
    expect(dropped.emotions).toEqual(['pleased']);
    expect(dropped).not.toHaveProperty('offered');

    // An offer that lacks the stored words is not taken (this copy's own words are not taken either: some are stored).
    const picked = emotion({ emotions: ['happy'] });
    await post(collector.url, { answers: [picked] });
    expect(
      (await post(collector.url, { answers: [{ ...picked, emotions: ['stressed'], offered: ['stressed', 'trusting'] }] })).status,
    ).toBe(200);
    expect((await row(picked.id)).emotions).toEqual(['happy']);
    expect(await row(picked.id)).not.toHaveProperty('offered');
  });

  it('merge the same way when both copies arrive in one batch', async () => {
    const a = emotion();
    const b = emotion({ offered: SHORT });
    const res = await post(collector.url, {
      answers: [a, { ...a, emotions: ['happy'], offered: SHORT }, b, { ...b, emotions: ['pleased'], offered: undefined }],
    });
    expect(res.body).toEqual({ accepted: 2, duplicates: 2 });
    expect(await row(a.id)).toMatchObject({ emotions: ['happy'], offered: SHORT });
    const merged = await row(b.id);
    expect(merged.emotions).toEqual(['pleased']);
    expect(merged).not.toHaveProperty('offered');
  });
});

describe('a store made before offered words were recorded', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'moodpoint-offered-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it(
    'gets the column when the collector starts, keeps its rows, and stores offers from then on',
    async () => {
      const old = makeAnswer({ kind: 'emotion', score: 6, emotions: ['happy'] });
      // The answers table as the first release made it, with one answer in it.
      const db = await openPglite(dir);
      try {
        await db.exec(`CREATE TABLE answers (
          id uuid PRIMARY KEY, response_id text NOT NULL, touchpoint text NOT NULL, stage text, kind text NOT NULL,
          score int, emotions text[] NOT NULL DEFAULT '{}', comment text, context jsonb, site text, "user" text,
          locale text, url text, answered_at timestamptz NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
          seeded boolean NOT NULL DEFAULT false)`);
        await db.query(
          `INSERT INTO answers (id, response_id, touchpoint, stage, kind, score, emotions, site, answered_at)
           VALUES ($1, $2, $3, $4, 'emotion', 6, '{happy}', $5, $6)`,
          [old.id, old.responseId, old.touchpoint, old.stage, old.site, old.answeredAt],
        );
      } finally {
        await db.close();
      }

      const collector = await startCollector({ readToken: TOKEN, pgliteDir: dir, rateLimit: false, log: () => {} });
      try {
        const fresh = emotion({ emotions: ['happy'], offered: SHORT });
        expect((await post(collector.url, { answers: [fresh] })).status).toBe(200);
        const all = await stored(collector.url);
        expect(all.find((a) => a.id === old.id)).toMatchObject({ emotions: ['happy'] });
        expect(all.find((a) => a.id === old.id)).not.toHaveProperty('offered');
        expect(all.find((a) => a.id === fresh.id).offered).toEqual(SHORT);
        // Its old answer has no offer: left out of the choice rates, and counted as such.
        const report = (await get(collector.url, '/api/report')).body;
        expect(report.overall.wordRates).toMatchObject({ answers: 1, withoutOffered: 1 });
        expect(report.overall.wordRates.words.find((w: any) => w.word === 'happy')).toMatchObject({ chosen: 1, offered: 1 });
      } finally {
        await collector.close();
      }
    },
    2 * BOOT_TIMEOUT,
  );
});
