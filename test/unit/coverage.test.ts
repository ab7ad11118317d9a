// How often the 95% intervals hold the true value, from seeded samples of known populations: a
// check that the small-sample adjustments keep their promise, not just their formulas.
import { describe, expect, it } from 'vitest';
import { MIN_ANSWERS, ces, nps, type Interval } from '../../src/metrics';
import { seededRandom } from '../random';

const SAMPLES = 2000;
const SIZES = [MIN_ANSWERS, 10, 20];

/** Draws from `values` with probabilities `weights`. */
function sampler(values: number[], weights: number[], random: () => number): () => number {
  return () => {
    let u = random();
    for (let i = 0; i < values.length; i++) if ((u -= weights[i]!) < 0) return values[i]!;
    return values[values.length - 1]!;
  };
}

/** Share of SAMPLES seeded samples of size n whose interval holds `truth`. */
function coverage(draw: () => number, n: number, truth: number, interval: (xs: number[]) => Interval | null): number {
  let held = 0;
  for (let s = 0; s < SAMPLES; s++) {
    const ci = interval(Array.from({ length: n }, draw));
    if (ci && ci[0] <= truth && truth <= ci[1]) held += 1;
  }
  return held / SAMPLES;
}

function grid(populations: [weights: number[], truth: number][], values: number[], interval: (xs: number[]) => Interval | null) {
  const random = seededRandom(2026);
  return populations.flatMap(([weights, truth]) => SIZES.map((n) => coverage(sampler(values, weights, random), n, truth, interval)));
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('95% interval coverage from five answers on', () => {
  it('nps: about 95% on average, never far below, from a detractor-heavy to a promoter-heavy population', () => {
    // scores 0 (detractor), 8 (passive), 10 (promoter) with shares d, passives, p: NPS = 100·(p − d)
    const populations: [number[], number][] = [
      [[0.6, 0.3, 0.1], -50],
      [[0.3, 0.4, 0.3], 0],
      [[0.2, 0.3, 0.5], 30],
      [[0.1, 0.2, 0.7], 60],
      [[0.05, 0.1, 0.85], 80],
      [[0.02, 0.06, 0.92], 90],
    ];
    const held = grid(populations, [0, 8, 10], (xs) => nps(xs).ci95);
    expect(Math.min(...held)).toBeGreaterThan(0.85);
    expect(mean(held)).toBeGreaterThan(0.93);
  });

  it('ces: at least about 95%, also when answers crowd one end or split between both', () => {
    const populations: [number[], number][] = [
      [[0, 0, 0, 0.02, 0.08, 0.3, 0.6], 6.48],
      [[0.05, 0.1, 0.15, 0.4, 0.15, 0.1, 0.05], 4],
      [[0.3, 0.4, 0.2, 0.1, 0, 0, 0], 2.1],
      [[0.4, 0, 0, 0, 0, 0, 0.6], 4.6],
      [[0.14, 0.14, 0.14, 0.16, 0.14, 0.14, 0.14], 4],
    ];
    const held = grid(populations, [1, 2, 3, 4, 5, 6, 7], (xs) => ces(xs).ci95);
    expect(Math.min(...held)).toBeGreaterThan(0.88);
    expect(mean(held)).toBeGreaterThan(0.95);
  });
});
