// The collector under fuzzed posts (fast-check, fixed seed; `npm run fuzz` runs more): whatever
// arrives, the answer is a 2xx or a clear 4xx, never a 5xx; a refused batch stores nothing; the
// process's prototypes stay clean; and the server goes on serving.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../server/collector';
import { BOOT_TIMEOUT, post, stored, TOKEN } from './helpers';
import { makeAnswer } from '../answers';

const RUNS = Math.max(20, Math.round(Number(process.env.FUZZ_RUNS ?? 300) / 5));
const SEED = Number(process.env.FUZZ_SEED ?? 8);
const TIMEOUT = 30_000 + RUNS * 200;

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'answers', 'id', 'score', 'kind', 'emotions', 'comment', 'context', 'toString'),
  fc.string({ maxLength: 10 }),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer({ min: -20, max: 20 }),
    fc.string({ maxLength: 30 }),
    fc.string({ minLength: 3000, maxLength: 9000 }),
    fc.constantFrom('<img src=x onerror=alert(1)>', '\u202e\u2066', 'javascript:alert(1)', "'; DROP TABLE answers; --"),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** Answers with one or a few fields replaced by fuzz, so the schema is reached at every path. */
const nearlyValidAnswer = fc
  .tuple(fc.dictionary(hostileKey, json, { maxKeys: 3 }), fc.boolean())
  .map(([over, keep]) => ({ ...(keep ? makeAnswer() : {}), ...over }));

/** Valid answers carrying hostile text where text is allowed: stored as given, never interpreted. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.constantFrom('<img src=x onerror=alert(1)>', '\u202e\u2066evil', "'; DROP TABLE answers; --", '=HYPERLINK("http://x")'),
);
const validAnswer = fc
  .record({
    comment: hostileText,
    context: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== '__proto__'),
      hostileText,
      { maxKeys: 3 },
    ),
  })
  .map((over) => makeAnswer(over));

/** JSON text as a client could send it: with own `__proto__` keys, which `JSON.stringify` of an object literal would lose. */
const body = fc.oneof(
  fc.array(validAnswer, { minLength: 1, maxLength: 3 }).map((answers) => JSON.stringify({ answers })),
  json.map((v) => JSON.stringify(v ?? null)),
  fc.array(nearlyValidAnswer, { maxLength: 4 }).map((answers) => JSON.stringify({ answers })),
  fc
    .array(nearlyValidAnswer, { minLength: 1, maxLength: 3 })
    .map((answers) => JSON.stringify({ answers }).replace('"id":', '"__proto__":{"polluted":1},"id":')),
  fc.string({ maxLength: 200 }),
);

describe('collector under fuzzed posts', () => {
  let collector: Collector;
  let base: string;

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, rateLimit: false, log: () => undefined });
    base = collector.url;
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it(
    'answers 2xx or a 4xx with a reason, stores nothing it refused, and keeps serving',
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('text/plain;charset=UTF-8', 'application/json'), async (text, contentType) => {
          const before = (await stored(base)).length;
          const res = await post(base, text, { contentType });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, res.text).toBeLessThan(500);
          if (res.status >= 400) {
            const reasons: unknown[] = res.body?.errors?.map((e: { path: unknown }) => e.path) ?? [res.body?.error];
            expect(reasons.length, res.text).toBeGreaterThan(0);
            for (const r of reasons) expect(typeof r, res.text).toBe('string');
            expect((await stored(base)).length).toBe(before);
          } else {
            expect(res.body.accepted + res.body.duplicates).toBe(JSON.parse(text).answers.length);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.keys(Object.prototype)).toEqual([]);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      console.log(`collector fuzz: ${RUNS} posts, seed ${SEED}, statuses`, Object.fromEntries(statuses));
      // Both sides of the property were reached: some posts accepted, some refused.
      expect(statuses.get(200)).toBeGreaterThan(0);
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
      expect((await post(base, { answers: [makeAnswer()] })).status).toBe(200);
    },
    TIMEOUT,
  );
});
