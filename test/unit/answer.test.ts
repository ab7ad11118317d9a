import { describe, expect, it } from 'vitest';
import { answerSchema, batchSchema, impressionSchema, newAnswer, withDetail } from '../../src/answer';
import { validate } from '../../src/validate';
import { makeAnswer } from '../answers';

const problems = (input: unknown) => {
  const r = validate(answerSchema(), input);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('answer schema', () => {
  it('caps context at 20 keys, the same cap the widget applies', () => {
    const context = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(problems(makeAnswer({ context: context(20) }))).toEqual([]);
    expect(problems(makeAnswer({ context: context(21) }))).toEqual(['context: has more than 20 keys']);
  });

  it('takes ids as UUIDs and times as UTC ISO times, and nothing that only looks like one', () => {
    for (const id of ['0b8f6c1e-5a3e-4c53-9d0e-2a1f4f0f9a11', '00000000-0000-0000-0000-000000000000', crypto.randomUUID()])
      expect(problems(makeAnswer({ id }))).toEqual([]);
    for (const id of ['not-a-uuid', '0b8f6c1e-5a3e-9c53-9d0e-2a1f4f0f9a11', '0b8f6c1e-5a3e-4c53-7d0e-2a1f4f0f9a11'])
      expect(problems(makeAnswer({ id }))).toEqual([`id: "${id.slice(0, 40)}${id.length > 40 ? '…' : ''}" is not a UUID`]);
    for (const answeredAt of ['2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00Z', '2026-11-22T10:00Z', '2024-02-29T23:59:59.123456Z'])
      expect(problems(makeAnswer({ answeredAt }))).toEqual([]);
    expect(problems(makeAnswer({ answeredAt: '2026-11-22T10:00:00+01:00' }))).toEqual([
      'answeredAt: "2026-11-22T10:00:00+01:00" is not a UTC time such as "2026-11-22T10:00:00.000Z"',
    ]);
    for (const answeredAt of ['2026-02-29T10:00:00Z', '2026-11-31T10:00:00Z', '2026-11-22T24:00:00Z'])
      expect(problems(makeAnswer({ answeredAt }))).toEqual(['answeredAt: is not a real date and time']);
    expect(problems(makeAnswer({ answeredAt: 'yesterday' }))).toEqual([
      'answeredAt: "yesterday" is not a UTC time such as "2026-11-22T10:00:00.000Z"',
      'answeredAt: is not a real date and time',
    ]);
  });

  it('a batch holds answers or impressions, at least one', () => {
    const impression = { id: crypto.randomUUID(), responseId: 'r', touchpoint: 't', event: 'shown', at: new Date().toISOString(), v: 1 };
    expect(validate(impressionSchema(), impression).ok).toBe(true);
    expect(validate(batchSchema(), { impressions: [impression] }).ok).toBe(true);
    expect(validate(batchSchema(), { answers: [makeAnswer()] }).ok).toBe(true);
    const empty = validate(batchSchema(), { answers: [] });
    expect(empty.ok ? [] : empty.problems.map((p) => p.path)).toEqual(['answers']);
  });
});

describe('answer records', () => {
  const showing = { responseId: 'r1', touchpoint: 'checkout', stage: 'purchase', locale: 'en', url: 'https://shop.example/thanks' };

  it('newAnswer makes a valid scored answer with its own id', () => {
    const a = newAnswer(showing, 'nps', 9, new Date('2026-11-22T10:00:00Z'));
    expect(a).toMatchObject({ ...showing, kind: 'nps', score: 9, emotions: [], answeredAt: '2026-11-22T10:00:00.000Z', v: 1 });
    expect(problems(a)).toEqual([]);
    expect(newAnswer(showing, 'nps', 9).id).not.toBe(a.id);
  });

  it('withDetail merges into an unsent answer, and makes a comment record of the same showing once it was sent', () => {
    const scored = newAnswer(showing, 'nps', 3);
    expect(withDetail(scored, { comment: 'Slow' }, false)).toEqual({ ...scored, comment: 'Slow' });
    expect(withDetail(scored, { emotions: ['stressed'] }, true)).toEqual({ ...scored, emotions: ['stressed'] });
    const later = withDetail(scored, { comment: 'Slow' }, true);
    expect(later).toMatchObject({ responseId: 'r1', kind: 'comment', comment: 'Slow', emotions: [] });
    expect(later.id).not.toBe(scored.id);
    expect(later).not.toHaveProperty('score', 3);
    expect(problems(later)).toEqual([]);
  });
});
