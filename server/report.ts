// GET /api/report: NPS, CES and NEV per journey stage and touchpoint, computed with the same
// metric functions the npm package exports (SPEC §6), so the dashboard and a site owner's own
// scripts always agree. The store only selects rows; every number is made here.
import { nps, ces, nev, compare, trend, trendUnit, MAX_BUCKETS, type Interval, type NevAnswer, type TrendUnit } from '../src/metrics';
import { EMOTIONS, emotionValence, type Emotion } from '../src/emotions';
import { countShowings, rateChange, showingsOf, type Showing } from './showings';
import type { StoredAnswer, StoredImpression } from './store';

type Scale = 5 | 7;

/** A report's parsed query: time window, site, comparison date and CES scales. */
export interface ReportQuery {
  from: Date | undefined;
  to: Date | undefined;
  site: string | undefined;
  compareAt: Date | undefined;
  cesScale: { all: Scale | undefined; byTouchpoint: Map<string, Scale> };
}

/** The part of a widget config (SPEC §3) the report reads; anything else in it is ignored. */
interface SiteConfig {
  site?: unknown;
  touchpoints?: unknown;
}

interface ConfiguredTouchpoint {
  id: string;
  stage: string | undefined;
  cesScale: Scale | undefined;
  asks: string[];
}

/** Recent comments kept per touchpoint and stage, and overall. */
export const COMMENTS_PER_GROUP = 10;
export const COMMENTS_OVERALL = 25;

/** Stage label for answers that name none and whose touchpoint the config does not know. */
export const NO_STAGE = '(no stage)';

const QUERY_KEYS = ['from', 'to', 'site', 'compareAt', 'cesScale'];

/** A report query that cannot be answered; the collector turns it into a 400. */
export class ReportQueryError extends Error {}

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A time must say its offset: "10:00" alone means a different instant for every reader.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * `YYYY-MM-DD` (a UTC day) or an ISO 8601 time with `Z` or an offset, as a Date. A day given as
 * `to` means the end of that day, so `from=2026-11-01&to=2026-11-30` is all of November.
 */
function parseTime(name: string, value: string, { endOfDay = false } = {}): Date {
  let time = Number.NaN;
  const day = DATE_ONLY.exec(value);
  if (day) {
    time = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Date.UTC rolls 2026-02-31 over into March; refuse instead of guessing.
    if (new Date(time).toISOString().slice(0, 10) !== value) time = Number.NaN;
    else if (endOfDay) time += DAY_MS;
  } else if (DATE_TIME.test(value)) {
    time = Date.parse(value);
  }
  if (Number.isNaN(time)) {
    throw new ReportQueryError(
      `${name}: ${JSON.stringify(value)} is not a date; use YYYY-MM-DD (UTC) or an ISO 8601 time with Z or an offset`,
    );
  }
  return new Date(time);
}

/** `cesScale=5` (every CES touchpoint) or `cesScale=support_closed:5,other_tp:7` (per touchpoint). */
function parseCesScale(value: string): ReportQuery['cesScale'] {
  const out: ReportQuery['cesScale'] = { all: undefined, byTouchpoint: new Map() };
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:([^:]{1,64}):)?([57])$/.exec(part);
    if (!m) throw new ReportQueryError(`cesScale: ${JSON.stringify(part)} is not 5, 7 or touchpoint:5|7 (e.g. cesScale=support_closed:5)`);
    const scale = Number(m[2]) as Scale;
    if (m[1] === undefined) out.all = scale;
    else out.byTouchpoint.set(m[1], scale);
  }
  return out;
}

/**
 * Reads and checks the report's query string. Unknown or repeated parameters are errors: a
 * misspelt `compareat` silently ignored would show a report that is not the one asked for.
 * `keys` are the parameters this endpoint takes (exports take no compareAt).
 */
export function parseReportQuery(params: URLSearchParams, keys: readonly string[] = QUERY_KEYS): ReportQuery {
  const seen = new Set();
  for (const key of params.keys()) {
    if (!keys.includes(key)) throw new ReportQueryError(`unknown parameter "${key.slice(0, 64)}"; known: ${keys.join(', ')}`);
    if (seen.has(key)) throw new ReportQueryError(`parameter "${key}" given more than once`);
    seen.add(key);
  }
  const text = (key: string) => {
    const v = params.get(key)?.trim();
    return v ? v : undefined;
  };
  const time = (key: string, endOfDay = false) => {
    const value = text(key);
    return value === undefined ? undefined : parseTime(key, value, { endOfDay });
  };
  const scales = text('cesScale');
  const query: ReportQuery = {
    from: time('from'),
    to: time('to', true),
    site: text('site'),
    compareAt: time('compareAt'),
    cesScale: scales ? parseCesScale(scales) : { all: undefined, byTouchpoint: new Map() },
  };
  if (query.site && query.site.length > 64) throw new ReportQueryError('site: longer than 64 characters');
  if (query.from && query.to && query.from >= query.to) throw new ReportQueryError('from must be before to');
  return query;
}

/** A config touchpoint's prompts, whatever shape the config gave them. */
const promptsOf = (touchpoint: Record<string, unknown>): unknown[] => (Array.isArray(touchpoint.prompts) ? touchpoint.prompts : []);

/** The CES scale a config gives a touchpoint: its first CES prompt's `scale`, else 7. */
function configCesScale(touchpoint: Record<string, unknown>): Scale | undefined {
  for (const prompt of promptsOf(touchpoint)) {
    if (typeof prompt === 'object' && (prompt as { kind?: unknown })?.kind === 'ces')
      return (prompt as { scale?: unknown }).scale === 5 ? 5 : 7;
  }
  return undefined;
}

/** Kinds a configured touchpoint asks, so the dashboard can tell "not asked here" from "no answers". */
function configKinds(touchpoint: Record<string, unknown>): string[] {
  return promptsOf(touchpoint)
    .map((p) => (typeof p === 'string' ? p : (p as { kind?: unknown } | null)?.kind))
    .filter((k): k is string => typeof k === 'string');
}

const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

const distinctKeys = (words: readonly string[]) =>
  words.every((w, i) => (EMOTIONS as readonly string[]).includes(w) && words.indexOf(w) === i);

/** Whether `nev()` can take this answer: a feeling score 1..10 and/or distinct known words. */
function nevUsable(a: StoredAnswer): boolean {
  const words: readonly string[] = a.emotions ?? [];
  if (a.score !== undefined && !isInt(a.score, 1, 10)) return false;
  if (words.length === 0 && a.score === undefined) return false;
  return distinctKeys(words);
}

/**
 * Whether the answer's `offered` can count in choice rates: distinct known keys holding every
 * chosen word. Ingest checks this; a row that fails it is kept for NEV and left out of the rates.
 */
function offerUsable(a: StoredAnswer): a is StoredAnswer & { offered: string[] } {
  const offered: readonly string[] | undefined = a.offered;
  return !!offered && distinctKeys(offered) && a.emotions.every((w) => offered.includes(w));
}

function histogram(scores: readonly number[], min: number, max: number): number[] {
  const counts = Array.from({ length: max - min + 1 }, () => 0);
  for (const s of scores) counts[s - min] += 1;
  return counts;
}

/** Every chosen word with its count and valence, most chosen first, ties alphabetical (as `nev().topWords`). */
function rankedWords(nevAnswers: readonly NevAnswer[]) {
  const counts = new Map<Emotion, number>();
  for (const a of nevAnswers) for (const w of (a.emotions ?? []) as Emotion[]) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts]
    .map(([word, count]) => ({ word, count, valence: emotionValence(word) }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1));
}

/**
 * The inputs of each metric from some answers. `cesScale` null means the answers mix 5- and
 * 7-point touchpoints, whose means cannot be pooled. Answers a metric cannot take (a CES 6 at a
 * 5-point touchpoint, a repeated emotion word) are counted in `excluded`, never clamped.
 */
function inputs(answers: readonly StoredAnswer[], cesScale: Scale | null) {
  const out = {
    nps: [] as number[],
    ces: [] as number[],
    nev: [] as NevAnswer[],
    feeling: [] as number[],
    excluded: { nps: 0, ces: 0, nev: 0 },
    /** NEV answers whose `offered` is missing (or unusable), left out of the choice rates. */
    withoutOffered: 0,
  };
  for (const a of answers) {
    if (a.kind === 'nps') {
      if (isInt(a.score, 0, 10)) out.nps.push(a.score);
      else out.excluded.nps += 1;
    } else if (a.kind === 'ces') {
      if (cesScale && isInt(a.score, 1, cesScale)) out.ces.push(a.score);
      else if (cesScale) out.excluded.ces += 1;
    } else if (a.kind === 'emotion') {
      if (nevUsable(a)) {
        const answer: NevAnswer = a.score === undefined ? { emotions: a.emotions } : { score: a.score, emotions: a.emotions };
        if (offerUsable(a)) out.nev.push({ ...answer, offered: a.offered });
        else {
          out.nev.push(answer);
          out.withoutOffered += 1;
        }
        if (a.score !== undefined) out.feeling.push(a.score);
      } else out.excluded.nev += 1;
    }
  }
  return out;
}

type Inputs = ReturnType<typeof inputs>;

/** The comparable part of a metric result: its headline value, interval, n and whether n is enough. */
const headline = (r: { n: number; ci95: Interval | null; enough: boolean } & ({ mean: number | null } | { score: number | null })) => ({
  n: r.n,
  value: 'mean' in r ? r.mean : r.score,
  ci95: r.ci95,
  enough: r.enough,
});

function verdict(c: { enough: boolean; excludesZero: boolean; delta: number | null }): string {
  if (!c.enough) return 'not enough answers';
  if (!c.excludesZero) return 'no clear change';
  return (c.delta ?? 0) > 0 ? 'better' : 'worse';
}

/** `compare()` reduced to what a report shows; higher is better for NPS, CES 2.0 and NEV alike. */
function comparison(before: Inputs, after: Inputs, metric: 'nps' | 'ces' | 'nev', scale?: Scale) {
  const c =
    metric === 'nev'
      ? compare(before.nev, after.nev, 'nev')
      : metric === 'ces'
        ? compare(before.ces, after.ces, 'ces', scale)
        : compare(before.nps, after.nps, 'nps');
  return {
    before: headline(c.before),
    after: headline(c.after),
    delta: c.delta,
    ci95: c.ci95,
    excludesZero: c.excludesZero,
    verdict: verdict(c),
  };
}

interface Common {
  compareAt: Date | undefined;
  responses: Map<string, StoredAnswer[]>;
}

/** Choice rates of the emotion words (chosen ÷ offered), and how many answers they leave out. */
function wordRatesOf(input: Inputs, result: ReturnType<typeof nev>) {
  return {
    answers: input.nev.length - input.withoutOffered,
    withoutOffered: input.withoutOffered,
    words: result.wordRates.map((w) => ({ ...w, valence: emotionValence(w.word) })),
  };
}

/** Metrics of one group of answers (a touchpoint, a stage, or all), sorted by answeredAt, and of its showings. */
function summarise(
  answers: readonly StoredAnswer[],
  showings: readonly Showing[],
  scale: Scale | null,
  { compareAt, comments, responses }: Common & { comments: number },
) {
  const input = inputs(answers, scale);
  const cesResult = scale ? { scale, ...ces(input.ces, scale) } : null;
  const nevResult = nev(input.nev);
  const group: Record<string, unknown> = {
    answers: answers.length,
    responses: new Set(answers.map((a) => a.responseId)).size,
    seeded: answers.filter((a) => a.seeded).length,
    ...countShowings(showings),
    nps: nps(input.nps),
    ces: cesResult,
    nev: nevResult,
    emotions: rankedWords(input.nev),
    wordRates: wordRatesOf(input, nevResult),
    distribution: distributions(input, scale),
    excluded: input.excluded,
    comments: recentComments(answers, responses, comments),
  };
  if (compareAt) {
    const cut = compareAt.getTime();
    const beforeAnswers = answers.filter((a) => Date.parse(a.answeredAt) < cut);
    const afterAnswers = answers.filter((a) => Date.parse(a.answeredAt) >= cut);
    const b = inputs(beforeAnswers, scale);
    const a = inputs(afterAnswers, scale);
    group.compare = {
      at: compareAt.toISOString(),
      answers: { before: beforeAnswers.length, after: afterAnswers.length },
      responseRate: rateChange(countShowings(showings.filter((s) => s.start < cut)), countShowings(showings.filter((s) => s.start >= cut))),
      nps: comparison(b, a, 'nps'),
      ces: scale ? comparison(b, a, 'ces', scale) : null,
      nev: comparison(b, a, 'nev'),
      distribution: { before: distributions(b, scale), after: distributions(a, scale) },
    };
  }
  return group;
}

/** The range and bucket size every touchpoint's trend shares. */
interface TrendWindow {
  unit: TrendUnit;
  from: Date;
  to: Date;
  /** The range held more than {@link MAX_BUCKETS} buckets; the trend covers the latest of them. */
  clipped: boolean;
}

const startOfDay = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS) * DAY_MS;

/**
 * The report's range (or, for a bound the query leaves open, the answers' first and last day)
 * bucketed as `trendUnit` says. A range of more than {@link MAX_BUCKETS} buckets keeps its
 * latest ones, so the payload stays bounded whatever dates are asked for.
 */
function trendWindow(query: ReportQuery, sorted: readonly StoredAnswer[]): TrendWindow | null {
  const from = query.from?.getTime() ?? (sorted.length ? startOfDay(sorted[0]!.answeredAt) : undefined);
  const to = query.to?.getTime() ?? (sorted.length ? startOfDay(sorted.at(-1)!.answeredAt) + DAY_MS : undefined);
  if (from === undefined || to === undefined || from >= to) return null;
  const unit = trendUnit(new Date(from), new Date(to));
  // A span of at most MAX_BUCKETS − 1 units touches at most MAX_BUCKETS buckets.
  const longest = (MAX_BUCKETS - 1) * (unit === 'day' ? 1 : 7) * DAY_MS;
  const clipped = to - from > longest;
  return { unit, from: new Date(clipped ? to - longest : from), to: new Date(to), clipped };
}

type TrendMetric = 'nps' | 'ces' | 'nev';

/** Per bucket of the window, each asked metric's n, headline value, 95% interval and `enough`. */
function touchpointTrend(answers: readonly StoredAnswer[], metrics: readonly TrendMetric[], scale: Scale, range: TrendWindow | null) {
  if (!range || metrics.length === 0) return [];
  return trend(
    answers,
    (bucket) => {
      const input = inputs(bucket, scale);
      const point: Partial<Record<TrendMetric, ReturnType<typeof headline>>> = {};
      if (metrics.includes('nps')) point.nps = headline(nps(input.nps));
      if (metrics.includes('ces')) point.ces = headline(ces(input.ces, scale));
      if (metrics.includes('nev')) point.nev = headline(nev(input.nev));
      return point;
    },
    range,
  ).map(({ start, label, summary }) => ({ start, label, ...summary }));
}

/** The metrics a touchpoint's kinds make: `emotion` answers are NEV's. */
const trendMetrics = (asks: readonly string[]): TrendMetric[] =>
  (['nps', 'ces', 'nev'] as const).filter((m) => asks.includes(m === 'nev' ? 'emotion' : m));

function distributions(input: Inputs, scale: Scale | null) {
  return {
    nps: histogram(input.nps, 0, 10),
    ces: histogram(input.ces, 1, scale ?? 7),
    feeling: histogram(input.feeling, 1, 10),
  };
}

/** Score that goes with a comment: its own, or for a `kind: "comment"` record that of its response. */
function commentScore(a: StoredAnswer, responses: Map<string, StoredAnswer[]>) {
  if (a.kind !== 'comment') return { score: a.score ?? null, scoreKind: a.kind };
  const scored = responses.get(a.responseId) ?? [];
  for (const kind of ['nps', 'ces', 'emotion']) {
    const match = scored.find((s) => s.kind === kind && s.score !== undefined);
    if (match) return { score: match.score, scoreKind: kind };
  }
  return { score: null, scoreKind: null };
}

function recentComments(answers: readonly StoredAnswer[], responses: Map<string, StoredAnswer[]>, limit: number) {
  const out: Record<string, unknown>[] = [];
  for (let i = answers.length - 1; i >= 0 && out.length < limit; i -= 1) {
    const a = answers[i]!;
    if (typeof a.comment !== 'string' || a.comment.trim() === '') continue;
    out.push({
      id: a.id,
      answeredAt: a.answeredAt,
      touchpoint: a.touchpoint,
      stage: a.stage ?? null,
      kind: a.kind,
      ...commentScore(a, responses),
      comment: a.comment,
      seeded: a.seeded === true,
    });
  }
  return out;
}

/** Touchpoints a config lists for this report's site, in its order. */
function configuredTouchpoints(configs: readonly SiteConfig[], site: string | undefined): ConfiguredTouchpoint[] {
  const out: ConfiguredTouchpoint[] = [];
  for (const config of configs) {
    if (site && config.site && config.site !== site) continue;
    for (const tp of (Array.isArray(config.touchpoints) ? config.touchpoints : []) as Record<string, unknown>[]) {
      if (typeof tp?.id !== 'string' || out.some((t) => t.id === tp.id)) continue;
      out.push({
        id: tp.id,
        stage: typeof tp.stage === 'string' ? tp.stage : undefined,
        cesScale: configCesScale(tp),
        asks: configKinds(tp),
      });
    }
  }
  return out;
}

/**
 * Builds the report from stored answers and impressions (already filtered by time and site).
 * `configs` are widget configs (SPEC §3) giving touchpoint order, stages and CES scales; `sites`
 * every site in the store, for a site picker.
 */
export function buildReport(
  answers: readonly StoredAnswer[],
  {
    query,
    impressions = [],
    configs = [],
    sites = [],
  }: { query: ReportQuery; impressions?: readonly StoredImpression[]; configs?: readonly unknown[]; sites?: readonly string[] },
) {
  const sorted = [...answers].sort((a, b) => Date.parse(a.answeredAt) - Date.parse(b.answeredAt) || (a.id < b.id ? -1 : 1));
  const configured = configuredTouchpoints(
    configs.filter((c): c is SiteConfig => c !== null && typeof c === 'object'),
    query.site,
  );

  type Column = { id: string; stage: string | undefined; cesScale?: Scale | undefined; asks?: string[]; answers: StoredAnswer[] };
  const touchpoints = new Map<string, Column>();
  for (const tp of configured) touchpoints.set(tp.id, { ...tp, answers: [] });
  for (const a of sorted) {
    let tp = touchpoints.get(a.touchpoint);
    if (!tp) touchpoints.set(a.touchpoint, (tp = { id: a.touchpoint, stage: a.stage, answers: [] }));
    tp.stage ??= a.stage;
    tp.answers.push(a);
  }
  // Shown but never answered: after the answered ones, in the order first shown.
  const showings = showingsOf(sorted, impressions).sort((a, b) => a.start - b.start);
  const showingsByTouchpoint = new Map<string, Showing[]>();
  for (const s of showings) {
    if (!touchpoints.has(s.touchpoint)) touchpoints.set(s.touchpoint, { id: s.touchpoint, stage: s.stage, answers: [] });
    const list = showingsByTouchpoint.get(s.touchpoint);
    if (list) list.push(s);
    else showingsByTouchpoint.set(s.touchpoint, [s]);
  }
  const showingsOfTouchpoints = (ids: readonly string[]) => ids.flatMap((id) => showingsByTouchpoint.get(id) ?? []);
  const trendRange = trendWindow(query, sorted);

  // Which scale each touchpoint's CES is on: the query wins, then the config, then 7 (CES 2.0).
  const scaleOf = (tp: Column): { scale: Scale; source: string } => {
    const fromQuery = query.cesScale.byTouchpoint.get(tp.id) ?? query.cesScale.all;
    if (fromQuery) return { scale: fromQuery, source: 'query' };
    if (tp.cesScale) return { scale: tp.cesScale, source: 'config' };
    return { scale: 7, source: 'default' };
  };

  const responses = new Map<string, StoredAnswer[]>();
  for (const a of sorted) {
    const list = responses.get(a.responseId);
    if (list) list.push(a);
    else responses.set(a.responseId, [a]);
  }
  const common: Common = { compareAt: query.compareAt, responses };

  const stages = new Map<string, ({ touchpoint: string } & Record<string, unknown>)[]>();
  const scaleByTouchpoint = new Map<string, Scale>();
  for (const tp of touchpoints.values()) {
    const stage = tp.stage ?? NO_STAGE;
    let list = stages.get(stage);
    if (!list) stages.set(stage, (list = []));
    const { scale, source } = scaleOf(tp);
    scaleByTouchpoint.set(tp.id, scale);
    const summary = summarise(tp.answers, showingsOfTouchpoints([tp.id]), scale, { ...common, comments: COMMENTS_PER_GROUP });
    const asks = tp.asks ?? [...new Set(tp.answers.map((a) => a.kind).filter((k) => k !== 'comment'))];
    list.push({
      touchpoint: tp.id,
      stage,
      configured: configured.some((c) => c.id === tp.id),
      asks,
      cesScaleSource: source,
      ...summary,
      trend: touchpointTrend(tp.answers, trendMetrics(asks), scale, trendRange),
    });
  }

  /** One scale for a set of touchpoints, or null when they mix 5 and 7 points. */
  const pooledScale = (ids: readonly string[]): Scale | null => {
    const scales = new Set(
      ids.filter((id) => touchpoints.get(id)!.answers.some((a) => a.kind === 'ces')).map((id) => scaleByTouchpoint.get(id)!),
    );
    if (scales.size > 1) return null;
    return scales.size === 1 ? [...scales][0]! : 7;
  };

  const journey = [...stages].map(([stage, tps]) => {
    const ids = tps.map((t) => t.touchpoint);
    const stageAnswers = sorted.filter((a) => ids.includes(a.touchpoint));
    const summary = summarise(stageAnswers, showingsOfTouchpoints(ids), pooledScale(ids), { ...common, comments: COMMENTS_PER_GROUP });
    return { stage, summary, touchpoints: tps };
  });

  const seededAnswers = sorted.filter((a) => a.seeded);
  const labelled = seededAnswers.find((a) => typeof a.context?.seedChangeAt === 'string');
  const seedLabel = (key: string) => labelled?.context?.[key] ?? null;

  return {
    generatedAt: new Date().toISOString(),
    query: {
      from: query.from?.toISOString() ?? null,
      to: query.to?.toISOString() ?? null,
      site: query.site ?? null,
      compareAt: query.compareAt?.toISOString() ?? null,
    },
    sites,
    range: sorted.length ? { first: sorted[0]!.answeredAt, last: sorted.at(-1)!.answeredAt } : null,
    trend: trendRange && {
      unit: trendRange.unit,
      from: trendRange.from.toISOString(),
      to: trendRange.to.toISOString(),
      clipped: trendRange.clipped,
    },
    seeded: {
      answers: seededAnswers.length,
      scenario: seedLabel('seedScenario'),
      changeAt: seedLabel('seedChangeAt'),
    },
    overall: summarise(sorted, showings, pooledScale([...touchpoints.keys()]), { ...common, comments: COMMENTS_OVERALL }),
    stages: journey,
  };
}
