import { describe, expect, it } from 'vitest';
import { configSchema, configSchemaFor } from '../../src/config';
import { isSafeUrl } from '../../src/safeUrl';
import { validate } from '../../src/validate';
import { formatProblem } from '../../src/log';

const lines = (input: unknown) => {
  const r = validate(configSchema(), input);
  return r.ok ? [] : r.problems.map(formatProblem);
};

const valid = {
  endpoint: 'https://collector.example.com/api/answers',
  site: 'shop-eu',
  brand: 'Acme',
  touchpoints: [
    {
      id: 'checkout_complete',
      stage: 'purchase',
      prompts: ['nps'],
      on: { event: 'checkout_complete', delayMs: 1000 },
      sample: 1,
      cooldownDays: 30,
    },
    { id: 'support_closed', prompts: [{ kind: 'ces', task: 'get my issue resolved', followUp: true }], on: { event: 'support_closed' } },
  ],
};

describe('config', () => {
  it('accepts the SPEC example shape', () => {
    const r = validate(configSchema(), valid);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.touchpoints[1]!.prompts[0]).toEqual({ kind: 'ces', task: 'get my issue resolved', followUp: true });
  });

  it('names an unknown kind with its path and the allowed ones', () => {
    const bad = structuredClone(valid);
    (bad.touchpoints[1]!.prompts as unknown[])[0] = 'npx';
    expect(lines(bad)).toEqual(['touchpoints[1].prompts[0]: unknown kind "npx". Fix: use one of "nps", "ces", "emotion"']);
  });

  it('reports a wrong field inside a prompt object at its own path', () => {
    const bad = structuredClone(valid);
    (bad.touchpoints[1]!.prompts[0] as Record<string, unknown>).scale = 6;
    expect(lines(bad)).toEqual([expect.stringMatching(/^touchpoints\[1\]\.prompts\[0\]\.scale: /)]);
  });

  it('reports unknown keys, missing keys, wrong types and ranges, one line each', () => {
    const out = lines({
      endpont: 'https://x.example',
      touchpoints: [{ prompts: ['nps'], sample: 2, on: { event: 5 } }],
      theme: { accent: 'red;} :host{x' },
    });
    expect(out).toEqual(
      expect.arrayContaining([
        'endpont: unknown key. Fix: remove it or check its spelling (keys are case-sensitive)',
        'touchpoints[0].id: is required. Fix: add a string',
        'touchpoints[0].sample: is 2. Fix: use at most 1',
        'touchpoints[0].on.event: expected string, got number. Fix: use a string',
        expect.stringMatching(/^theme\.accent: "red;} :host\{x" must be a hex colour/),
      ]),
    );
    expect(out).toHaveLength(5);
  });

  it('judges own keys only, on a page that added enumerable properties to Object.prototype', () => {
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true, writable: true });
    try {
      expect(validate(configSchema(), valid).ok).toBe(true);
      expect(lines({ touchpoints: [], extra: 1 })).toEqual([
        'extra: unknown key. Fix: remove it or check its spelling (keys are case-sensitive)',
      ]);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });

  it('refuses a config too large to be real, in bounded time', () => {
    expect(lines({ touchpoints: Array.from({ length: 20_000 }, () => ({ id: 'x', prompts: ['nps'] })) })).toEqual([
      '(root): holds more than 10000 values. Fix: split it or remove what is not needed',
    ]);
  });

  it('rejects duplicate touchpoint ids', () => {
    expect(
      lines({
        touchpoints: [
          { id: 'a', prompts: ['nps'] },
          { id: 'a', prompts: ['nps'] },
        ],
      }),
    ).toEqual(['touchpoints[1].id: duplicate id "a"']);
  });

  it('rejects a config that is not an object', () => {
    expect(lines('nope')).toEqual(['(root): expected object, got string. Fix: use an object']);
  });

  it('accepts https endpoints and http only on this machine', () => {
    expect(isSafeUrl('https://c.example/api')).toBe(true);
    expect(isSafeUrl('http://localhost:8080/api')).toBe(true);
    expect(isSafeUrl('http://127.0.0.1/api')).toBe(true);
    expect(isSafeUrl('http://c.example/api')).toBe(false);
    expect(isSafeUrl('javascript:alert(1)')).toBe(false);
    expect(lines({ endpoint: 'http://evil.example/x', touchpoints: [] })).toEqual([
      'endpoint: must be an https URL (http only on localhost)',
    ]);
  });
});

describe('the config schema made for a config', () => {
  it('has only the parts its keys use, at each level, and the required ones', async () => {
    const pause = () => Promise.resolve();
    const schema = await configSchemaFor(
      {
        site: 'shop',
        touchpoints: [
          { id: 'a', prompts: ['nps'], on: { event: 'x' } },
          { id: 'b', stage: 'browse', prompts: [{ kind: 'ces', task: 'pay' }] },
        ],
      },
      pause,
    );
    expect(Object.keys(schema.def.shape)).toEqual(['site', 'touchpoints']);
    const touchpoint = schema.def.shape.touchpoints.def.element;
    expect(Object.keys(touchpoint.def.shape)).toEqual(['id', 'stage', 'prompts', 'on']);
    expect(Object.keys(touchpoint.def.shape.on.def.innerType.def.shape)).toEqual(['event']);
    const promptObject = touchpoint.def.shape.prompts.def.element.def.options[1];
    expect(Object.keys(promptObject.def.shape)).toEqual(['kind', 'task']);
    expect(Object.keys((await configSchemaFor('not a config', pause)).def.shape)).toEqual(['touchpoints']);
  });
});
