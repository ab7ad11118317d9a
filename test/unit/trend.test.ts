import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS, nps, trend, trendUnit } from '../../src/metrics';

const answer = (answeredAt: string, score: number) => ({ answeredAt, score });
const npsOf = (records: { score: number }[]) => nps(records.map((r) => r.score));

describe('trend', () => {
  // 2026-01-01 is a Thursday, so 2026-W01 starts on Monday 2025-12-29 and 2026-03-02, 63 days
  // later, is the Monday of 2026-W10; 2026-03-01 is the Sunday before it.
  it('buckets by ISO week, Monday 00:00 UTC, and counts only records inside the range', () => {
    const records = [
      answer('2026-02-28T12:00:00Z', 0), // before `from`: left out, though its week is shown
      answer('2026-03-01T23:59:59.999Z', 10), // Sunday: still W09
      answer('2026-03-02T00:30:00+01:00', 10), // 2026-03-01T23:30Z: W09, UTC decides
      answer('2026-03-02T00:00:00.000Z', 9), // Monday: W10
      answer('2026-03-08T23:59:59Z', 0), // Sunday: W10
      answer('2026-03-15T12:00:00Z', 7), // W11
      answer('2026-03-16T00:00:00Z', 10), // `to` itself: left out
    ];
    const buckets = trend(records, npsOf, { from: '2026-03-01T00:00:00Z', to: '2026-03-16T00:00:00Z', unit: 'week' });
    expect(buckets.map((b) => [b.label, b.start, b.end, b.n])).toEqual([
      ['2026-W09', '2026-02-23T00:00:00.000Z', '2026-03-02T00:00:00.000Z', 2],
      ['2026-W10', '2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', 2],
      ['2026-W11', '2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z', 1],
    ]);
    // W09 holds 10 and 10: the nps([10, 9]) case, P̃ = 2.75 / 5, D̃ = .75 / 5 → 40 ± 64.4122
    const w09 = buckets[0]!.summary;
    expect(w09).toMatchObject({ n: 2, score: 100, enough: false });
    expect(w09.ci95![0]).toBeCloseTo(-24.4122, 3);
    expect(w09.ci95![1]).toBe(100);
    expect(buckets[1]!.summary).toEqual(nps([9, 0]));
    expect(buckets[2]!.summary).toMatchObject({ n: 1, score: 0, passives: 1 });
  });

  it('keeps empty buckets, with n = 0 and the summary of no answers, so the axis is continuous', () => {
    const buckets = trend([answer('2026-03-02T10:00:00Z', 9), answer('2026-03-05T10:00:00Z', 3)], npsOf, {
      from: '2026-03-02',
      to: '2026-03-06',
    });
    expect(buckets.map((b) => [b.label, b.n])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-03', 0],
      ['2026-03-04', 0],
      ['2026-03-05', 1],
    ]);
    expect(buckets[1]!.summary).toEqual(nps([]));
    expect(trend([], npsOf, { from: '2026-03-02', to: '2026-03-03' })).toEqual([
      { label: '2026-03-02', start: '2026-03-02T00:00:00.000Z', end: '2026-03-03T00:00:00.000Z', n: 0, summary: nps([]) },
    ]);
  });

  it('numbers weeks by the year of their Thursday', () => {
    const week = (day: string) => trend([], () => null, { from: day, to: `${day}T00:00:01Z`, unit: 'week' })[0]!;
    // 2021-01-01 is a Friday: the week of Monday 2020-12-28, 2020's 53rd
    expect(week('2021-01-01')).toMatchObject({ label: '2020-W53', start: '2020-12-28T00:00:00.000Z' });
    // 2026 starts on a Thursday, so it has 53 weeks: Thursday 2026-12-31 and Friday 2027-01-01 are in W53
    expect(week('2026-12-31').label).toBe('2026-W53');
    expect(week('2027-01-01')).toMatchObject({ label: '2026-W53', start: '2026-12-28T00:00:00.000Z' });
    expect(week('2027-01-04')).toMatchObject({ label: '2027-W01', start: '2027-01-04T00:00:00.000Z' });
    // a Monday 00:00 starts its own week; the millisecond before it is the previous week
    expect(week('2026-03-02').label).toBe('2026-W10');
    const sunday = trend([], () => null, { from: '2026-03-01T23:59:59.999Z', to: '2026-03-02T00:00:00Z', unit: 'week' });
    expect(sunday.map((b) => b.label)).toEqual(['2026-W09']);
  });

  it('takes Dates as well as ISO strings, and chooses the unit from the range unless told', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    expect(trend([], () => 0, { from, to: new Date('2026-04-01T00:00:00Z') })).toHaveLength(31);
    // 32 days: weeks, from the week of Sunday 2026-03-01 (W09) to that of Wednesday 2026-04-01 (W14)
    expect(trend([], () => 0, { from, to: '2026-04-02' }).map((b) => b.label)).toEqual([
      '2026-W09',
      '2026-W10',
      '2026-W11',
      '2026-W12',
      '2026-W13',
      '2026-W14',
    ]);
    expect(trend([], () => 0, { from, to: '2026-04-02', unit: 'day' })).toHaveLength(32);
  });

  it('rejects times without an offset, impossible dates, empty ranges, unknown units and too many buckets', () => {
    const range = { from: '2026-03-01', to: '2026-03-08' };
    expect(() => trend([answer('2026-03-02T10:00:00Z', 9), answer('2026-03-02T10:00', 9)], npsOf, range)).toThrow(
      new RangeError(
        'trend: records[1].answeredAt is "2026-03-02T10:00", expected a Date, a UTC day such as "2026-03-01" or an ISO 8601 time with Z or an offset',
      ),
    );
    expect(() => trend([{ answeredAt: 5 as unknown as string }], () => 0, range)).toThrow('trend: records[0].answeredAt is 5');
    expect(() => trend([], () => 0, { from: '2026-02-30', to: '2026-03-08' })).toThrow('trend: from is "2026-02-30"');
    expect(() => trend([], () => 0, { from: '2026-03-08', to: '2026-03-08' })).toThrow(
      new RangeError('trend: from (2026-03-08T00:00:00.000Z) must be before to (2026-03-08T00:00:00.000Z)'),
    );
    expect(() => trend([], () => 0, { ...range, unit: 'month' as 'week' })).toThrow(
      new RangeError('trend: unit is "month", expected "day" or "week"'),
    );
    expect(MAX_BUCKETS).toBe(1000);
    expect(() => trend([], () => 0, { from: '2020-01-01', to: '2026-01-01', unit: 'day' })).toThrow(
      new RangeError('trend: 2192 day buckets, more than 1000; use unit "week" or a shorter range'),
    );
    expect(() => trendUnit('2026-03-01', 'soon')).toThrow('trendUnit: to is "soon"');
  });
});

describe('trendUnit', () => {
  it('buckets by day up to 31 days and by week beyond', () => {
    expect(trendUnit('2026-03-01', '2026-04-01')).toBe('day'); // exactly 31 days
    expect(trendUnit('2026-03-01', '2026-04-01T00:00:00.001Z')).toBe('week');
    expect(trendUnit(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T01:00:00Z'))).toBe('day');
    expect(trendUnit('2026-01-01', '2026-12-31')).toBe('week');
  });
});
