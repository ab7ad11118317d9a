import { describe, it, expect } from 'vitest';
import type { Answer } from '../../src/answer';
import { ces, compare, csat, nev, nps, type Interval } from '../../src/metrics';

/** Compares an interval bound by bound, to 3 decimals. */
function expectInterval(actual: Interval | null, lo: number, hi: number): void {
  expect(actual).not.toBeNull();
  expect(actual![0]).toBeCloseTo(lo, 3);
  expect(actual![1]).toBeCloseTo(hi, 3);
}

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);

describe('nps', () => {
  it('counts the groups and computes the score and its Wald interval', () => {
    // promoters 10,10,10,9,9 = 5; passives 8,7 = 2; detractors 6,2,0 = 3; n = 10
    const r = nps([10, 10, 10, 9, 9, 8, 7, 6, 2, 0]);
    expect(r).toMatchObject({ n: 10, promoters: 5, passives: 2, detractors: 3 });
    expect(r.score).toBeCloseTo(20, 6); // 100 × (5 − 3) / 10
    // p = .5, d = .3: SE = 100·√((.8 − .2²) / 10) = 100·√.076 = 27.5681
    expect(r.se).toBeCloseTo(27.5681, 3);
    expectInterval(r.ci95, -34.0335, 74.0335); // 20 ± 1.96 × 27.5681 = 20 ± 54.0335
  });

  it('clamps the interval to -100..100', () => {
    // 4 promoters, 1 detractor: score = 100 × 3 / 5 = 60; p = .8, d = .2
    // SE = 100·√((1 − .6²) / 5) = 100·√.128 = 35.7771; 60 ± 70.1231 → [−10.1231, 130.1231 → 100]
    const r = nps([10, 10, 10, 10, 0]);
    expect(r.score).toBeCloseTo(60, 6);
    expectInterval(r.ci95, -10.1231, 100);
  });

  it('collapses the interval to a point when every answer is in one group', () => {
    // p = 1, d = 0: SE = 100·√((1 − 1) / 3) = 0
    const r = nps([9, 10, 10]);
    expect(r.score).toBe(100);
    expect(r.ci95).toEqual([100, 100]);
  });

  it('returns null statistics for no answers, and no interval for one answer', () => {
    expect(nps([])).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, score: null, se: null, ci95: null });
    expect(JSON.stringify(nps([]))).toContain('"score":null');
    expect(nps([0])).toMatchObject({ n: 1, detractors: 1, score: -100, se: null, ci95: null });
  });

  it('rejects scores that are out of range or not integers, naming index and value', () => {
    expect(() => nps([0, 5, 10, 11])).toThrow(new RangeError('nps: scores[3] is 11, expected an integer 0..10'));
    expect(() => nps([-1])).toThrow(RangeError);
    expect(() => nps([-1])).toThrow('nps: scores[0] is -1, expected an integer 0..10');
    expect(() => nps([7.5])).toThrow('nps: scores[0] is 7.5, expected an integer 0..10');
    expect(() => nps([3, Number.NaN])).toThrow('nps: scores[1] is NaN, expected an integer 0..10');
    expect(() => nps(['9'] as unknown as number[])).toThrow('nps: scores[0] is "9", expected an integer 0..10');
  });
});

describe('ces', () => {
  it('computes the mean with a t interval and the agree share with a Wilson interval', () => {
    // mean = 25 / 5 = 5; squared deviations 4+1+0+1+4 = 10, sd² = 10 / 4 = 2.5
    // SE = √(2.5 / 5) = .7071; t(df 4) = 2.776; 5 ± 1.9629
    const r = ces([7, 6, 5, 4, 3]);
    expect(r.n).toBe(5);
    expect(r.mean).toBeCloseTo(5, 6);
    expect(r.se).toBeCloseTo(0.7071, 4);
    expectInterval(r.ci95, 3.0371, 6.9629);
    expect(r.agreePct).toBeCloseTo(60, 6); // 7, 6, 5 agree: 3 / 5
    // Wilson, p = .6, n = 5, z² = 3.8416: centre = (.6 + .38416) / 1.76832 = .55655,
    // half = (1.96 / 1.76832)·√(.048 + .038416) = .32583 → [23.072, 88.238] %
    expectInterval(r.agreeCi95, 23.072, 88.238);
  });

  it('clamps the mean interval to the scale', () => {
    // mean = 27 / 4 = 6.75; squared deviations 3 × .0625 + .5625 = .75, sd² = .25
    // SE = √(.25 / 4) = .25; t(df 3) = 3.182; 6.75 ± .7955 → [5.9545, 7.5455 → 7]
    expectInterval(ces([7, 7, 7, 6]).ci95, 5.9545, 7);
  });

  it('goes past the t table with a Cornish-Fisher term, not a bare 1.96', () => {
    // 16 × 7 and 16 × 1: mean 4, sd² = 32 × 9 / 31 = 9.2903, SE = √(9.2903 / 32) = .53882
    // t(df 31) ≈ 1.96 + (1.96³ + 1.96) / (4 × 31) = 2.03653; 4 ± 1.09731
    expectInterval(ces([...repeat(7, 16), ...repeat(1, 16)]).ci95, 2.90269, 5.09731);
  });

  it('agrees from 4 on a 5-point scale', () => {
    const r = ces([5, 4, 3, 2], 5);
    expect(r.mean).toBeCloseTo(3.5, 6); // 14 / 4
    expect(r.agreePct).toBeCloseTo(50, 6); // 5, 4 agree: 2 / 4
  });

  it('returns null statistics for no answers, and no t interval for one answer', () => {
    expect(ces([])).toEqual({ n: 0, mean: null, se: null, ci95: null, agreePct: null, agreeCi95: null });
    const one = ces([4]);
    expect(one).toMatchObject({ n: 1, mean: 4, se: null, ci95: null, agreePct: 0 });
    // Wilson needs no spread estimate: p = 0, n = 1: centre = half = 1.9208 / 4.8416 = .39673 → [0, 79.346] %
    expectInterval(one.agreeCi95, 0, 79.346);
  });

  it('rejects scores outside 1..scale and unknown scales', () => {
    expect(() => ces([7, 0])).toThrow(new RangeError('ces: scores[1] is 0, expected an integer 1..7'));
    expect(() => ces([5, 6], 5)).toThrow('ces: scores[1] is 6, expected an integer 1..5');
    expect(() => ces([5], 6 as 7)).toThrow(new RangeError('ces: scale is 6, expected 5 or 7'));
  });
});

describe('csat', () => {
  it('computes the mean and the top-two-box share', () => {
    // mean = 17 / 5 = 3.4; squared deviations 2.56+.36+.36+.16+5.76 = 9.2, sd² = 2.3
    // SE = √(2.3 / 5) = .67823; t(df 4) = 2.776; 3.4 ± 1.88278 → [1.51723, 5.28278 → 5]
    const r = csat([5, 4, 4, 3, 1]);
    expect(r.mean).toBeCloseTo(3.4, 6);
    expectInterval(r.ci95, 1.51723, 5);
    expect(r.satisfiedPct).toBeCloseTo(60, 6); // 5, 4, 4 satisfied: 3 / 5
    expectInterval(r.satisfiedCi95, 23.072, 88.238); // Wilson, 3 of 5 (as for ces above)
  });

  it('uses the top two boxes of a longer scale', () => {
    expect(csat([7, 6, 5, 1], 7).satisfiedPct).toBeCloseTo(50, 6); // 7, 6 satisfied: 2 / 4
  });

  it('returns null statistics for no answers, and no t interval for one answer', () => {
    expect(csat([])).toMatchObject({ n: 0, mean: null, ci95: null, satisfiedPct: null, satisfiedCi95: null });
    // Wilson, p = 1, n = 1: centre = 2.9208 / 4.8416 = .60327, half = .39673 → [20.654, 100] %
    const one = csat([5]);
    expect(one).toMatchObject({ n: 1, mean: 5, ci95: null, satisfiedPct: 100 });
    expectInterval(one.satisfiedCi95, 20.654, 100);
  });

  it('rejects scores outside 1..scale and scales whose top two boxes include the midpoint', () => {
    expect(() => csat([5, 4, 3, 2, 0])).toThrow(new RangeError('csat: scores[4] is 0, expected an integer 1..5'));
    expect(() => csat([3], 3)).toThrow(new RangeError('csat: scale is 3, expected an integer 4..10'));
  });
});

describe('nev', () => {
  it('takes the valence from the words when an answer has words', () => {
    // valences: (2 − 0) / 2 = 1; (0 − 1) / 1 = −1; (1 − 2) / 3 = −1/3
    // NEV = 100 × (1 − 1 − 1/3) / 3 = −11.1111
    const r = nev([{ emotions: ['happy', 'valued'] }, { emotions: ['stressed'] }, { emotions: ['happy', 'stressed', 'hurried'] }]);
    expect(r.n).toBe(3);
    expect(r.score).toBeCloseTo(-11.1111, 3);
    expect(r.positive).toBeCloseTo(1 / 3, 6);
    expect(r.negative).toBeCloseTo(2 / 3, 6);
    // 100·valences 100, −100, −33.33: sd² = 20740.74 / 2, SE = √(10370.37 / 3) = 58.7945
    // t(df 2) = 4.303: −11.11 ± 252.99 → clamped to [−100, 100]
    expect(r.se).toBeCloseTo(58.7945, 3);
    expect(r.ci95).toEqual([-100, 100]);
    // happy 2, stressed 2, hurried 1, valued 1: ties alphabetical
    expect(r.topWords).toEqual([
      { word: 'happy', count: 2 },
      { word: 'stressed', count: 2 },
      { word: 'hurried', count: 1 },
      { word: 'valued', count: 1 },
    ]);
  });

  it('takes the valence from the feeling score when an answer has no words', () => {
    // 8..10 → +1, 5..7 → 0, 1..4 → −1: four +1, four 0, two −1
    const scores = [8, 9, 10, 10, 5, 6, 7, 7, 4, 1];
    const r = nev(scores.map((score) => ({ score })));
    expect(r.score).toBeCloseTo(20, 6); // 100 × (4 − 2) / 10
    expect(r.positive).toBeCloseTo(0.4, 6);
    expect(r.negative).toBeCloseTo(0.2, 6);
    // squared deviations of 100·valence: 4 × 80² + 4 × 20² + 2 × 120² = 56000; sd² = 56000 / 9
    // SE = √(56000 / 90) = 24.9444; t(df 9) = 2.262: 20 ± 56.4242
    expect(r.se).toBeCloseTo(24.9444, 3);
    expectInterval(r.ci95, -36.4242, 76.4242);
    expect(r.topWords).toEqual([]);
  });

  it('mixes answers with and without words; words win over the feeling score', () => {
    const r = nev([
      { score: 9, emotions: ['happy'] }, // +1
      { score: 9, emotions: ['frustrated'] }, // −1: the words, not the high score
      { score: 2 }, // −1
      { score: 6 }, // 0
      { score: 8, emotions: [] }, // +1: no words chosen, so the score
      { emotions: ['pleased', 'valued', 'irritated'] }, // (2 − 1) / 3 = 1/3
    ]);
    expect(r.score).toBeCloseTo(5.5556, 3); // 100 × (1/3) / 6 = 100 / 18
    expect(r.positive).toBeCloseTo(0.5, 6); // 3 of 6
    expect(r.negative).toBeCloseTo(1 / 3, 6); // 2 of 6
    // squared deviations of 100·valence from 5.5556 sum to 40925.93; SE = √(40925.93 / 5 / 6) = 36.9350
    // t(df 5) = 2.571: 5.5556 ± 94.9600 → [−89.4044, 100.5156 → 100]
    expectInterval(r.ci95, -89.4044, 100);
    // five words chosen once each: alphabetical
    expect(r.topWords.map((w) => w.word)).toEqual(['frustrated', 'happy', 'irritated', 'pleased', 'valued']);
  });

  it('keeps at most five top words, most chosen first, ties alphabetical', () => {
    const r = nev([
      { emotions: ['safe', 'happy', 'trusting'] },
      { emotions: ['happy', 'safe'] },
      { emotions: ['valued', 'irritated'] },
      { emotions: ['energetic'] },
    ]);
    // happy 2, safe 2, then energetic, irritated, trusting, valued at 1: valued is sixth
    expect(r.topWords).toEqual([
      { word: 'happy', count: 2 },
      { word: 'safe', count: 2 },
      { word: 'energetic', count: 1 },
      { word: 'irritated', count: 1 },
      { word: 'trusting', count: 1 },
    ]);
  });

  it('accepts stored answers as they are', () => {
    const stored: Answer = {
      id: '0b8f6c1e-5a3e-4c53-9d0e-2a1f4f0f9a11',
      responseId: 'r1',
      touchpoint: 'checkout_complete',
      kind: 'emotion',
      score: 3,
      emotions: ['cared_for'],
      answeredAt: '2026-11-22T10:00:00.000Z',
      v: 1,
    };
    expect(nev([stored]).score).toBe(100); // (1 − 0) / 1, the score 3 is not used
  });

  it('returns null statistics for no answers, and no interval for one answer', () => {
    expect(nev([])).toEqual({
      n: 0,
      score: null,
      se: null,
      ci95: null,
      positive: null,
      negative: null,
      topWords: [],
    });
    expect(nev([{ score: 9 }])).toMatchObject({ n: 1, score: 100, se: null, ci95: null, positive: 1, negative: 0 });
  });

  it('rejects bad feeling scores, unknown or repeated words, and answers with neither', () => {
    expect(() => nev([{ score: 5 }, { score: 11 }])).toThrow(new RangeError('nev: answers[1].score is 11, expected an integer 1..10'));
    expect(() => nev([{ score: 0 }])).toThrow('nev: answers[0].score is 0, expected an integer 1..10');
    // the score is checked even where words decide the valence
    expect(() => nev([{ score: 12, emotions: ['happy'] }])).toThrow('nev: answers[0].score is 12');
    expect(() => nev([{ score: 5 }, { emotions: ['happy', 'angry'] }])).toThrow(
      new RangeError('nev: answers[1].emotions[1] is "angry", expected one of the 20 NEV word keys'),
    );
    // keys use `_`, whatever the display language
    expect(() => nev([{ emotions: ['cared for'] }])).toThrow('nev: answers[0].emotions[0] is "cared for"');
    expect(() => nev([{ emotions: ['happy', 'happy'] }])).toThrow(
      new RangeError('nev: answers[0].emotions[1] is "happy" again, expected each word at most once'),
    );
    expect(() => nev([{ score: 5 }, {}])).toThrow(new RangeError('nev: answers[1] has neither a feeling score nor emotion words'));
  });
});

describe('compare', () => {
  it('finds a clear NPS improvement whose interval excludes zero', () => {
    // before: 10 promoters, 20 passives, 20 detractors: score = 100 × (10 − 20) / 50 = −20
    //   SE = 100·√((.2 + .4 − .2²) / 50) = 100·√.0112 = 10.5830
    // after: 30 promoters, 15 passives, 5 detractors: score = 100 × (30 − 5) / 50 = 50
    //   SE = 100·√((.6 + .1 − .5²) / 50) = 100·√.009 = 9.4868
    const before = [...repeat(10, 10), ...repeat(8, 20), ...repeat(3, 20)];
    const after = [...repeat(9, 30), ...repeat(7, 15), ...repeat(0, 5)];
    const r = compare(before, after, 'nps');
    expect(r.before.score).toBeCloseTo(-20, 6);
    expect(r.after.score).toBeCloseTo(50, 6);
    expect(r.delta).toBeCloseTo(70, 6);
    // 70 ± 1.96·√(10.5830² + 9.4868²) = 70 ± 1.96 × 14.2127 = 70 ± 27.8568
    expectInterval(r.ci95, 42.1432, 97.8568);
    expect(r.excludesZero).toBe(true);
  });

  it('finds no change when the samples agree, with an interval that includes zero', () => {
    const same = [10, 10, 10, 9, 9, 8, 7, 6, 2, 0]; // score 20, SE 27.5681 (see nps above)
    const r = compare(same, [...same].reverse(), 'nps');
    expect(r.delta).toBeCloseTo(0, 6);
    expectInterval(r.ci95, -76.4149, 76.4149); // 0 ± 1.96 × 27.5681 × √2
    expect(r.excludesZero).toBe(false);
  });

  it('compares CES means', () => {
    // before mean 16 / 8 = 2, after mean 48 / 8 = 6; each: squared deviations 4, sd² = 4 / 7
    // SE = √(4 / 7 / 8) = .26726; 4 ± 1.96 × .26726 × √2 = 4 ± .74081
    const r = compare([1, 2, 3, 2, 1, 2, 3, 2], [6, 7, 6, 5, 6, 7, 6, 5], 'ces');
    expect(r.delta).toBeCloseTo(4, 6);
    expectInterval(r.ci95, 3.25919, 4.74081);
    expect(r.excludesZero).toBe(true);
    expect(() => compare([5], [6], 'ces', 5)).toThrow('ces: scores[0] is 6, expected an integer 1..5');
  });

  it('compares CSAT means on the given scale', () => {
    const r = compare([4, 5, 3, 4], [5, 4, 4, 3], 'csat'); // both means 16 / 4 = 4
    expect(r.delta).toBeCloseTo(0, 6);
    expect(r.excludesZero).toBe(false);
    expect(compare([6, 7], [7, 7], 'csat', 7).delta).toBeCloseTo(0.5, 6); // 7 − 6.5
  });

  it('compares NEV of answers', () => {
    // before: −1, −1, 0 → −66.667; after: words (+1), score 9 (+1), score 5 (0) → 66.667
    // each: 100·valence squared deviations 2 × 33.33² + 66.67² = 6666.67, sd² = 3333.33
    // SE = √(3333.33 / 3) = 33.333; 133.333 ± 1.96 × 33.333 × √2 = 133.333 ± 92.395
    const r = compare([{ score: 2 }, { score: 3 }, { score: 6 }], [{ emotions: ['happy'] }, { score: 9 }, { score: 5 }], 'nev');
    expect(r.before.score).toBeCloseTo(-66.6667, 3);
    expect(r.delta).toBeCloseTo(133.3333, 3);
    expectInterval(r.ci95, 40.938, 225.7286);
    expect(r.excludesZero).toBe(true);
  });

  it('gives no interval while a side has fewer than two answers', () => {
    expect(compare([9], [10], 'nps')).toMatchObject({ delta: 0, ci95: null, excludesZero: false });
    expect(compare([], [10, 9], 'nps')).toMatchObject({ delta: null, ci95: null, excludesZero: false });
  });

  it('rejects an unknown metric', () => {
    expect(() => compare([1], [1], 'mood' as 'nps')).toThrow(new RangeError('compare: metric is "mood", expected nps, ces, csat or nev'));
  });
});
