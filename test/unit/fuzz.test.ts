import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerSchema } from '../../src/answer';
import { configSchema } from '../../src/config';
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
