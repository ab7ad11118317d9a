import { describe, expect, it, vi } from 'vitest';
import { EMOTION_GROUPS, EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS, POSITIVE_GROUPS, type Emotion } from '../../src/emotions';
import { en } from '../../src/locales/en';
import { offerWords, resolveStep } from '../../src/steps';
import { seededRandom } from '../random';

const isPositive = (w: Emotion) => (POSITIVE_EMOTIONS as readonly Emotion[]).includes(w);
const groupOf = (w: Emotion) => POSITIVE_GROUPS.find((g) => (EMOTION_GROUPS[g] as readonly Emotion[]).includes(w));

describe("Shaw's groups", () => {
  it('split the 20 words into attention, recommendation, advocacy and destroying', () => {
    expect(EMOTION_GROUPS.advocacy).toEqual(['happy', 'pleased']);
    expect(EMOTION_GROUPS.destroying).toBe(NEGATIVE_EMOTIONS);
    const all = Object.values(EMOTION_GROUPS).flat();
    expect(all).toHaveLength(20);
    expect([...all].sort()).toEqual([...EMOTIONS].sort());
  });
});

describe('offerWords', () => {
  it('offers four positive words, one or more from each positive group, and four negative, the score side first', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const score = (seed % 10) + 1;
      const { first } = offerWords(score, EMOTIONS, seededRandom(seed));
      expect(new Set(first).size).toBe(8);
      const [own, other] = [first.slice(0, 4), first.slice(4)];
      const positive = score >= 6 ? own : other;
      expect(positive.every(isPositive), `seed ${seed}`).toBe(true);
      expect((score >= 6 ? other : own).some(isPositive), `seed ${seed}`).toBe(false);
      expect(new Set(positive.map(groupOf)), `seed ${seed}`).toEqual(new Set(POSITIVE_GROUPS));
    }
  });

  it('draws the same words in the same order from the same seed, and varies them across seeds', () => {
    expect(offerWords(8, EMOTIONS, seededRandom(42))).toEqual(offerWords(8, EMOTIONS, seededRandom(42)));
    const orders = new Set<string>();
    const leading = new Set<Emotion>();
    for (let seed = 1; seed <= 100; seed++) {
      const { first } = offerWords(8, EMOTIONS, seededRandom(seed));
      orders.add(first.join());
      leading.add(first[0]!);
    }
    expect(orders.size).toBe(100);
    // every positive word gets to lead the list
    expect([...leading].sort()).toEqual([...POSITIVE_EMOTIONS].sort());
  });

  it('offers each word as often as the rule says: advocacy 5/9, the other positive words 13/45, negative 1/2', () => {
    // advocacy has 2 words for its guaranteed place (½) and a 1/9 share of the fourth place: ½ + ½ × 1/9
    // attention and recommendation: 1/5 + 4/5 × 1/9 = 13/45; negative: 4 of 8
    const random = seededRandom(7);
    const offered = new Map<Emotion, number>();
    const runs = 9000;
    for (let i = 0; i < runs; i++) for (const w of offerWords(9, EMOTIONS, random).first) offered.set(w, (offered.get(w) ?? 0) + 1);
    // within 0.02, four standard errors of a share over 9000 showings
    const near = (w: Emotion, expected: number) => expect(Math.abs(offered.get(w)! / runs - expected), w).toBeLessThan(0.02);
    for (const w of EMOTION_GROUPS.advocacy) near(w, 5 / 9);
    for (const w of [...EMOTION_GROUPS.attention, ...EMOTION_GROUPS.recommendation]) near(w, 13 / 45);
    for (const w of NEGATIVE_EMOTIONS) near(w, 1 / 2);
  });

  it('keeps every pool word in `all`, once, the offered ones first, and lists the offered keys', () => {
    const r = offerWords(3, EMOTIONS, seededRandom(3));
    expect(r.all).toHaveLength(20);
    expect(new Set(r.all).size).toBe(20);
    expect(r.all.slice(0, 8)).toEqual(r.first);
    expect(r.offered).toEqual(EMOTIONS.filter((w) => r.first.includes(w)));
  });

  it('draws within a configured pool', () => {
    const pool: Emotion[] = ['stressed', 'happy', 'trusting', 'valued', 'safe', 'focused', 'hurried'];
    for (let seed = 1; seed <= 50; seed++) {
      const r = offerWords(9, pool, seededRandom(seed));
      expect(r.first.every((w) => pool.includes(w))).toBe(true);
      // five positive words, no attention word: happy always, three of the four recommendation words
      expect(r.first.slice(0, 4)).toContain('happy');
      expect(r.first.slice(0, 4).every(isPositive)).toBe(true);
      expect(new Set(r.first.slice(4))).toEqual(new Set(['stressed', 'hurried']));
      expect([...r.all].sort()).toEqual([...pool].sort());
    }
    // a pool smaller than the short list is offered whole, the score side first
    expect(offerWords(2, ['happy', 'stressed'], seededRandom(1))).toEqual({
      first: ['stressed', 'happy'],
      all: ['stressed', 'happy'],
      offered: ['stressed', 'happy'],
    });
  });

  it('gives a step the same offer every time it is asked, so a re-render does not reshuffle', () => {
    vi.spyOn(Math, 'random').mockImplementation(seededRandom(5));
    try {
      const showing = () => resolveStep('emotion', { id: 't', prompts: [] }, en, { touchpoints: [] });
      const step = showing();
      expect(step.words!.offer(9)).toBe(step.words!.offer(9));
      // each showing resolves its steps afresh, and draws afresh
      expect(showing().words!.offer(9).first).not.toEqual(step.words!.offer(9).first);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
