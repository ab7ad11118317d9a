// Stateless over Postgres: two `moodpoint serve` processes on one database, 20,000 answers
// posted through both at once, 30 % of them sent a second time with the same id (some of those
// carrying a late comment): every answer is stored exactly once, with its comment.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAnswer } from '../answers';
import { AUTH, BOOT_TIMEOUT, TOKEN } from './helpers';
import { ownSchema, postgresTarget } from './pgserver';
import { startServe, type Served } from './serve';

const ANSWERS = 20_000;
const RESENT = 0.3;
const BATCH = 50;
const CONCURRENCY = 16;

const { url: PG_URL, plan } = await postgresTarget('scale.test');

/** mulberry32: the same shuffle on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.runIf(plan.run)('two moodpoint serve processes on one Postgres', () => {
  let schema: Awaited<ReturnType<typeof ownSchema>>;
  let processes: Served[] = [];

  beforeAll(async () => {
    schema = await ownSchema(PG_URL, 'scale');
    const env = { DATABASE_URL: schema.url, MOODPOINT_READ_TOKEN: TOKEN };
    processes = await Promise.all([0, 1].map(() => startServe(['--port', '0', '--rate-limit', '0'], env)));
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await schema?.drop();
  });

  it(`stores ${ANSWERS} answers exactly once when ${RESENT * 100} % are sent twice, concurrently, through both`, async () => {
    const random = prng(13);
    const answers = Array.from({ length: ANSWERS }, (_, i) => makeAnswer({ comment: i % 3 === 0 ? undefined : `first ${i}` }));
    // Resends: a third of them add the comment their first copy lacked, as the widget's late follow-up does.
    const resends = answers
      .slice(0, ANSWERS * RESENT)
      .map((a, i) => (a.comment === undefined && i % 2 === 0 ? { ...a, comment: `late ${a.id}` } : a));
    const records = [...answers, ...resends];
    for (let i = records.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [records[i], records[j]] = [records[j]!, records[i]!];
    }
    const batches = Array.from({ length: Math.ceil(records.length / BATCH) }, (_, i) => records.slice(i * BATCH, (i + 1) * BATCH));

    const totals = { accepted: 0, duplicates: 0, failed: [] as string[] };
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const i = next++;
        const res = await fetch(`${processes[i % 2]!.url}/api/answers`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
          body: JSON.stringify({ answers: batches[i] }),
        });
        const body = (await res.json()) as { accepted: number; duplicates: number };
        if (res.status !== 200) totals.failed.push(`${res.status} ${JSON.stringify(body)}`);
        else {
          totals.accepted += body.accepted;
          totals.duplicates += body.duplicates;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(totals).toEqual({ accepted: ANSWERS, duplicates: ANSWERS * RESENT, failed: [] });

    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM answers');
      expect(rows[0]).toEqual({ n: ANSWERS, ids: ANSWERS });
    } finally {
      await client.end();
    }
    // Either process lists the same answers, each once, each with the comment it was ever sent with.
    const [a, b] = await Promise.all(
      processes.map(async (p) => ((await (await fetch(`${p.url}/api/answers`, { headers: AUTH })).json()) as { answers: any[] }).answers),
    );
    expect(a).toHaveLength(ANSWERS);
    expect(b).toEqual(a);
    const byId = new Map(a!.map((row) => [row.id, row]));
    for (const sent of resends) expect(byId.get(sent.id)?.comment, sent.id).toBe(sent.comment);
    for (const sent of answers.slice(ANSWERS * RESENT)) expect(byId.get(sent.id)?.comment, sent.id).toBe(sent.comment);
  }, 240_000);
});
