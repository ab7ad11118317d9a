import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/locales/en';

const LOCALES = ['de', 'fr', 'es', 'hu', 'ru', 'hy', 'zh', 'ar'] as const;

/**
 * Keys whose translation may legitimately be spelled exactly like the English value, per locale.
 * Keep this empty unless a reviewer agrees the identical spelling is the correct word.
 */
const SAME_AS_ENGLISH: Partial<Record<(typeof LOCALES)[number], string[]>> = {};

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// A path, not `new URL(...)`: under happy-dom the global URL is not node's.
const dir = join(dirname(fileURLToPath(import.meta.url)), '../../src/locales');

const load = (locale: string) => {
  const buf = readFileSync(join(dir, `${locale}.json`));
  return { buf, strings: JSON.parse(buf.toString('utf8')) as Record<string, unknown> };
};

describe.each(LOCALES)('locale %s', (locale) => {
  const { buf, strings } = load(locale);

  it('has exactly the keys of en, every value a non-empty trimmed string', () => {
    expect(Object.keys(strings).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(strings)) {
      expect(typeof value, key).toBe('string');
      expect((value as string).trim(), key).toBe(value);
      expect((value as string).length, key).toBeGreaterThan(0);
    }
  });

  it('keeps every placeholder of the English value, and adds none', () => {
    for (const [key, english] of Object.entries(en)) {
      expect(placeholders(strings[key] as string), key).toEqual(placeholders(english));
    }
  });

  it('has 7 and 5 non-empty agreement labels', () => {
    const seven = (strings.ces7 as string).split('|');
    const five = (strings.ces5 as string).split('|');
    expect(seven).toHaveLength(7);
    expect(five).toHaveLength(5);
    for (const label of [...seven, ...five]) expect(label.trim()).not.toBe('');
    // the 5-point ends are the 7-point ends
    expect([five[0], five[4]]).toEqual([seven[0], seven[6]]);
  });

  it('leaves no value in English', () => {
    const allowed = new Set(SAME_AS_ENGLISH[locale] ?? []);
    const same = Object.entries(en)
      .filter(([key, english]) => strings[key] === english && !allowed.has(key))
      .map(([key]) => key);
    expect(same).toEqual([]);
  });

  it('reads as a sentence with its own default brand and task filled in', () => {
    const fill = (t: string) => t.replace(/\{(brand|task)\}/g, (_, k: string) => strings[k] as string);
    for (const key of ['nps', 'ces'] as const) {
      const sentence = fill(strings[key] as string);
      expect(sentence, key).not.toMatch(/[{}]/);
      // a fallback such as "uns" or "notre entreprise" must not land lower-case at the start
      const first = sentence.charAt(0);
      expect(first === first.toLowerCase() && first !== first.toUpperCase(), `${key}: ${sentence}`).toBe(false);
    }
  });

  it('gzips to at most 1000 bytes', () => {
    expect(gzipSync(buf, { level: 9 }).length).toBeLessThanOrEqual(1000);
  });
});

describe('script', () => {
  it('every Arabic string is written in Arabic script', () => {
    const { strings } = load('ar');
    for (const [key, value] of Object.entries(strings)) {
      expect(value as string, key).toMatch(/[\u0600-\u06FF]/);
      expect((value as string).replace(/\{\w+\}/g, ''), key).not.toMatch(/[A-Za-z]/);
    }
  });

  it.each([
    ['ru', /[\u0400-\u04FF]/],
    ['hy', /[\u0530-\u058F]/],
    ['zh', /[\u4E00-\u9FFF]/],
  ] as const)('every %s string is written in its script', (locale, script) => {
    const { strings } = load(locale);
    for (const [key, value] of Object.entries(strings)) {
      if (key === 'progress' && locale !== 'zh') continue; // may be just "{n}/{total}"
      expect(value as string, key).toMatch(script);
      expect((value as string).replace(/\{\w+\}/g, ''), key).not.toMatch(/[A-Za-z]/);
    }
  });

  it('emotion chips stay short', () => {
    const words = Object.keys(en).slice(Object.keys(en).indexOf('irritated'));
    expect(words).toHaveLength(20);
    for (const locale of LOCALES) {
      const { strings } = load(locale);
      for (const key of words) expect((strings[key] as string).length, `${locale}.${key}`).toBeLessThanOrEqual(16);
    }
  });
});
