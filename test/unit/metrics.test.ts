import { describe, it, expect } from 'vitest';
import type { Answer } from '../../src/answer';
import { MIN_ANSWERS, ces, compare, csat, nev, nps, responseRate, type Interval } from '../../src/metrics';

/** Compares an interval bound by bound, to 3 decimals. */
function expectInterval(actual: Interval | null, lo: number, hi: number): void {
  expect(actual).not.toBeNull();
  expect(actual![0]).toBeCloseTo(lo, 3);
  expect(actual![1]).toBeCloseTo(hi, 3);
}

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);

// Adjusted Wald (NPS, NEV): P̃ = (P + ¾) / (n + 3), D̃ = (D + ¾) / (n + 3),
// centre = 100·(P̃ − D̃), SE = 100·√((P̃ + D̃ − (P̃ − D̃)²) / (n + 3)), centre ± 1.96·SE.
// Padded mean (CES, CSAT): SE = √(Σ(x − x̄)² + ½(1 − x̄)² + ½(k − x̄)²) / n, x̄ ± 1.96·SE.

describe('responseRate', () => {
  it('gives the share answered with a Wilson interval, as shares 0..1', () => {
    // p = .3, z²/n = .038416: centre = (.3 + .019208) / 1.038416 = .307399
    // half = (1.96 / 1.038416)·√(.3 × .7 / 100 + 3.8416 / 40000) = 1.887490 × .046862 = .088452
    const r = responseRate({ shown: 100, answered: 30 });
    expect(r).toMatchObject({ n: 100, rate: 0.3, enough: true });
    expectInterval(r.ci95, 0.21895, 0.39585);
  });

  it('stays honest at 0 of n and n of n, and has no rate without showings', () => {
    // p = 0: centre = half = z² / (2(n + z²)), so [0, z² / (n + z²)] = [0, 3.8416 / 13.8416]
    const none = responseRate({ shown: 10, answered: 0 });
    expect(none.rate).toBe(0);
    expectInterval(none.ci95, 0, 0.27754);
    // p = 1 mirrors it: [10 / 13.8416, 1]
    const all = responseRate({ shown: 10, answered: 10 });
    expect(all.rate).toBe(1);
    expectInterval(all.ci95, 0.72246, 1);
    expect(responseRate({ shown: 0, answered: 0 })).toEqual({ n: 0, rate: null, ci95: null, enough: false });
    expect(responseRate({ shown: MIN_ANSWERS - 1, answered: 1 }).enough).toBe(false);
  });

  it('rejects counts that are negative, fractional, or more answered than shown', () => {
    expect(() => responseRate({ shown: -1, answered: 0 })).toThrow(
      new RangeError('responseRate: shown is -1, expected a count of showings (an integer 0 or more)'),
    );
    expect(() => responseRate({ shown: 10, answered: 2.5 })).toThrow('responseRate: answered is 2.5, expected a count of showings');
    expect(() => responseRate({ shown: 10, answered: Number.NaN })).toThrow('responseRate: answered is NaN');
    expect(() => responseRate({ shown: '10', answered: 1 } as unknown as { shown: number; answered: number })).toThrow(
      'responseRate: shown is "10"',
    );
    expect(() => responseRate({ shown: 30, answered: 31 })).toThrow(
      new RangeError('responseRate: answered (31) is more than shown (30); count each answered showing once, and every showing as shown'),
    );
    expect(() => responseRate(null as unknown as { shown: number; answered: number })).toThrow(
      new RangeError('responseRate: expected { shown, answered }, got null'),
    );
  });
});

describe('nps', () => {
  it('counts the groups and computes the score and its adjusted Wald interval', () => {
    // promoters 10,10,10,9,9 = 5; passives 8,7 = 2; detractors 6,2,0 = 3; n = 10
    const r = nps([10, 10, 10, 9, 9, 8, 7, 6, 2, 0]);
    expect(r).toMatchObject({ n: 10, promoters: 5, passives: 2, detractors: 3, enough: true });
    expect(r.score).toBeCloseTo(20, 6); // 100 × (5 − 3) / 10
    // P̃ = 5.75 / 13 = .442308, D̃ = 3.75 / 13 = .288462: centre = 100 × 2 / 13 = 15.3846
    // SE = 100·√((9.5 / 13 − (2 / 13)²) / 13) = 100·√(.707101 / 13) = 23.3222
    expect(r.se).toBeCloseTo(23.3222, 3);
    expectInterval(r.ci95, -30.3268, 61.0961); // 15.3846 ± 45.7114
  });

  it('no longer collapses when every answer is a promoter: nps([10, 9])', () => {
    // The Wald interval was [100, 100] (SE 0). P̃ = 2.75 / 5 = .55, D̃ = .75 / 5 = .15: centre 40
    // SE = 100·√((.7 − .4²) / 5) = 100·√.108 = 32.8634; 40 ± 64.4122 → [−24.4122, 104.4122 → 100]
    const r = nps([10, 9]);
    expect(r.score).toBe(100);
    expect(r.se).toBeCloseTo(32.8634, 3);
    expectInterval(r.ci95, -24.4122, 100);
    expect(r.enough).toBe(false);
  });

  it('clamps to -100..100 and keeps some width however many agree', () => {
    // five promoters: P̃ = 5.75 / 8 = .71875, D̃ = .75 / 8 = .09375, centre 62.5
    // SE = 100·√((.8125 − .625²) / 8) = 100·√(.421875 / 8) = 22.9640; 62.5 ± 45.0094 → [17.4906, 100]
    const r = nps([9, 10, 10, 10, 9]);
    expect(r.score).toBe(100);
    expectInterval(r.ci95, 17.4906, 100);
    // 4 promoters, 1 detractor: P̃ = 4.75 / 8, D̃ = 1.75 / 8, centre 37.5
    // SE = 100·√((.8125 − .375²) / 8) = 100·√(.671875 / 8) = 28.9801; 37.5 ± 56.8009
    expectInterval(nps([10, 10, 10, 10, 0]).ci95, -19.3009, 94.3009);
  });

  it('has an interval from one answer, centred on the adjusted score', () => {
    // P̃ = .75 / 4 = .1875, D̃ = 1.75 / 4 = .4375: centre −25
    // SE = 100·√((.625 − .25²) / 4) = 100·√.140625 = 37.5; −25 ± 73.5. It does not reach the
    // answer's −100: one answer is too few to say more, hence `enough: false`.
    const r = nps([0]);
    expect(r).toMatchObject({ n: 1, detractors: 1, score: -100, enough: false });
    expect(r.se).toBeCloseTo(37.5, 6);
    expectInterval(r.ci95, -98.5, 48.5);
  });

  it('returns null statistics for no answers, and says when there are enough', () => {
    expect(nps([])).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, score: null, se: null, ci95: null, enough: false });
    expect(JSON.stringify(nps([]))).toContain('"score":null');
    expect(MIN_ANSWERS).toBe(5);
    expect(nps([9, 9, 9, 9]).enough).toBe(false);
    expect(nps([9, 9, 9, 9, 9]).enough).toBe(true);
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
  it('computes the mean with a padded interval and the agree share with a Wilson interval', () => {
    // mean = 25 / 5 = 5; Σ(x − 5)² = 4+1+0+1+4 = 10; padding ½(1 − 5)² + ½(7 − 5)² = 8 + 2
    // SE = √20 / 5 = .894427; 5 ± 1.753077
    const r = ces([7, 6, 5, 4, 3]);
    expect(r).toMatchObject({ n: 5, enough: true });
    expect(r.mean).toBeCloseTo(5, 6);
    expect(r.se).toBeCloseTo(0.894427, 5);
    expectInterval(r.ci95, 3.246923, 6.753077);
    expect(r.agreePct).toBeCloseTo(60, 6); // 7, 6, 5 agree: 3 / 5
    // Wilson, p = .6, n = 5, z² = 3.8416: centre = (.6 + .38416) / 1.76832 = .55655,
    // half = (1.96 / 1.76832)·√(.048 + .038416) = .32583 → [23.072, 88.238] %
    expectInterval(r.agreeCi95, 23.072, 88.238);
  });

  it('does not collapse when every answer is the same, and clamps to the scale', () => {
    // five 7s: Σ(x − 7)² = 0; padding ½ × 36 + 0 = 18; SE = √18 / 5 = .848528; 7 ± 1.663115
    const same = ces([7, 7, 7, 7, 7]);
    expect(same.mean).toBe(7);
    expectInterval(same.ci95, 5.336885, 7);
    // mean = 27 / 4 = 6.75; Σ(x − x̄)² = 3 × .0625 + .5625 = .75; padding ½ × 5.75² + ½ × .25² = 16.5625
    // SE = √17.3125 / 4 = 1.040207; 6.75 ± 2.038806 → [4.711194, 8.788806 → 7]
    expectInterval(ces([7, 7, 7, 6]).ci95, 4.711194, 7);
  });

  it('lets the padding fade as answers come in', () => {
    // 16 × 7 and 16 × 1: mean 4, Σ(x − 4)² = 32 × 9 = 288, padding ½ × 9 + ½ × 9 = 9
    // SE = √297 / 32 = .538553, within 2% of the unpadded √288 / 32 = .530330; 4 ± 1.055564
    const r = ces([...repeat(7, 16), ...repeat(1, 16)]);
    expect(r.se).toBeCloseTo(0.538553, 5);
    expectInterval(r.ci95, 2.944436, 5.055564);
  });

  it('agrees from 4 on a 5-point scale, and pads at its ends', () => {
    // mean 14 / 4 = 3.5; Σ(x − 3.5)² = 2.25+.25+.25+2.25 = 5; padding ½ × 2.5² + ½ × 1.5² = 4.25
    // SE = √9.25 / 4 = .760345; 3.5 ± 1.490277
    const r = ces([5, 4, 3, 2], 5);
    expect(r.mean).toBeCloseTo(3.5, 6);
    expectInterval(r.ci95, 2.009723, 4.990277);
    expect(r.agreePct).toBeCloseTo(50, 6); // 5, 4 agree: 2 / 4
  });

  it('returns null statistics for no answers, and a scale-wide interval for one', () => {
    expect(ces([])).toEqual({ n: 0, mean: null, se: null, ci95: null, agreePct: null, agreeCi95: null, enough: false });
    const one = ces([4]);
    // padding ½ × 9 + ½ × 9 = 9; SE = √9 / 1 = 3; 4 ± 5.88 → the whole scale
    expect(one).toMatchObject({ n: 1, mean: 4, se: 3, agreePct: 0, enough: false });
    expect(one.ci95).toEqual([1, 7]);
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
    // mean = 17 / 5 = 3.4; Σ(x − 3.4)² = 2.56+.36+.36+.16+5.76 = 9.2; padding ½ × 2.4² + ½ × 1.6² = 4.16
    // SE = √13.36 / 5 = .731027; 3.4 ± 1.432812
    const r = csat([5, 4, 4, 3, 1]);
    expect(r.mean).toBeCloseTo(3.4, 6);
    expectInterval(r.ci95, 1.967188, 4.832812);
    expect(r.satisfiedPct).toBeCloseTo(60, 6); // 5, 4, 4 satisfied: 3 / 5
    expectInterval(r.satisfiedCi95, 23.072, 88.238); // Wilson, 3 of 5 (as for ces above)
  });

  it('uses the top two boxes of a longer scale', () => {
    expect(csat([7, 6, 5, 1], 7).satisfiedPct).toBeCloseTo(50, 6); // 7, 6 satisfied: 2 / 4
  });

  it('returns null statistics for no answers, and a scale-wide interval for one', () => {
    expect(csat([])).toMatchObject({ n: 0, mean: null, ci95: null, satisfiedPct: null, satisfiedCi95: null, enough: false });
    // padding ½ × 16 + 0 = 8: SE = √8 = 2.828427; 5 ± 5.543717 → [1, 5]
    // Wilson, p = 1, n = 1: centre = 2.9208 / 4.8416 = .60327, half = .39673 → [20.654, 100] %
    const one = csat([5]);
    expect(one).toMatchObject({ n: 1, mean: 5, ci95: [1, 5], satisfiedPct: 100 });
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
    // adjusted: 100·valences 100, −100, −33.33 plus ¾ at ±100 and 1½ at 0, n + 3 = 6
    // centre = −33.333 / 6 = −5.5556; mean square = (21111.11 + 1.5 × 10000) / 6 = 6018.519
    // SE = √((6018.519 − 30.864) / 6) = √997.942 = 31.5902; −5.5556 ± 61.9168
    expect(r.se).toBeCloseTo(31.5902, 3);
    expectInterval(r.ci95, -67.4724, 56.3613);
    expect(r.enough).toBe(false);
    // happy 2, stressed 2, hurried 1, valued 1: ties alphabetical
    expect(r.topWords).toEqual([
      { word: 'happy', count: 2 },
      { word: 'stressed', count: 2 },
      { word: 'hurried', count: 1 },
      { word: 'valued', count: 1 },
    ]);
    expect(r.wordRates).toEqual([]); // no answer says what was offered
  });

  it('takes the valence from the feeling score when an answer has no words, with the NPS interval', () => {
    // 8..10 → +1, 5..7 → 0, 1..4 → −1: four +1, four 0, two −1
    const scores = [8, 9, 10, 10, 5, 6, 7, 7, 4, 1];
    const r = nev(scores.map((score) => ({ score })));
    expect(r.score).toBeCloseTo(20, 6); // 100 × (4 − 2) / 10
    expect(r.positive).toBeCloseTo(0.4, 6);
    expect(r.negative).toBeCloseTo(0.2, 6);
    // as nps with 4 promoters and 2 detractors of 10: P̃ = 4.75 / 13, D̃ = 2.75 / 13, centre 15.3846
    // SE = 100·√((7.5 / 13 − (2 / 13)²) / 13) = 20.6296; 15.3846 ± 40.4340
    expect(r.se).toBeCloseTo(20.6296, 3);
    expectInterval(r.ci95, -25.0494, 55.8186);
    expect(r.ci95).toEqual(nps([9, 9, 9, 9, 7, 7, 7, 7, 0, 0]).ci95);
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
    // adjusted, n + 3 = 9: centre = 33.333 / 9 = 3.7037; mean square = (41111.11 + 15000) / 9 = 6234.568
    // SE = √((6234.568 − 13.717) / 9) = 26.2908; 3.7037 ± 51.5300
    expectInterval(r.ci95, -47.8263, 55.2337);
    expect(r.enough).toBe(true);
    // five words chosen once each: alphabetical
    expect(r.topWords.map((w) => w.word)).toEqual(['frustrated', 'happy', 'irritated', 'pleased', 'valued']);
  });

  it('has an interval from one answer', () => {
    // 100 plus the pseudo-answers, n + 3 = 4: centre 25, mean square (10000 + 15000) / 4 = 6250
    // SE = √((6250 − 625) / 4) = 37.5; 25 ± 73.5
    const r = nev([{ score: 9 }]);
    expect(r).toMatchObject({ n: 1, score: 100, se: 37.5, positive: 1, negative: 0, enough: false });
    expectInterval(r.ci95, -48.5, 98.5);
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

  it('adds choice rates from the answers that record what was offered', () => {
    const r = nev([
      { score: 9, emotions: ['happy'], offered: ['happy', 'valued'] },
      { score: 8, emotions: [], offered: ['happy', 'valued'] },
      { score: 9, emotions: ['valued'] }, // counted in topWords, not in the rates
    ]);
    expect(r.topWords).toEqual([
      { word: 'happy', count: 1 },
      { word: 'valued', count: 1 },
    ]);
    // happy: chosen in 1 of its 2 offers; valued: 0 of 2
    expect(r.wordRates.map((w) => [w.word, w.chosen, w.offered])).toEqual([
      ['happy', 1, 2],
      ['valued', 0, 2],
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

  it('returns null statistics for no answers', () => {
    expect(nev([])).toEqual({
      n: 0,
      score: null,
      se: null,
      ci95: null,
      positive: null,
      negative: null,
      topWords: [],
      wordRates: [],
      enough: false,
    });
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
    expect(() => nev([{ emotions: ['happy'], offered: ['valued'] }])).toThrow(
      'nev: answers[0].emotions[0] is "happy", which answers[0].offered does not list',
    );
  });
});

describe('compare', () => {
  it('finds a clear NPS improvement whose interval excludes zero', () => {
    // before: 10 promoters, 20 passives, 20 detractors: score = 100 × (10 − 20) / 50 = −20
    //   P̃ = 10.75 / 53, D̃ = 20.75 / 53: centre = −1000 / 53 = −18.8679
    //   SE = 100·√((31.5 / 53 − (10 / 53)²) / 53) = 10.2676
    // after: 30 promoters, 15 passives, 5 detractors: score = 100 × (30 − 5) / 50 = 50
    //   P̃ = 30.75 / 53, D̃ = 5.75 / 53: centre = 2500 / 53 = 47.1698
    //   SE = 100·√((36.5 / 53 − (25 / 53)²) / 53) = 9.3786
    const before = [...repeat(10, 10), ...repeat(8, 20), ...repeat(3, 20)];
    const after = [...repeat(9, 30), ...repeat(7, 15), ...repeat(0, 5)];
    const r = compare(before, after, 'nps');
    expect(r.before.score).toBeCloseTo(-20, 6);
    expect(r.after.score).toBeCloseTo(50, 6);
    expect(r.delta).toBeCloseTo(70, 6);
    // centred on 47.1698 + 18.8679 = 66.0377: ± 1.96·√(10.2676² + 9.3786²) = ± 1.96 × 13.9062 = ± 27.2561
    expectInterval(r.ci95, 38.7817, 93.2938);
    expect(r.excludesZero).toBe(true);
    expect(r.enough).toBe(true);
  });

  it('finds no change when the samples agree, with an interval that includes zero', () => {
    const same = [10, 10, 10, 9, 9, 8, 7, 6, 2, 0]; // centre 15.3846, SE 23.3222 (see nps above)
    const r = compare(same, [...same].reverse(), 'nps');
    expect(r.delta).toBeCloseTo(0, 6);
    expectInterval(r.ci95, -64.6458, 64.6458); // 0 ± 1.96 × 23.3222 × √2
    expect(r.excludesZero).toBe(false);
  });

  it('compares CES means, with the padded standard errors', () => {
    // before mean 16 / 8 = 2: Σ(x − 2)² = 4, padding ½ × 1 + ½ × 25 = 13, SE = √17 / 8 = .515388
    // after mean 48 / 8 = 6: Σ(x − 6)² = 4, padding ½ × 25 + ½ × 1 = 13, SE = .515388
    // 4 ± 1.96 × .515388 × √2 = 4 ± 1.428583
    const r = compare([1, 2, 3, 2, 1, 2, 3, 2], [6, 7, 6, 5, 6, 7, 6, 5], 'ces');
    expect(r.delta).toBeCloseTo(4, 6);
    expectInterval(r.ci95, 2.571417, 5.428583);
    expect(r.excludesZero).toBe(true);
    expect(() => compare([5], [6], 'ces', 5)).toThrow('ces: scores[0] is 6, expected an integer 1..5');
  });

  it('compares CSAT means on the given scale', () => {
    const r = compare([4, 5, 3, 4], [5, 4, 4, 3], 'csat'); // both means 16 / 4 = 4
    expect(r.delta).toBeCloseTo(0, 6);
    expect(r.excludesZero).toBe(false);
    expect(compare([6, 7], [7, 7], 'csat', 7).delta).toBeCloseTo(0.5, 6); // 7 − 6.5
  });

  it('compares NEV of answers; three answers a side are too few to tell', () => {
    // before: −1, −1, 0 → −66.667; after: words (+1), score 9 (+1), score 5 (0) → 66.667
    // before adjusted, n + 3 = 6: centre −200 / 6 = −33.333; mean square (20000 + 15000) / 6 = 5833.33
    //   SE = √((5833.33 − 1111.11) / 6) = 28.0542; after mirrors it: centre 33.333, same SE
    // 66.667 ± 1.96 × 28.0542 × √2 = 66.667 ± 77.7622
    const r = compare([{ score: 2 }, { score: 3 }, { score: 6 }], [{ emotions: ['happy'] }, { score: 9 }, { score: 5 }], 'nev');
    expect(r.before.score).toBeCloseTo(-66.6667, 3);
    expect(r.delta).toBeCloseTo(133.3333, 3);
    expectInterval(r.ci95, -11.0956, 144.4289);
    expect(r.excludesZero).toBe(false);
    expect(r.enough).toBe(false);
  });

  it('has an interval from one answer a side, and none while a side is empty', () => {
    // nps([9]) and nps([10]): centre 25, SE 37.5 each (as nps([0]) mirrored); 0 ± 1.96 × 37.5 × √2 = ± 103.9447
    const one = compare([9], [10], 'nps');
    expect(one).toMatchObject({ delta: 0, excludesZero: false, enough: false });
    expectInterval(one.ci95, -103.9447, 103.9447);
    expect(compare([], [10, 9], 'nps')).toMatchObject({ delta: null, ci95: null, excludesZero: false, enough: false });
  });

  it('clamps the interval to the largest possible change', () => {
    // nps([0]) centre −25, nps([10]) centre 25, SE 37.5 each: 50 ± 103.9447 → [−53.9447, 153.9447]
    expectInterval(compare([0], [10], 'nps').ci95, -53.9447, 153.9447);
    // ces([1]) and ces([7]): SE = √18 = 4.242641 each; 6 ± 1.96 × 6 = 6 ± 11.76 → [−5.76, 6]
    expectInterval(compare([1], [7], 'ces').ci95, -5.76, 6);
  });

  it('rejects an unknown metric', () => {
    expect(() => compare([1], [1], 'mood' as 'nps')).toThrow(new RangeError('compare: metric is "mood", expected nps, ces, csat or nev'));
  });
});
