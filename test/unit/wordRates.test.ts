import { describe, expect, it } from 'vitest';
import { wordRates, type Interval, type WordRateAnswer } from '../../src/metrics';

function expectInterval(actual: Interval, lo: number, hi: number): void {
  expect(actual[0]).toBeCloseTo(lo, 4);
  expect(actual[1]).toBeCloseTo(hi, 4);
}

describe('wordRates', () => {
  it('rates each word by chosen ÷ offered, with a Wilson interval, leaving out answers that do not say what was offered', () => {
    const answers: WordRateAnswer[] = [
      { offered: ['happy', 'valued', 'stressed', 'hurried'], emotions: ['happy'] },
      { offered: ['happy', 'trusting', 'stressed', 'irritated'], emotions: ['happy', 'stressed'] },
      { offered: ['valued', 'trusting', 'stressed', 'hurried'], emotions: [] },
      { emotions: ['valued'] }, // offered unknown: in neither count
      { offered: ['happy', 'valued'], emotions: ['valued'] },
    ];
    const r = wordRates(answers);
    // happy 2 of 3; stressed and valued 1 of 3 (ties by times offered, then key); hurried and
    // trusting 0 of 2; irritated 0 of 1
    expect(r.map((w) => [w.word, w.chosen, w.offered])).toEqual([
      ['happy', 2, 3],
      ['stressed', 1, 3],
      ['valued', 1, 3],
      ['hurried', 0, 2],
      ['trusting', 0, 2],
      ['irritated', 0, 1],
    ]);
    expect(r[0]!.rate).toBeCloseTo(2 / 3, 9);
    // Wilson 2 of 3: centre = (.6667 + .6403) / 2.2805 = .57308, half = .85946 × √(.07407 + .10671) = .36543
    expectInterval(r[0]!.ci95, 0.20765, 0.93851);
    expectInterval(r[1]!.ci95, 0.06149, 0.79235); // 1 of 3 mirrors 2 of 3
    // 0 of n: [0, z² / (n + z²)]: 3.8416 / 5.8416 and 3.8416 / 4.8416
    expectInterval(r[3]!.ci95, 0, 0.65763);
    expectInterval(r[5]!.ci95, 0, 0.79346);
    expect(r.every((w) => !w.enough)).toBe(true);
  });

  it('says a word has enough offers from five', () => {
    const answers = Array.from({ length: 5 }, (_, i): WordRateAnswer => ({ offered: ['safe'], emotions: i === 0 ? ['safe'] : [] }));
    const [safe] = wordRates(answers);
    expect(safe).toMatchObject({ word: 'safe', chosen: 1, offered: 5, rate: 0.2, enough: true });
    // Wilson 1 of 5: centre = (.2 + .38416) / 1.76832 = .33035, half = 1.10839 × √(.032 + .038416) = .29412
    expectInterval(safe!.ci95, 0.03622, 0.62447);
  });

  it('is empty when no answer records what was offered', () => {
    expect(wordRates([])).toEqual([]);
    expect(wordRates([{ emotions: ['happy'] }, {}])).toEqual([]);
  });

  it('rejects unknown or repeated words, and chosen words that were not offered', () => {
    expect(() => wordRates([{ offered: ['happy', 'glad'] }])).toThrow(
      new RangeError('wordRates: answers[0].offered[1] is "glad", expected one of the 20 NEV word keys'),
    );
    expect(() => wordRates([{ offered: ['happy', 'happy'] }])).toThrow(
      new RangeError('wordRates: answers[0].offered[1] is "happy" again, expected each word at most once'),
    );
    expect(() => wordRates([{ offered: 'happy' as unknown as string[] }])).toThrow(
      new RangeError('wordRates: answers[0].offered is "happy", expected a list of NEV word keys'),
    );
    expect(() => wordRates([{ offered: ['happy'] }, { offered: ['happy'], emotions: ['angry'] }])).toThrow(
      'wordRates: answers[1].emotions[0] is "angry", expected one of the 20 NEV word keys',
    );
    expect(() => wordRates([{ offered: ['happy', 'valued'], emotions: ['valued', 'safe'] }])).toThrow(
      new RangeError(
        'wordRates: answers[0].emotions[1] is "safe", which answers[0].offered does not list; record every word shown (all of them once "More words" was opened)',
      ),
    );
  });
});
