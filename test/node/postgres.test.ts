// DATABASE_URL mode: the collector on a real Postgres server through `pg`, with the same schema
// and queries as PGlite. Runs when a server answers at PG_TEST_URL (default
// postgres://postgres@127.0.0.1:5432/postgres); otherwise skipped, saying why. Each run works in
// a schema of its own and drops it afterwards, so it never touches the database's own tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startCollector, type Collector } from '../../demo/server/collector.mjs';
import { openStore } from '../../demo/server/store.mjs';
import { seedStore } from '../../demo/seed.mjs';
import { BOOT_TIMEOUT, get, parseCsv, post, stored } from './helpers';
import { makeAnswer } from '../answers';

const BASE_URL = process.env.PG_TEST_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = `moodpoint_test_${process.pid}_${Date.now().toString(36)}`;

/** Connects once, briefly: a reason to skip, or undefined when the server is there. */
async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: BASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `no Postgres server at ${BASE_URL.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message || (err as { code?: string }).code}); set PG_TEST_URL to test DATABASE_URL mode`;
  } finally {
    await client.end().catch(() => {});
  }
}

const skipReason = await probe();
if (skipReason) console.log(`[postgres.test] skipped: ${skipReason}`);

/** The test's own schema, through libpq's `options` (search_path), which `pg` passes on. */
function schemaUrl(): string {
  const url = new URL(BASE_URL);
  url.searchParams.set('options', `-c search_path=${SCHEMA}`);
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: BASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

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

describe.skipIf(!!skipReason)('collector on Postgres (DATABASE_URL)', () => {
  let collector: Collector;
  let reference: Collector;

  beforeAll(async () => {
    await admin(`CREATE SCHEMA "${SCHEMA}"`);
    collector = await startCollector({ databaseUrl: schemaUrl(), rateLimit: false, log: () => {} });
    reference = await startCollector({ rateLimit: false, log: () => {} });
  }, BOOT_TIMEOUT);

  afterAll(async () => {
    await collector?.close();
    await reference?.close();
    await admin(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  });

  it('creates the same table in its own schema and says it is Postgres', async () => {
    expect(collector.db.kind).toBe('postgres');
    expect(collector.db.pg).toBeUndefined();
    const { rows } = await collector.db.query('SELECT table_schema FROM information_schema.tables WHERE table_name = $1', ['answers']);
    expect(rows.map((r) => r.table_schema)).toContain(SCHEMA);
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
      collector = await startCollector({ databaseUrl: schemaUrl(), rateLimit: false, log: () => {} });
      expect(await stored(collector.url)).toHaveLength(DATA.length);
      expect((await post(collector.url, { answers: DATA })).body).toEqual({ accepted: 0, duplicates: DATA.length });

      const store = await openStore({ databaseUrl: schemaUrl() });
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
    await expect(openStore({ databaseUrl: url.toString() })).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});

describe('collector on Postgres: availability', () => {
  it('ran the Postgres tests, or printed why not', () => {
    if (skipReason) expect(skipReason).toMatch(/^no Postgres server at /);
    else expect(skipReason).toBeUndefined();
  });
});
