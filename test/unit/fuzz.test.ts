import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerSchema } from '../../src/answer';
import { configSchema, configSchemaFor } from '../../src/config';
import { sanitizeContext } from '../../src/context';
import { validate } from '../../src/validate';
import { makeAnswer } from '../answers';

/** `npm run fuzz` raises the run count; the test command uses a fixed seed and a short run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 8);
/** Generous: the long `npm run fuzz` run takes minutes on a shared machine. */
const TIMEOUT = 10_000 + RUNS * 30;

const hostile = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'touchpoints', 'prompts', 'on', 'kind', 'theme', 'endpoint'),
  fc.string({ maxLength: 12 }),
);
/** Any JSON, with hostile keys and deep nesting, as JSON.parse would make it (own `__proto__` keys included). */
const json = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.string({ maxLength: 40 }),
      fc.string({ minLength: 5000, maxLength: 20000 }),
      fc.array(tie('value'), { maxLength: 8 }),
      fc.dictionary(hostile, tie('value'), { maxKeys: 8 }),
    ),
  }))
  .value.map((v) => JSON.parse(JSON.stringify(v ?? null)));

/** Configs close to valid, so fuzzing reaches deep paths rather than failing at the root. */
const nearlyValid = fc
  .record({
    endpoint: fc.oneof(
      fc.constant('https://c.example/api'),
      fc.string(),
      fc.constant('javascript:alert(1)'),
      fc.constant('http://evil.example'),
    ),
    theme: fc.oneof(fc.constant({ accent: 'red;} :host{display:none' }), fc.record({ accent: fc.string(), radius: json })),
    touchpoints: fc.array(
      fc.record({
        id: fc.oneof(fc.string(), json),
        prompts: fc.array(fc.oneof(fc.constantFrom('nps', 'ces', 'emotion', 'npx'), json), { maxLength: 4 }),
        on: json,
      }),
      { maxLength: 4 },
    ),
  })
  .map((v) => JSON.parse(JSON.stringify(v)));

/** `null` mostly, and now and then a value of `arbitrary`. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 40, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
/** A value of `arbitrary`, or now and then `undefined`, so that a required key goes missing once JSON drops it. */
const mostly = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });
/** A value as written, or now and then a fuzzed one in its place. */
const orJson = <T>(value: T) => rarely(json).map((fuzzed) => (fuzzed === null ? value : fuzzed));
/** Some of `record`'s keys, each value as written or now and then fuzzed, and now and then a key set to any JSON (an unknown one too). */
const someOf = (record: Record<string, unknown>) =>
  fc
    .tuple(
      fc.subarray(Object.entries(record)).chain((kept) => fc.tuple(...kept.map(([k, v]) => orJson(v).map((x) => [k, x] as const)))),
      rarely(fc.tuple(fc.constantFrom(...Object.keys(record), 'extra'), json)),
    )
    .map(([entries, odd]) => Object.fromEntries(odd ? [...entries, odd] : entries));

const PROMPT = {
  question: 'Would you recommend us?',
  task: 'pay',
  scale: 7,
  followUp: { detractor: 'Why?', promoter: 'What did you like?' },
  emotions: ['happy', 'trusting'],
  labels: ['No', 'Yes'],
  strings: { send: 'Go' },
};
const TOUCHPOINT = {
  id: 'checkout',
  stage: 'purchase',
  prompts: ['ces'],
  on: { event: 'checkout', click: '#buy', url: '/done', delayMs: 100, scrollPercent: 50, exitIntent: true, pageViews: 2 },
  sample: 0.5,
  cooldownDays: 30,
  dismissCooldownDays: 7,
  once: true,
  strings: { thanks: 'Thanks!' },
};
const CONFIG = {
  $schema: 'https://unpkg.com/moodpoint/dist/moodpoint.schema.json',
  endpoint: 'https://c.example/api',
  site: 'shop',
  brand: 'Acme',
  locale: 'de',
  localeUrl: 'https://c.example/locales/',
  strings: { send: 'Send' },
  debug: true,
  consent: false,
  respectGlobalPrivacyControl: true,
  impressions: true,
  contentType: 'application/json',
  nonce: 'abc',
  outbox: { maxAnswers: 10, maxAgeDays: 3 },
  theme: { accent: '#123456', mode: 'dark', position: 'bottom-left', target: '#here', radius: 4, font: 'Inter', zIndex: 9 },
  throttle: { minDaysBetweenSurveys: 2, maxPerSession: 1 },
};
/** Configs that use any of the schema's keys, at every level, valid or nearly so. */
const anyKeys = fc
  .record({
    top: someOf(CONFIG),
    touchpoints: mostly(
      fc.array(
        fc.record({
          touchpoint: someOf(TOUCHPOINT),
          id: mostly(fc.constantFrom('a', 'b', 'c', 'd')),
          on: someOf(TOUCHPOINT.on),
          prompts: mostly(
            fc.array(
              fc.oneof(
                fc.constantFrom('nps', 'ces', 'emotion'),
                fc.tuple(mostly(fc.constant('nps')), someOf(PROMPT)).map(([kind, p]) => ({ kind, ...p })),
              ),
              {
                minLength: 1,
                maxLength: 3,
              },
            ),
          ),
        }),
        { maxLength: 3 },
      ),
    ),
  })
  .map(({ top, touchpoints }) => ({
    ...top,
    touchpoints: touchpoints?.map(({ touchpoint, id, on, prompts }) => ({ ...touchpoint, id, on, prompts })),
  }))
  .map((v) => JSON.parse(JSON.stringify(v)));

/** A clean acceptance, or problems that each name a path and say what is wrong; nothing leaks into prototypes. */
function checkOutcome(input: unknown) {
  const result = validate(configSchema(), input);
  if (!result.ok) {
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) {
      expect(typeof p.path).toBe('string');
      expect(p.path.length).toBeGreaterThan(0);
      expect(typeof p.message).toBe('string');
      expect(p.message.length).toBeGreaterThan(0);
    }
  }
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(({} as Record<string, unknown>).kind).toBeUndefined();
  return result;
}

/** The problems of a config that must be refused. */
function refused(input: unknown) {
  const result = checkOutcome(input);
  if (result.ok) throw new Error('a hostile config was accepted');
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('fuzzing (fast-check, fixed seed)', () => {
  it(
    'the config parser returns a clean acceptance or problems with paths, never throws or pollutes',
    () => {
      fc.assert(
        fc.property(fc.oneof(json, nearlyValid), (input) => void checkOutcome(input)),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'the schema made for a config (only the parts its keys use) gives what the whole schema gives',
    async () => {
      const pause = () => Promise.resolve();
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(json, nearlyValid, { weight: 4, arbitrary: anyKeys }), async (input) => {
          const whole = validate(configSchema(), input);
          expect(validate(await configSchemaFor(input, pause), input)).toEqual(whole);
          if (whole.ok) accepted++;
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // The comparison means something only if both outcomes came up.
      expect(accepted).toBeGreaterThan(RUNS / 20);
      expect(accepted).toBeLessThan(RUNS);
    },
    TIMEOUT,
  );

  it('hand-picked hostile configs', () => {
    const polluting = JSON.parse(
      '{"__proto__":{"polluted":true},"touchpoints":[{"id":"a","prompts":["nps"],"constructor":{"prototype":{"polluted":1}}}]}',
    );
    expect(refused(polluting)).toEqual(['__proto__: unknown key', 'touchpoints[0].constructor: unknown key']);
    let deep: unknown = {};
    for (let i = 0; i < 5000; i++) deep = { touchpoints: deep };
    expect(refused(deep)).toEqual(['touchpoints: expected array, got object']);
    expect(refused({ touchpoints: Array.from({ length: 100_000 }, () => ({ id: 'x', prompts: ['nps'] })) })).toEqual([
      '(root): holds more than 10000 values',
    ]);
    expect(refused({ touchpoints: [], brand: 'x'.repeat(1_000_000) })).toEqual(['brand: is 1000000 characters']);
    expect(refused({ touchpoints: [], endpoint: 'javascript:alert(1)' })).toEqual([
      'endpoint: must be an https URL (http only on localhost)',
    ]);
  });

  it(
    'trigger context keeps only JSON primitives, bounded, and never pollutes',
    () => {
      fc.assert(
        fc.property(fc.oneof(json, fc.anything()), (input) => {
          const { context } = sanitizeContext(input);
          if (context) {
            expect(Object.keys(context).length).toBeLessThanOrEqual(20);
            for (const [k, v] of Object.entries(context)) {
              expect(k.length).toBeLessThanOrEqual(64);
              expect(v === null || ['string', 'number', 'boolean'].includes(typeof v)).toBe(true);
              if (typeof v === 'string') expect(v.length).toBeLessThanOrEqual(500);
            }
            expect(Object.getPrototypeOf(context)).toBe(Object.prototype);
          }
          expect(Object.prototype).not.toHaveProperty('polluted');
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'answers from fuzzed context still pass the answer schema',
    () => {
      fc.assert(
        fc.property(json, (raw) => {
          const { context } = sanitizeContext(raw);
          const answer = makeAnswer({ score: 7, context });
          expect(validate(answerSchema(), answer).ok).toBe(true);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
