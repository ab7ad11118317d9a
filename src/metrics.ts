import { EMOTIONS, emotionValence, type Emotion } from './emotions';

/**
 * Survey metrics (SPEC §6), shared by the widget package, the reference collector and the
 * dashboard, so every place reports the same numbers.
 *
 * Conventions, chosen so results serialise to JSON without surprises:
 * - A statistic that is undefined for the input is `null`, never `NaN`: with no answers there is
 *   no score; with one answer there is a score but no `ci95` or `se`, because a spread cannot be
 *   estimated from one value. Wilson intervals on shares need no spread estimate, so they exist
 *   from the first answer.
 * - `ci95` and `se` belong to the headline statistic (`score` for NPS and NEV, `mean` for CES
 *   and CSAT), which is what {@link compare} compares; a share has its own Wilson interval.
 * - A score outside its scale, a non-integer or an unknown emotion word throws a `RangeError`
 *   naming where it is: one bad record must not quietly bend a report.
 */

/** A 95% interval, `[lo, hi]`. */
export type Interval = [lo: number, hi: number];

/** {@link nps} result; the three groups are counts. */
export interface NpsResult {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  score: number | null;
  se: number | null;
  ci95: Interval | null;
}

/** {@link ces} result; `agreePct` is 0..100. */
export interface CesResult {
  n: number;
  mean: number | null;
  se: number | null;
  ci95: Interval | null;
  agreePct: number | null;
  agreeCi95: Interval | null;
}

/** {@link csat} result; `satisfiedPct` is 0..100. */
export interface CsatResult {
  n: number;
  mean: number | null;
  se: number | null;
  ci95: Interval | null;
  satisfiedPct: number | null;
  satisfiedCi95: Interval | null;
}

/** The part of an answer NEV reads, so a stored `Answer` can be passed as it is. */
export interface NevAnswer {
  score?: number;
  emotions?: readonly string[];
}

/** {@link nev} result; `positive` and `negative` are shares 0..1 of answers. */
export interface NevResult {
  n: number;
  score: number | null;
  se: number | null;
  ci95: Interval | null;
  positive: number | null;
  negative: number | null;
  topWords: { word: Emotion; count: number }[];
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
}

const Z95 = 1.96;
// Two-sided 95% t critical values for df 1..30.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Beyond the table a first-order Cornish-Fisher term keeps the value within 0.2% of t, where a bare 1.96 would be 4% short at df 31. */
const t95 = (df: number): number => T95[df - 1] ?? Z95 + (Z95 ** 3 + Z95) / (4 * df);

const around = (centre: number, half: number, lo: number, hi: number): Interval => [
  Math.max(lo, centre - half),
  Math.min(hi, centre + half),
];

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function checkInt(fn: string, where: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${fn}: ${where} is ${show(value)}, expected an integer ${min}..${max}`);
  }
}

const checkScores = (fn: string, scores: readonly number[], min: number, max: number): void =>
  scores.forEach((s, i) => checkInt(fn, `scores[${i}]`, s, min, max));

/** Mean with a Student t interval (sample sd, df = n − 1), clamped to the scale it lives on. */
function meanStats(xs: readonly number[], lo: number, hi: number): Pick<CesResult, 'mean' | 'se' | 'ci95'> {
  const n = xs.length;
  if (n === 0) return { mean: null, se: null, ci95: null };
  const mean = xs.reduce((sum, x) => sum + x, 0) / n;
  if (n === 1) return { mean, se: null, ci95: null };
  const se = Math.sqrt(xs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1) / n);
  return { mean, se, ci95: around(mean, t95(n - 1) * se, lo, hi) };
}

/** Wilson score interval for k of n, in percent; unlike the Wald interval it stays honest at 0% and 100%. */
function wilson(k: number, n: number): Interval | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = Z95 ** 2;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return around(100 * centre, 100 * half, 0, 100);
}

/** Mean and top-box share of a 1..scale rating: CES and CSAT differ only in names and cut-off. */
function rating(fn: string, scores: readonly number[], scale: number, topFrom: number) {
  checkScores(fn, scores, 1, scale);
  const n = scores.length;
  const k = scores.filter((s) => s >= topFrom).length;
  return { n, ...meanStats(scores, 1, scale), pct: n ? (100 * k) / n : null, pctCi95: wilson(k, n) };
}

/**
 * Net Promoter Score of 0..10 answers: 100 × (promoter share − detractor share).
 * `ci95` is the usual normal (Wald) interval with SE = 100·√((p + d − (p − d)²) / n), clamped to
 * −100..100; it collapses to a point when every answer is in the same group.
 */
export function nps(scores: readonly number[]): NpsResult {
  checkScores('nps', scores, 0, 10);
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const counts = { n, promoters, passives: n - promoters - detractors, detractors };
  if (n === 0) return { ...counts, score: null, se: null, ci95: null };
  const score = (100 * (promoters - detractors)) / n;
  if (n === 1) return { ...counts, score, se: null, ci95: null };
  const [p, d] = [promoters / n, detractors / n];
  const se = 100 * Math.sqrt((p + d - (p - d) ** 2) / n);
  return { ...counts, score, se, ci95: around(score, Z95 * se, -100, 100) };
}

/**
 * Customer Effort Score (CES 2.0) on a 1..7 or 1..5 agreement scale: the mean, with a Student t
 * interval, and the share that agrees (5..7 of 7, 4..5 of 5) with a Wilson interval.
 */
export function ces(scores: readonly number[], scale: 5 | 7 = 7): CesResult {
  if (scale !== 5 && scale !== 7) throw new RangeError(`ces: scale is ${show(scale)}, expected 5 or 7`);
  const { pct, pctCi95, ...mean } = rating('ces', scores, scale, scale === 7 ? 5 : 4);
  return { ...mean, agreePct: pct, agreeCi95: pctCi95 };
}

/**
 * Customer satisfaction on a 1..scale rating: the mean, with a Student t interval, and the
 * top-two-box share that most tools call "CSAT %", with a Wilson interval.
 */
export function csat(scores: readonly number[], scale = 5): CsatResult {
  // Top two boxes only mean "satisfied" when neither of them is the neutral midpoint.
  checkInt('csat', 'scale', scale, 4, 10);
  const { pct, pctCi95, ...mean } = rating('csat', scores, scale, scale - 1);
  return { ...mean, satisfiedPct: pct, satisfiedCi95: pctCi95 };
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

/**
 * Net Emotional Value, −100..100 (SPEC §6): 100 × the mean answer valence, where an answer's
 * valence is (positive − negative words) / words chosen, or from its feeling score (8..10 → +1,
 * 1..4 → −1, 5..7 → 0) when it has no words. `ci95` is a Student t interval on that mean,
 * clamped to −100..100. `topWords`: at most 5, most chosen first, ties alphabetical.
 */
export function nev(answers: readonly NevAnswer[]): NevResult {
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
  const { mean, se, ci95 } = meanStats(
    valences.map((v) => 100 * v),
    -100,
    100,
  );
  const share = (keep: (v: number) => boolean) => (n ? valences.filter(keep).length / n : null);
  return { n, score: mean, se, ci95, positive: share((v) => v > 0), negative: share((v) => v < 0), topWords };
}

/**
 * Change of a metric between two independent samples (before/after a release, or a touchpoint
 * suspected of being an accelerator or a blocker): delta = after − before of `score` (NPS, NEV)
 * or `mean` (CES, CSAT). The interval is a Welch-style normal approximation,
 * delta ± 1.96·√(SE_before² + SE_after²), so it is somewhat optimistic below ~30 answers a side;
 * it is `null` while either side has fewer than two answers. `scale` is passed to CES or CSAT.
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
  const summarise = (input: readonly (number | NevAnswer)[]) => {
    const scores = input as readonly number[];
    switch (metric) {
      case 'nps':
        return nps(scores);
      case 'ces':
        return ces(scores, scale as 5 | 7 | undefined);
      case 'csat':
        return csat(scores, scale);
      case 'nev':
        return nev(input as readonly NevAnswer[]);
      default:
        throw new RangeError(`compare: metric is ${show(metric)}, expected nps, ces, csat or nev`);
    }
  };
  const [b, a] = [summarise(before), summarise(after)];
  const [vb, va] = ['mean' in b ? b.mean : b.score, 'mean' in a ? a.mean : a.score];
  const delta = vb === null || va === null ? null : va - vb;
  const half = b.se === null || a.se === null ? null : Z95 * Math.hypot(b.se, a.se);
  const ci95: Interval | null = delta === null || half === null ? null : [delta - half, delta + half];
  return { before: b, after: a, delta, ci95, excludesZero: ci95 !== null && (ci95[0] > 0 || ci95[1] < 0) };
}
