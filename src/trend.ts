/** A trend's bucket size: a UTC day, or an ISO week (Monday 00:00 UTC to the next Monday). */
export type TrendUnit = 'day' | 'week';

/** The range a {@link trend} covers: `from` inclusive, `to` exclusive, each a Date or an ISO 8601 time. */
export interface TrendRange {
  from: Date | string;
  to: Date | string;
  /** Default: {@link trendUnit} of the range. */
  unit?: TrendUnit;
}

/** One bucket of a {@link trend}. */
export interface TrendBucket<R> {
  /** Start of the bucket (inclusive), ISO 8601 UTC. */
  start: string;
  /** End of the bucket (exclusive). */
  end: string;
  /** `2026-03-05` for a day, `2026-W10` (ISO week-numbering year and week) for a week. */
  label: string;
  /** Records in the bucket and in the range. */
  n: number;
  /** What the summarising function made of those records; it is called for empty buckets too. */
  summary: R;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Longest range {@link trendUnit} buckets by day. */
export const DAILY_UP_TO_DAYS = 31;

/** Most buckets a trend makes, so a mistyped year cannot make a chart of a million days. */
export const MAX_BUCKETS = 1000;

// A time must say its offset: "10:00" alone is a different instant on every server.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/i;

function parseIso(value: string): number {
  const m = ISO_TIME.exec(value);
  if (!m) return Number.NaN;
  // Date.parse rolls 2026-02-30 over into March; refuse instead of guessing.
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.getUTCMonth() === Number(m[2]) - 1 && day.getUTCDate() === Number(m[3]) ? Date.parse(value) : Number.NaN;
}

function instant(fn: string, where: string, value: unknown): number {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? parseIso(value) : Number.NaN;
  if (Number.isNaN(time)) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new RangeError(
      `${fn}: ${where} is ${shown}, expected a Date, a UTC day such as "2026-03-01" or an ISO 8601 time with Z or an offset`,
    );
  }
  return time;
}

function range(fn: string, from: unknown, to: unknown): [number, number] {
  const [start, end] = [instant(fn, 'from', from), instant(fn, 'to', to)];
  if (start >= end)
    throw new RangeError(`${fn}: from (${new Date(start).toISOString()}) must be before to (${new Date(end).toISOString()})`);
  return [start, end];
}

/** Days since 1970-01-01 (a Thursday) of the Monday that starts the ISO week of day `d`. */
const mondayOf = (d: number): number => d - ((((d + 3) % 7) + 7) % 7);

/** ISO 8601 week label: the week belongs to the year of its Thursday. */
function weekLabel(monday: number): string {
  const thursday = new Date((monday + 3) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((monday + 3 - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const unitFor = (start: number, end: number): TrendUnit => (end - start <= DAILY_UP_TO_DAYS * DAY_MS ? 'day' : 'week');

/** Day buckets for ranges up to {@link DAILY_UP_TO_DAYS} days, weeks beyond. */
export function trendUnit(from: Date | string, to: Date | string): TrendUnit {
  const [start, end] = range('trendUnit', from, to);
  return unitFor(start, end);
}

/**
 * Records bucketed by UTC day or ISO week (Monday first) from `from` up to `to`, each bucket
 * summarised by `summarise`, so a chart gets a point and a 95% band per bucket:
 * `trend(answers, (a) => nps(a.map((x) => x.score)), { from, to })`. Every bucket between the two
 * is present, empty ones with `n: 0` (and the summary of no records), so the axis is continuous.
 * The first and last buckets may reach outside the range; only records inside it are counted.
 * An `answeredAt` that is not a time is a `RangeError` naming the record.
 */
export function trend<T extends { answeredAt: string }, R>(
  records: readonly T[],
  summarise: (records: T[]) => R,
  { from, to, unit: given }: TrendRange,
): TrendBucket<R>[] {
  const [start, end] = range('trend', from, to);
  const unit = given ?? unitFor(start, end);
  if (unit !== 'day' && unit !== 'week') throw new RangeError(`trend: unit is ${JSON.stringify(unit)}, expected "day" or "week"`);
  const days = unit === 'day' ? 1 : 7;
  const startOf = (time: number) => (unit === 'day' ? Math.floor(time / DAY_MS) : mondayOf(Math.floor(time / DAY_MS)));
  const first = startOf(start);
  const count = (startOf(end - 1) - first) / days + 1;
  if (count > MAX_BUCKETS) {
    throw new RangeError(`trend: ${count} ${unit} buckets, more than ${MAX_BUCKETS}; use unit "week" or a shorter range`);
  }
  const groups = Array.from({ length: count }, (): T[] => []);
  records.forEach((record, i) => {
    const time = instant('trend', `records[${i}].answeredAt`, record.answeredAt);
    if (time >= start && time < end) groups[(startOf(time) - first) / days]!.push(record);
  });
  return groups.map((group, i) => {
    const day = first + i * days;
    return {
      start: new Date(day * DAY_MS).toISOString(),
      end: new Date((day + days) * DAY_MS).toISOString(),
      label: unit === 'day' ? new Date(day * DAY_MS).toISOString().slice(0, 10) : weekLabel(day),
      n: group.length,
      summary: summarise(group),
    };
  });
}
