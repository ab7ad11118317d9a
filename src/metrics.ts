import { EMOTIONS, emotionValence, type Emotion } from './emotions';
import { MIN_ANSWERS, Z95, adjustedWald, around, paddedMean, wilson, type Interval, type Spread } from './intervals';
import { choiceRates, type WordRate } from './wordRates';

export { MIN_ANSWERS, type Interval } from './intervals';
export { wordRates, type WordRate, type WordRateAnswer } from './wordRates';
export { trend, trendUnit, DAILY_UP_TO_DAYS, MAX_BUCKETS, type TrendBucket, type TrendRange, type TrendUnit } from './trend';

/**
 * Survey metrics (SPEC §6), shared by the widget package, the reference collector and the
 * dashboard, so every place reports the same numbers.
 *
 * Conventions, chosen so results serialise to JSON without surprises:
 * - A statistic that is undefined for the input is `null`, never `NaN`: with no answers there is
 *   no score, no `se` and no `ci95`. From the first answer on every interval exists and none
 *   collapses to a point, however alike the answers are (see src/intervals.ts for the methods).
 * - `enough` is false below {@link MIN_ANSWERS}: a report then says "too few answers" instead of
 *   a number, so the collector and the dashboard apply one rule.
 * - `ci95` and `se` belong to the headline statistic (`score` for NPS and NEV, `mean` for CES
 *   and CSAT), which is what {@link compare} compares; a share has its own Wilson interval.
 *   Shares are percentages 0..100 in CES and CSAT results, and 0..1 everywhere else.
 * - A score outside its scale, a non-integer or an unknown emotion word throws a `RangeError`
 *   naming where it is: one bad record must not quietly bend a report.
 */

/** {@link nps} result; the three groups are counts. */
export interface NpsResult {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  score: number | null;
  se: number | null;
  ci95: Interval | null;
  enough: boolean;
}

/** {@link ces} result; `agreePct` is 0..100. */
export interface CesResult {
  n: number;
  mean: number | null;
  se: number | null;
  ci95: Interval | null;
  agreePct: number | null;
  agreeCi95: Interval | null;
  enough: boolean;
}

/** {@link csat} result; `satisfiedPct` is 0..100. */
export interface CsatResult {
  n: number;
  mean: number | null;
  se: number | null;
  ci95: Interval | null;
  satisfiedPct: number | null;
  satisfiedCi95: Interval | null;
  enough: boolean;
}

/** The part of an answer NEV reads, so a stored `Answer` can be passed as it is. */
export interface NevAnswer {
  score?: number;
  emotions?: readonly string[];
  /** The words offered in that showing, when the client recorded them. */
  offered?: readonly string[];
}

/** {@link nev} result; `positive` and `negative` are shares 0..1 of answers. */
export interface NevResult {
  n: number;
  score: number | null;
  se: number | null;
  ci95: Interval | null;
  positive: number | null;
  negative: number | null;
  /** The most chosen words by count, at most 5. */
  topWords: { word: Emotion; count: number }[];
  /** {@link wordRates} of the answers that record `offered`; empty when none do. */
  wordRates: WordRate[];
  enough: boolean;
}

/** {@link responseRate} result: `rate` and `ci95` are shares 0..1 of the showings. */
export interface ResponseRate {
  /** Showings. */
  n: number;
  rate: number | null;
  ci95: Interval | null;
  enough: boolean;
}

/** A metric {@link compare} understands. */
export type Metric = 'nps' | 'ces' | 'csat' | 'nev';

/** {@link compare} result: both summaries, so a report can show them next to the change. */
export interface Comparison<R> {
  before: R;
  after: R;
  delta: number | null;
  ci95: Interval | null;
  excludesZero: boolean;
  /** Both sides have {@link MIN_ANSWERS}. */
  enough: boolean;
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function checkInt(fn: string, where: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${fn}: ${where} is ${show(value)}, expected an integer ${min}..${max}`);
  }
}

const checkScores = (fn: string, scores: readonly number[], min: number, max: number): void =>
  scores.forEach((s, i) => checkInt(fn, `scores[${i}]`, s, min, max));

const enough = (n: number): boolean => n >= MIN_ANSWERS;

/** The public part of a spread: the statistic's `se` and `ci95`, or nulls for no answers. */
const spreadOf = (s: Spread | null) => ({ se: s?.se ?? null, ci95: s?.ci95 ?? null });

/** Wilson interval for k of n in percent, as CES and CSAT report their shares. */
function wilsonPct(k: number, n: number): Interval | null {
  const ci = wilson(k, n);
  return ci && [100 * ci[0], 100 * ci[1]];
}

/**
 * Share of showings that got an answer, with a Wilson score interval; `shown` and `answered`
 * are counts of showings, so the result is a share 0..1 (30 of 100: 0.3, 0.219..0.396).
 * `enough` once {@link MIN_ANSWERS} showings are counted.
 */
export function responseRate(counts: { shown: number; answered: number }): ResponseRate {
  if (typeof counts !== 'object' || counts === null) {
    throw new RangeError(`responseRate: expected { shown, answered }, got ${show(counts)}`);
  }
  const { shown, answered } = counts;
  const count = (where: string, value: unknown) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new RangeError(`responseRate: ${where} is ${show(value)}, expected a count of showings (an integer 0 or more)`);
    }
  };
  count('shown', shown);
  count('answered', answered);
  if (answered > shown) {
    throw new RangeError(
      `responseRate: answered (${answered}) is more than shown (${shown}); count each answered showing once, and every showing as shown`,
    );
  }
  return { n: shown, rate: shown ? answered / shown : null, ci95: wilson(answered, shown), enough: enough(shown) };
}

/** A result and the centre its interval was built around, which {@link compare} subtracts. */
interface Summary<R> {
  result: R;
  spread: Spread | null;
}

function npsSummary(scores: readonly number[]): Summary<NpsResult> {
  checkScores('nps', scores, 0, 10);
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const spread = adjustedWald(
    scores.map((s) => (s >= 9 ? 100 : s <= 6 ? -100 : 0)),
    -100,
    100,
  );
  const score = n ? (100 * (promoters - detractors)) / n : null;
  return {
    result: { n, promoters, passives: n - promoters - detractors, detractors, score, ...spreadOf(spread), enough: enough(n) },
    spread,
  };
}

/**
 * Net Promoter Score of 0..10 answers: 100 × (promoter share − detractor share). `ci95` is Rocks'
 * adjusted Wald interval: with P̃ = (promoters + ¾) / (n + 3) and D̃ = (detractors + ¾) / (n + 3),
 * 100·(P̃ − D̃) ± 1.96 · 100·√((P̃ + D̃ − (P̃ − D̃)²) / (n + 3)), clamped to −100..100. It is centred
 * on the adjusted score, so at n = 1 it need not reach the lone answer's ±100.
 */
export function nps(scores: readonly number[]): NpsResult {
  return npsSummary(scores).result;
}

/** Mean and top-box share of a 1..scale rating: CES and CSAT differ only in names and cut-off. */
function ratingSummary(fn: string, scores: readonly number[], scale: number, topFrom: number) {
  checkScores(fn, scores, 1, scale);
  const n = scores.length;
  const k = scores.filter((s) => s >= topFrom).length;
  const spread = paddedMean(scores, 1, scale);
  return { n, mean: spread?.centre ?? null, ...spreadOf(spread), pct: n ? (100 * k) / n : null, pctCi95: wilsonPct(k, n), spread };
}

function cesSummary(scores: readonly number[], scale: 5 | 7 = 7): Summary<CesResult> {
  if (scale !== 5 && scale !== 7) throw new RangeError(`ces: scale is ${show(scale)}, expected 5 or 7`);
  const { pct, pctCi95, spread, ...mean } = ratingSummary('ces', scores, scale, scale === 7 ? 5 : 4);
  return { result: { ...mean, agreePct: pct, agreeCi95: pctCi95, enough: enough(mean.n) }, spread };
}

/**
 * Customer Effort Score (CES 2.0) on a 1..7 or 1..5 agreement scale: the mean, and the share
 * that agrees (5..7 of 7, 4..5 of 5) with a Wilson interval. The mean's `ci95` is a normal
 * interval whose spread includes half a pseudo-answer at each end of the scale,
 * SE = √(Σ(x − x̄)² + ½(1 − x̄)² + ½(scale − x̄)²) / n, clamped to the scale.
 */
export function ces(scores: readonly number[], scale: 5 | 7 = 7): CesResult {
  return cesSummary(scores, scale).result;
}

function csatSummary(scores: readonly number[], scale = 5): Summary<CsatResult> {
  // Top two boxes only mean "satisfied" when neither of them is the neutral midpoint.
  checkInt('csat', 'scale', scale, 4, 10);
  const { pct, pctCi95, spread, ...mean } = ratingSummary('csat', scores, scale, scale - 1);
  return { result: { ...mean, satisfiedPct: pct, satisfiedCi95: pctCi95, enough: enough(mean.n) }, spread };
}

/**
 * Customer satisfaction on a 1..scale rating: the mean, with the interval {@link ces} uses, and
 * the top-two-box share that most tools call "CSAT %", with a Wilson interval.
 */
export function csat(scores: readonly number[], scale = 5): CsatResult {
  return csatSummary(scores, scale).result;
}

const isEmotion = (word: unknown): word is Emotion => (EMOTIONS as readonly unknown[]).includes(word);

function valence(answer: NevAnswer, i: number): number {
  const words = answer.emotions ?? [];
  if (answer.score !== undefined) checkInt('nev', `answers[${i}].score`, answer.score, 1, 10);
  words.forEach((word, j) => {
    const where = `nev: answers[${i}].emotions[${j}] is ${show(word)}`;
    if (!isEmotion(word)) throw new RangeError(`${where}, expected one of the ${EMOTIONS.length} NEV word keys`);
    if (words.indexOf(word) !== j) throw new RangeError(`${where} again, expected each word at most once`);
  });
  if (words.length > 0) return words.reduce((sum, w) => sum + emotionValence(w as Emotion), 0) / words.length;
  if (answer.score === undefined) throw new RangeError(`nev: answers[${i}] has neither a feeling score nor emotion words`);
  return answer.score >= 8 ? 1 : answer.score <= 4 ? -1 : 0;
}

function nevSummary(answers: readonly NevAnswer[]): Summary<NevResult> {
  const valences = answers.map(valence);
  const n = valences.length;
  const counts = new Map<Emotion, number>();
  for (const answer of answers) {
    for (const word of answer.emotions ?? []) counts.set(word as Emotion, (counts.get(word as Emotion) ?? 0) + 1);
  }
  const topWords = [...counts]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1))
    .slice(0, 5);
  const spread = adjustedWald(
    valences.map((v) => 100 * v),
    -100,
    100,
  );
  const share = (keep: (v: number) => boolean) => (n ? valences.filter(keep).length / n : null);
  const score = n ? (100 * valences.reduce((sum, v) => sum + v, 0)) / n : null;
  return {
    result: {
      n,
      score,
      ...spreadOf(spread),
      positive: share((v) => v > 0),
      negative: share((v) => v < 0),
      topWords,
      wordRates: choiceRates('nev', answers),
      enough: enough(n),
    },
    spread,
  };
}

/**
 * Net Emotional Value, −100..100 (SPEC §6): 100 × the mean answer valence, where an answer's
 * valence is (positive − negative words) / words chosen, or from its feeling score (8..10 → +1,
 * 1..4 → −1, 5..7 → 0) when it has no words. `ci95` is the adjusted Wald interval of {@link nps}
 * on the valences, which are mostly −1, 0 or +1 as NPS groups are: ¾ of a pseudo-answer at each
 * end and 1½ at 0, so answers of those three values get exactly the NPS interval.
 * `topWords`: at most 5, most chosen first, ties alphabetical. `wordRates`: choice rates of the
 * answers that record `offered` (see {@link wordRates}); a report should rank words by those
 * when there are any, since counts favour the words offered more often.
 */
export function nev(answers: readonly NevAnswer[]): NevResult {
  return nevSummary(answers).result;
}

/**
 * Change of a metric between two independent samples (before/after a release, or a touchpoint
 * suspected of being an accelerator or a blocker): delta = after − before of `score` (NPS, NEV)
 * or `mean` (CES, CSAT). The interval is centred on the difference of the two centres the
 * one-sample intervals use (the adjusted scores for NPS and NEV, so it is pulled towards zero at
 * small n; the means for CES and CSAT) ± 1.96·√(SE_before² + SE_after²), with the same standard
 * errors, clamped to the largest possible change. It exists once each side has an answer;
 * `enough` says whether both have {@link MIN_ANSWERS}. `scale` is passed to CES or CSAT.
 */
export function compare(before: readonly number[], after: readonly number[], metric: 'nps'): Comparison<NpsResult>;
export function compare(before: readonly number[], after: readonly number[], metric: 'ces', scale?: 5 | 7): Comparison<CesResult>;
export function compare(before: readonly number[], after: readonly number[], metric: 'csat', scale?: number): Comparison<CsatResult>;
export function compare(before: readonly NevAnswer[], after: readonly NevAnswer[], metric: 'nev'): Comparison<NevResult>;
export function compare(
  before: readonly (number | NevAnswer)[],
  after: readonly (number | NevAnswer)[],
  metric: Metric,
  scale?: number,
): Comparison<NpsResult | CesResult | CsatResult | NevResult> {
  const summarise = (input: readonly (number | NevAnswer)[]): Summary<NpsResult | CesResult | CsatResult | NevResult> => {
    const scores = input as readonly number[];
    switch (metric) {
      case 'nps':
        return npsSummary(scores);
      case 'ces':
        return cesSummary(scores, scale as 5 | 7 | undefined);
      case 'csat':
        return csatSummary(scores, scale);
      case 'nev':
        return nevSummary(input as readonly NevAnswer[]);
      default:
        throw new RangeError(`compare: metric is ${show(metric)}, expected nps, ces, csat or nev`);
    }
  };
  const [b, a] = [summarise(before), summarise(after)];
  const value = (r: NpsResult | CesResult | CsatResult | NevResult) => ('mean' in r ? r.mean : r.score);
  const [vb, va] = [value(b.result), value(a.result)];
  const delta = vb === null || va === null ? null : va - vb;
  const widest = metric === 'nps' || metric === 'nev' ? 200 : (scale ?? (metric === 'ces' ? 7 : 5)) - 1;
  const ci95 =
    b.spread && a.spread ? around(a.spread.centre - b.spread.centre, Z95 * Math.hypot(b.spread.se, a.spread.se), -widest, widest) : null;
  return {
    before: b.result,
    after: a.result,
    delta,
    ci95,
    excludesZero: ci95 !== null && (ci95[0] > 0 || ci95[1] < 0),
    enough: b.result.enough && a.result.enough,
  };
}
