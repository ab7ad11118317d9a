import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config';
import { validate } from '../../src/validate';
import { readmeBlocks, readmeTableKeys } from '../readme';

const read = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8'));
const schema = read('../../dist/moodpoint.schema.json');
const check = new Ajv2020({ allErrors: true }).compile(schema);

/** ajv's JSON Pointer as the runtime writes a path: `touchpoints[0].on.delay`. */
function runtimePath(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = error.params.additionalProperty ?? error.params.missingProperty;
  if (key !== undefined) segments.push(key);
  return segments.reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out ? `${out}.${s}` : s), '');
}

/**
 * The places the schema rejects. An `anyOf` reports every branch, so only the deepest paths
 * count: the runtime, too, reports the branch that got furthest.
 */
function schemaPaths(config: unknown): string[] {
  if (check(config)) return [];
  const paths = [...new Set((check.errors ?? []).map(runtimePath))];
  return paths.filter((p) => !paths.some((q) => q !== p && (q.startsWith(`${p}.`) || q.startsWith(`${p}[`)))).sort();
}

function runtimePaths(config: unknown): string[] {
  const result = validate(configSchema(), config);
  return result.ok ? [] : [...new Set(result.problems.map((p) => p.path))].sort();
}

const BIN = fileURLToPath(new URL('../../bin/moodpoint.mjs', import.meta.url));
async function cli(config: unknown): Promise<{ code: number; lines: string[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'mp-schema-')), 'moodpoint.json');
  writeFileSync(file, JSON.stringify(config));
  const done = await promisify(execFile)(process.execPath, [BIN, 'validate', file], { cwd: join(file, '..') }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
  return {
    code: done.code,
    lines: done.out
      .trim()
      .split('\n')
      .map((l) => l.replace(`${file}:`, 'moodpoint.json:')),
  };
}

/** README's config examples (```json blocks with touchpoints), each with the ```console block that follows it, if any. */
const examples = readmeBlocks().flatMap((block, i, all) => {
  if (block.lang !== 'json') return [];
  const config = JSON.parse(block.code);
  if (!('touchpoints' in config)) return [];
  const next = all[i + 1];
  const output =
    next?.lang === 'console' && next.code.startsWith('$ npx moodpoint validate') ? next.code.trim().split('\n').slice(1) : undefined;
  return [{ name: `${block.heading} #${i}`, config, output }];
});

describe("README's config examples", () => {
  it('are found, valid ones and an invalid one', () => {
    expect(examples.filter((e) => !e.output).length).toBeGreaterThanOrEqual(1);
    expect(examples.filter((e) => e.output).length).toBeGreaterThanOrEqual(1);
  });

  it.each(examples.filter((e) => !e.output))('$name is accepted by the widget, the CLI and the JSON Schema', async ({ config }) => {
    expect(runtimePaths(config)).toEqual([]);
    expect(schemaPaths(config)).toEqual([]);
    expect((await cli(config)).code).toBe(0);
  });

  it.each(examples.filter((e) => e.output))(
    '$name is rejected at the same paths by all three, as README shows',
    async ({ config, output }) => {
      const expected = runtimePaths(config);
      expect(expected.length).toBeGreaterThan(0);
      expect(schemaPaths(config)).toEqual(expected);
      expect(await cli(config)).toEqual({ code: 1, lines: output });
    },
  );
});

describe('the JSON Schema and the runtime', () => {
  it.each([
    ['demo/shop/moodpoint.json', read('../../demo/shop/moodpoint.json')],
    ['demo/recipes/moodpoint.json', read('../../demo/recipes/moodpoint.json')],
  ])('both accept %s', (_name, config) => {
    expect(runtimePaths(config)).toEqual([]);
    expect(schemaPaths(config)).toEqual([]);
  });

  const tp = (over: Record<string, unknown>) => ({ touchpoints: [{ id: 'checkout', prompts: ['nps'], ...over }] });
  it.each<[string, unknown, string[]]>([
    ['touchpoints missing', {}, ['touchpoints']],
    ['an unknown top-level key', { Endpoint: 'https://x.example', touchpoints: [] }, ['Endpoint']],
    ['prompts missing', { touchpoints: [{ id: 'a' }] }, ['touchpoints[0].prompts']],
    ['no prompts', tp({ prompts: [] }), ['touchpoints[0].prompts']],
    ['four prompts', tp({ prompts: ['nps', 'ces', 'emotion', 'nps'] }), ['touchpoints[0].prompts']],
    ['an unknown kind in an object', tp({ prompts: [{ kind: 'csat' }] }), ['touchpoints[0].prompts[0].kind']],
    ['a 9-point CES scale', tp({ prompts: [{ kind: 'ces', scale: 9 }] }), ['touchpoints[0].prompts[0].scale']],
    ['an unknown emotion word', tp({ prompts: [{ kind: 'emotion', emotions: ['bored'] }] }), ['touchpoints[0].prompts[0].emotions[0]']],
    [
      'a follow-up band that is not text',
      tp({ prompts: [{ kind: 'nps', followUp: { detractor: 3 } }] }),
      ['touchpoints[0].prompts[0].followUp.detractor'],
    ],
    ['sample above 1', tp({ sample: 2 }), ['touchpoints[0].sample']],
    ['a fractional delay', tp({ on: { event: 'x', delayMs: 1.5 } }), ['touchpoints[0].on.delayMs']],
    ['a CSS injection in a colour', { theme: { accent: 'red;} :host{' }, touchpoints: [] }, ['theme.accent']],
    ['an unknown theme mode', { theme: { mode: 'dim' }, touchpoints: [] }, ['theme.mode']],
    ['a string where a number goes', { throttle: { maxPerSession: '1' }, touchpoints: [] }, ['throttle.maxPerSession']],
    ['an unknown content type', { contentType: 'text/json', touchpoints: [] }, ['contentType']],
    ['one label', tp({ prompts: [{ kind: 'nps', labels: ['Never'] }] }), ['touchpoints[0].prompts[0].labels']],
    ['three labels', tp({ prompts: [{ kind: 'nps', labels: ['Never', 'Maybe', 'Always'] }] }), ['touchpoints[0].prompts[0].labels']],
  ])('both reject %s at the same path', (_name, config, paths) => {
    expect(runtimePaths(config)).toEqual(paths);
    expect(schemaPaths(config)).toEqual(paths);
  });

  // What a JSON Schema made from zod cannot say: refinements. README lists
  // these under Limits; if one starts failing, the schema got stricter: move it to the list above.
  it.each<[string, unknown, string]>([
    ['an http endpoint off localhost', { endpoint: 'http://collector.example.com', touchpoints: [] }, 'endpoint'],
    ['an http localeUrl off localhost', { localeUrl: 'http://cdn.example.com/locales/', touchpoints: [] }, 'localeUrl'],
    [
      'duplicate touchpoint ids',
      {
        touchpoints: [
          { id: 'a', prompts: ['nps'] },
          { id: 'a', prompts: ['ces'] },
        ],
      },
      'touchpoints[1].id',
    ],
    ['inline without a target', { theme: { position: 'inline' }, touchpoints: [] }, 'theme.target'],
  ])('only the runtime rejects %s', (_name, config, path) => {
    expect(runtimePaths(config)).toEqual([path]);
    expect(schemaPaths(config)).toEqual([]);
  });
});

describe("README's config reference", () => {
  const keys = (s: { properties: Record<string, unknown> }) => Object.keys(s.properties).sort();
  const touchpoint = schema.properties.touchpoints.items;
  const prompt = touchpoint.properties.prompts.items.anyOf.find((s: { type: string }) => s.type === 'object');

  it('lists every key of the schema, and no other', () => {
    expect(readmeTableKeys('Top-level keys').map((t) => t.sort())).toEqual([keys(schema)]);
    expect(readmeTableKeys('Touchpoints').map((t) => t.sort())).toEqual([keys(touchpoint)]);
    expect(readmeTableKeys('Prompts').map((t) => t.sort())).toEqual([keys(prompt)]);
    expect(readmeTableKeys('Triggers (`on`) and eligibility').map((t) => t.sort())).toEqual([
      keys(touchpoint.properties.on),
      keys(schema.properties.throttle),
      keys(schema.properties.outbox),
    ]);
    expect(readmeTableKeys('Theme and position').map((t) => t.sort())).toEqual([keys(schema.properties.theme)]);
  });
});
