// DATABASE_URL mode: the collector on a real Postgres server through `pg`, with the same schema
// and queries as PGlite. Runs against PG_TEST_URL (and fails when that server does not answer),
// or a local default server; with neither, it is skipped and says why. Each run works in a
// schema of its own and drops it afterwards, so it never touches the database's own tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../server/collector';
import { openStore } from '../../server/store';
import { seedStore } from '../../demo/seed.mjs';
import { BOOT_TIMEOUT, get, parseCsv, post, stored, TOKEN } from './helpers';
import { ownSchema, planPostgres, postgresTarget } from './pgserver';
import { makeAnswer } from '../answers';

const { url: BASE_URL, plan } = await postgresTarget('postgres.test');

const DATA = [
  makeAnswer({ kind: 'nps', score: 10, answeredAt: '2026-02-01T10:00:00.000Z', comment: 'Great, "really"' }),
  makeAnswer({ kind: 'nps', score: 4, answeredAt: '2026-02-02T10:00:00.000Z' }),
  makeAnswer({ kind: 'nps', score: 9, answeredAt: '2026-03-02T10:00:00.000Z' }),
  makeAnswer({ kind: 'nps', score: 8, answeredAt: '2026-03-03T10:00:00.000Z' }),
  makeAnswer({ touchpoint: 'support_closed', stage: 'support', kind: 'ces', score: 3, answeredAt: '2026-02-03T10:00:00.000Z' }),
  makeAnswer({ touchpoint: 'support_closed', stage: 'support', kind: 'ces', score: 4, answeredAt: '2026-02-04T10:00:00.000Z' }),
  makeAnswer({
    touchpoint: 'support_closed',
    stage: 'support',
    kind: 'ces',
    score: 6,
    answeredAt: '2026-03-04T10:00:00.000Z',
    context: { plan: 'pro', seats: 3, beta: true, ref: null },
  }),
  makeAnswer({ touchpoint: 'support_closed', stage: 'support', kind: 'ces', score: 7, answeredAt: '2026-03-05T10:00:00.000Z' }),
  makeAnswer({
    touchpoint: 'product_browse',
    stage: 'browse',
    kind: 'emotion',
    score: 8,
    emotions: ['happy', 'cared_for'],
    answeredAt: '2026-02-05T10:00:00.000Z',
  }),
  makeAnswer({
    touchpoint: 'product_browse',
    stage: 'browse',
    kind: 'emotion',
    score: 2,
    emotions: ['stressed'],
    answeredAt: '2026-03-06T10:00:00.000Z',
  }),
];

/** A report without the parts that differ by design between two runs. */
const comparable = (report: any) => ({ ...report, generatedAt: undefined });

describe.runIf(plan.run)('collector on Postgres (DATABASE_URL)', () => {
  let collector: Collector;
  let reference: Collector;
  let schema: Awaited<ReturnType<typeof ownSchema>>;
  const start = (databaseUrl?: string) => startCollector({ readToken: TOKEN, databaseUrl, rateLimit: false, log: () => {} });

  beforeAll(async () => {
    schema = await ownSchema(BASE_URL, 'test');
    collector = await start(schema.url);
    reference = await start();
  }, BOOT_TIMEOUT);

  afterAll(async () => {
    await collector?.close();
    await reference?.close();
    await schema?.drop();
  });

  it('creates the same tables in its own schema and says it is Postgres', async () => {
    expect(collector.db.kind).toBe('postgres');
    expect(collector.db.db.pg).toBeUndefined();
    const { rows } = await collector.db.query(
      'SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = current_schema()',
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(['answers', 'impressions', 'webhook_deliveries']);
  });

  it('stores, de-duplicates and merges late comments exactly as PGlite does', async () => {
    for (const c of [collector, reference]) {
      expect((await post(c.url, { answers: DATA })).body).toEqual({ accepted: DATA.length, duplicates: 0 });
      expect((await post(c.url, { answers: [DATA[1], DATA[1]] })).body).toEqual({ accepted: 0, duplicates: 2 });
      expect((await post(c.url, { answers: [{ ...DATA[1], comment: 'Late comment' }] })).body).toEqual({ accepted: 0, duplicates: 1 });
    }
    const strip = (rows: any[]) => rows.map(({ receivedAt: _r, ...rest }) => rest);
    const onPostgres = await stored(collector.url);
    expect(strip(onPostgres)).toEqual(strip(await stored(reference.url)));
    expect(onPostgres.find((a) => a.id === DATA[1]!.id)).toMatchObject({ score: 4, comment: 'Late comment' });
    expect(onPostgres.find((a) => a.id === DATA[6]!.id)!.context).toEqual({ plan: 'pro', seats: 3, beta: true, ref: null });
    expect(onPostgres.find((a) => a.id === DATA[8]!.id)!.emotions).toEqual(['happy', 'cared_for']);
  });

  it('gives the same report, filters and comparisons as PGlite', async () => {
    for (const query of ['', '?compareAt=2026-03-01', '?from=2026-02-02&to=2026-03-03&site=shop-eu', '?cesScale=support_closed:7']) {
      const [a, b] = await Promise.all([get(collector.url, `/api/report${query}`), get(reference.url, `/api/report${query}`)]);
      expect(a.status, query).toBe(200);
      expect(comparable(a.body), query).toEqual(comparable(b.body));
    }
    const report = (await get(collector.url, '/api/report?compareAt=2026-03-01')).body;
    expect(report.overall.answers).toBe(DATA.length);
  });

  it('exports the same CSV and NDJSON', async () => {
    const csv = parseCsv((await get(collector.url, '/api/answers.csv')).text);
    const ref = parseCsv((await get(reference.url, '/api/answers.csv')).text);
    const receivedAt = csv[0]!.indexOf('receivedAt');
    const drop = (rows: string[][]) => rows.map((r) => r.filter((_, i) => i !== receivedAt));
    expect(drop(csv)).toEqual(drop(ref));
    const lines = (await get(collector.url, '/api/answers.ndjson')).text.trimEnd().split('\n');
    expect(lines).toHaveLength(DATA.length);
  });

  it(
    'keeps answers across a restart and seeds idempotently',
    async () => {
      await collector.close();
      collector = await start(schema.url);
      expect(await stored(collector.url)).toHaveLength(DATA.length);
      expect((await post(collector.url, { answers: DATA })).body).toEqual({ accepted: 0, duplicates: DATA.length });

      const store = await openStore({ databaseUrl: schema.url });
      try {
        const first = await seedStore(store, { end: '2026-11-23' });
        expect(first.inserted).toBe(first.answers.length);
        const again = await seedStore(store, { end: '2026-11-23' });
        expect(again.inserted).toBe(0);
        expect(await store.count()).toBe(DATA.length + first.answers.length);
      } finally {
        await store.close();
      }
      const report = (await get(collector.url, '/api/report?site=demo-shop&compareAt=2026-10-26')).body;
      expect(report.seeded.answers).toBeGreaterThan(300);
      expect(report.stages.find((s: any) => s.stage === 'support').touchpoints[0].compare.ces.excludesZero).toBe(true);
    },
    2 * BOOT_TIMEOUT,
  );

  it('refuses a database it cannot reach with a clear error', async () => {
    const url = new URL(BASE_URL);
    url.port = '1';
    await expect(openStore({ databaseUrl: url.toString(), log: () => {} })).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});

describe('collector on Postgres: availability', () => {
  it.runIf(!!process.env.PG_TEST_URL)('reaches the server PG_TEST_URL names', () => {
    expect(plan).toEqual({ run: true });
  });

  it('runs with a server, fails when the named one is missing, and skips only when none was named', () => {
    const url = 'postgres://postgres:secret@127.0.0.1:1/postgres';
    expect(planPostgres(url, url, undefined)).toEqual({ run: true });
    expect(planPostgres(undefined, url, undefined)).toEqual({ run: true });
    expect(planPostgres(url, url, 'connect ECONNREFUSED 127.0.0.1:1')).toEqual({
      run: false,
      fail: 'PG_TEST_URL is set but no Postgres server answers at postgres://postgres:***@127.0.0.1:1/postgres (connect ECONNREFUSED 127.0.0.1:1)',
    });
    expect(planPostgres(undefined, url, 'connect ECONNREFUSED 127.0.0.1:1')).toMatchObject({
      run: false,
      skip: expect.stringMatching(/^no Postgres server at /),
    });
  });
});
