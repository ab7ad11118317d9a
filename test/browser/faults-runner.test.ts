import { describe, expect, it } from 'vitest';
import { formatTable, runSeries } from '../../tools/faults/runner.mjs';

// The short version of `npm run faults -- --runs N`: a few randomized runs with a fixed seed.
describe('randomized fault runs (short version of npm run faults)', () => {
  it('3 runs, seed 20261123: nothing lost, nothing stored twice', async () => {
    const t = await runSeries({ runs: 3, seed: 20261123 });
    console.log(formatTable(t));
    expect(t.runs).toBe(3);
    expect(t.submitted).toBeGreaterThan(0);
    expect(t.lost).toBe(0);
    expect(t.duplicatesStored).toBe(0);
    expect(t.stored + t.deadLettered).toBe(t.submitted);
    expect(t.failedRuns).toEqual([]);
    expect(t.errors).toEqual([]);
  }, 240_000);
});
