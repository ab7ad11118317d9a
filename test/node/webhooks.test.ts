// Webhooks: each stored answer is posted to every --webhook URL, signed per Standard Webhooks,
// from a queue table. A fake clock stands in for the hours a receiver can be down; the receiver
// checks each signature on its own (test/node/receiver.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../server/collector';
import { generateSecret, secretKey, signWebhook } from '../../server/signature';
import { retryDelay, DEFAULT_BACKOFF, type Backoff } from '../../server/webhooks';
import { makeAnswer } from '../answers';
import { AUTH, BOOT_TIMEOUT, post, TOKEN } from './helpers';
import { ownSchema, postgresTarget } from './pgserver';
import { startReceiver, verifyIndependently, type Receiver } from './receiver';

const SECRET = generateSecret();
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-23T10:00:00.000Z');
/** A timestamptz as the driver returns it (a Date), in ms; `Date.parse` of a Date would drop its milliseconds. */
const ms = (value: unknown) => new Date(value as Date).getTime();

describe('signatures (Standard Webhooks)', () => {
  // The scheme's published example: a receiver's Standard Webhooks library computes the same.
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
  };

  it('signs the published example exactly, and the test receiver checks it the same way', () => {
    const signature = signWebhook(vector.secret, vector.id, vector.timestamp, vector.body);
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const headers = {
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': `v1,bm9wZQ== ${signature}`,
    };
    expect(verifyIndependently(vector.secret, headers, vector.body)).toBe(true);
    expect(verifyIndependently(vector.secret, headers, '{"test": 2432232315}')).toBe(false);
    expect(verifyIndependently(SECRET, headers, vector.body)).toBe(false);
  });

  it('makes whsec_ secrets of 32 bytes and explains a bad one', () => {
    expect(secretKey(generateSecret())).toHaveLength(32);
    expect(() => secretKey('s3cret')).toThrow(/does not start with "whsec_"\. Fix: use `whsec_`/);
    expect(() => secretKey('whsec_c2hvcnQ=')).toThrow(/is not 24 to 64 bytes of base64/);
  });

  it('waits twice as long after each failure, up to the maximum, never more than 20 % less', () => {
    const backoff: Backoff = { firstMs: 10_000, maxMs: 3_600_000, giveUpAfterMs: 1 };
    expect([1, 2, 3, 9, 10, 40].map((n) => retryDelay(backoff, n, () => 0))).toEqual([
      10_000, 20_000, 40_000, 2_560_000, 3_600_000, 3_600_000,
    ]);
    expect(retryDelay(backoff, 1, () => 0.999_999)).toBe(8_000);
    expect(DEFAULT_BACKOFF.giveUpAfterMs).toBe(3 * 24 * HOUR);
  });
});

describe('webhooks from a persistent queue (PGlite, fake clock)', () => {
  let dataDir: string;
  let receiver: Receiver;
  let collector: Collector;
  let now = T0;

  const start = () =>
    startCollector({
      readToken: TOKEN,
      pgliteDir: dataDir,
      rateLimit: false,
      clock: () => now,
      webhooks: { urls: [receiver.url], secret: SECRET, pollMs: 20 },
      log: () => {},
    });
  const rows = async () =>
    (await collector.db.query('SELECT answer_id, state, attempts, next_at, lease_until FROM webhook_deliveries ORDER BY answer_id')).rows;
  /** The answers a round of attempts was made for, once each is recorded as failed and rescheduled. */
  const settled = async (ids: string[]) =>
    (await rows()).filter((r) => ids.includes(r.answer_id) && r.lease_until === null && ms(r.next_at) > now).length;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'moodpoint-webhooks-'));
    receiver = await startReceiver(SECRET);
    collector = await start();
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await collector?.close();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'keeps retrying a receiver down for over an hour with doubling waits, across a restart, then delivers each answer once',
    async () => {
      receiver.mode = 'down';
      const answers = [makeAnswer(), makeAnswer({ comment: 'First thoughts' }), makeAnswer({ kind: 'emotion', score: 8, emotions: [] })];
      const ids = answers.map((a) => a.id).sort();
      expect((await post(collector.url, { answers })).body).toEqual({ accepted: 3, duplicates: 0 });
      await expect.poll(() => receiver.got.length, { timeout: 10_000 }).toBe(3);
      await expect.poll(() => settled(ids), { timeout: 10_000 }).toBe(3);

      // While it is down: a resend adds emotion words, and is not queued a second time.
      expect((await post(collector.url, { answers: [{ ...answers[2]!, emotions: ['valued'] }] })).body).toEqual({
        accepted: 0,
        duplicates: 1,
      });
      expect(await rows()).toHaveLength(3);

      const delays = new Map<string, number[]>(ids.map((id) => [id, []]));
      const record = async () => {
        for (const r of await rows()) delays.get(r.answer_id)!.push(ms(r.next_at) - now);
      };
      await record();
      let restarted = false;
      while (now < T0 + HOUR) {
        // Every pending delivery due, then one round of attempts, each failing.
        now = Math.max(...(await rows()).map((r) => ms(r.next_at)));
        if (now > T0 + HOUR / 2) receiver.mode = 'unreachable';
        const before = receiver.got.length;
        await expect.poll(() => receiver.got.length, { timeout: 10_000 }).toBe(before + 3);
        await expect.poll(() => settled(ids), { timeout: 10_000 }).toBe(3);
        await record();
        if (!restarted && now > T0 + HOUR / 4) {
          // A restart in the middle: the queue is in the data dir, and the new process picks it up.
          await collector.close();
          collector = await start();
          restarted = true;
        }
      }
      expect(restarted).toBe(true);
      for (const [id, waits] of delays) {
        expect(waits.length, id).toBeGreaterThanOrEqual(8);
        waits.forEach((wait, i) => {
          const full = Math.min(HOUR, 10_000 * 2 ** i);
          expect(wait, `${id} wait ${i + 1}`).toBeGreaterThanOrEqual(0.8 * full - 1);
          expect(wait, `${id} wait ${i + 1}`).toBeLessThanOrEqual(full);
        });
      }
      expect(receiver.accepted().size).toBe(0);

      // Back up: one more round, and every answer is delivered, signed, once.
      receiver.mode = 'up';
      now = Math.max(...(await rows()).map((r) => ms(r.next_at)));
      await expect.poll(() => receiver.accepted().size, { timeout: 10_000 }).toBe(3);
      await expect
        .poll(async () => (await rows()).map((r) => r.state), { timeout: 10_000 })
        .toEqual(['delivered', 'delivered', 'delivered']);
      const delivered = receiver.got.filter((r) => r.answered === 204);
      expect(delivered.map((r) => r.id).sort()).toEqual(ids);
      for (const r of receiver.got) expect(r.valid, r.id).toBe(true);
      const listed = ((await (await fetch(`${collector.url}/api/answers`, { headers: AUTH })).json()) as { answers: any[] }).answers;
      for (const r of delivered) {
        const body = JSON.parse(r.body);
        expect(body).toEqual({
          type: 'answer.created',
          timestamp: new Date(now).toISOString(),
          data: listed.find((a) => a.id === r.id),
        });
        expect(r.timestamp * 1000).toBe(Math.floor(now / 1000) * 1000);
      }
      // The payload is the answer as stored when it was sent: with the words the resend filled in.
      expect(JSON.parse(delivered.find((r) => r.id === answers[2]!.id)!.body).data.emotions).toEqual(['valued']);

      // Never again after a 2xx: days later, a new answer goes out and the old ones do not.
      const attemptsSoFar = receiver.got.length;
      now += 3 * 24 * HOUR;
      await collector.close();
      collector = await start();
      const later = makeAnswer();
      await post(collector.url, { answers: [later] });
      await expect.poll(() => receiver.accepted().get(later.id), { timeout: 10_000 }).toBe(1);
      expect(receiver.got.slice(attemptsSoFar).map((r) => r.id)).toEqual([later.id]);
      expect([...receiver.accepted().values()]).toEqual([1, 1, 1, 1]);
    },
    6 * BOOT_TIMEOUT,
  );

  it("drops an erased person's deliveries before they are sent", async () => {
    receiver.mode = 'down';
    const gone = makeAnswer({ user: 'u_erased' });
    await post(collector.url, { answers: [gone] });
    await expect.poll(() => receiver.got.some((r) => r.id === gone.id), { timeout: 10_000 }).toBe(true);
    const res = await fetch(`${collector.url}/api/answers?user=u_erased`, { method: 'DELETE', headers: AUTH });
    expect(await res.json()).toEqual({ erased: { answers: 1, webhooks: 1 } });
    expect((await rows()).some((r) => r.answer_id === gone.id)).toBe(false);
    receiver.mode = 'up';
    now += 2 * HOUR;
    const next = makeAnswer();
    await post(collector.url, { answers: [next] });
    await expect.poll(() => receiver.accepted().get(next.id), { timeout: 10_000 }).toBe(1);
    expect(receiver.accepted().has(gone.id)).toBe(false);
  });

  it(
    'gives a delivery up once it has failed for longer than the backoff allows, and says so',
    async () => {
      const logged: string[] = [];
      const dir = await mkdtemp(path.join(tmpdir(), 'moodpoint-giveup-'));
      let clock = T0;
      const short = await startCollector({
        readToken: TOKEN,
        pgliteDir: dir,
        clock: () => clock,
        webhooks: { urls: [receiver.url], secret: SECRET, pollMs: 20, backoff: { firstMs: 1000, maxMs: 4000, giveUpAfterMs: 10_000 } },
        log: (line) => logged.push(line),
      });
      try {
        receiver.mode = 'down';
        const a = makeAnswer();
        await post(short.url, { answers: [a] });
        const state = async () => (await short.db.query('SELECT state, next_at, lease_until FROM webhook_deliveries')).rows[0]!;
        for (let round = 0; round < 10 && (await state()).state === 'pending'; round += 1) {
          await expect
            .poll(
              async () =>
                (await state()).lease_until === null && ((await state()).state !== 'pending' || ms((await state()).next_at) > clock),
              { timeout: 10_000 },
            )
            .toBe(true);
          clock = ms((await state()).next_at);
        }
        expect((await state()).state).toBe('failed');
        expect(logged.at(-1)).toMatch(
          /\[webhooks\] http:\/\/127\.0\.0\.1:\d+\/hooks\/moodpoint answer [0-9a-f-]{36} attempt \d+: HTTP 503; given up/,
        );
      } finally {
        await short.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    BOOT_TIMEOUT,
  );
});

const { url: PG_URL, plan } = await postgresTarget('webhooks.test');

describe.runIf(plan.run)('webhooks from two collector processes on one Postgres', () => {
  let schema: Awaited<ReturnType<typeof ownSchema>>;
  let receiver: Receiver;
  let collectors: Collector[] = [];

  beforeAll(async () => {
    schema = await ownSchema(PG_URL, 'hooks');
    receiver = await startReceiver(SECRET);
    const start = () =>
      startCollector({
        readToken: TOKEN,
        databaseUrl: schema.url,
        rateLimit: false,
        webhooks: { urls: [receiver.url], secret: SECRET, pollMs: 20 },
        log: () => {},
      });
    collectors = await Promise.all([start(), start()]);
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await Promise.all(collectors.map((c) => c.close()));
    await receiver?.close();
    await schema?.drop();
  });

  it('sends each answer once, whichever process stored it and whichever claims it', async () => {
    const answers = Array.from({ length: 400 }, () => makeAnswer());
    const batches = Array.from({ length: 8 }, (_, i) => answers.slice(i * 50, i * 50 + 50));
    await Promise.all(batches.map((batch, i) => post(collectors[i % 2]!.url, { answers: batch })));
    await expect.poll(() => receiver.accepted().size, { timeout: 30_000 }).toBe(answers.length);
    const states = async () =>
      (await collectors[0]!.db.query(`SELECT state, count(*)::int AS n FROM webhook_deliveries GROUP BY state`)).rows;
    await expect.poll(states, { timeout: 10_000 }).toEqual([{ state: 'delivered', n: answers.length }]);
    expect(receiver.got).toHaveLength(answers.length);
    expect(new Set(receiver.got.map((r) => r.id)).size).toBe(answers.length);
    expect(receiver.got.every((r) => r.valid)).toBe(true);
  }, 60_000);
});
