// Number and label formatting shared by the dashboard's components.

export const METRICS = {
  nps: { label: 'NPS', long: 'Net Promoter Score', min: -100, max: 100, digits: 0 },
  ces: { label: 'CES', long: 'Customer Effort Score (mean agreement)', min: 1, max: 7, digits: 2 },
  nev: { label: 'NEV', long: 'Net Emotional Value', min: -100, max: 100, digits: 0 },
};

const MINUS = '\u2212';

/** A number with its sign (+12, −3), a true minus sign, `digits` decimals. */
export function signed(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value > 0 ? '+' : MINUS}${text}`;
}

/** The headline value of a metric: NPS and NEV signed, CES plain. */
export function metricValue(metric, value) {
  if (value === null || value === undefined) return '–';
  return metric === 'ces' ? value.toFixed(2) : signed(value, 0);
}

export function intervalText(metric, ci) {
  if (!ci) return 'no interval yet';
  return `95% CI ${metricValue(metric, ci[0])} to ${metricValue(metric, ci[1])}`;
}

/** `1 answer`, `3 answers`. */
export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const wordLabel = (key) => key.replaceAll('_', ' ');

/** A share 0..1 as a whole percentage: `0.336` → `34%`. */
export const percent = (share) => (share === null || share === undefined ? '–' : `${Math.round(100 * share)}%`);

/** A response rate with its interval: `34% (95% CI 26–43%)`. */
export const rateText = (rr) => `${percent(rr.rate)} (95% CI ${percent(rr.ci95[0])}–${percent(rr.ci95[1])})`;

const dayFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const clockFormat = new Intl.DateTimeFormat('en', { timeStyle: 'medium' });
const bucketFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export const day = (iso) => dayFormat.format(new Date(iso));
export const when = (iso) => timeFormat.format(new Date(iso));
export const clock = (date) => clockFormat.format(date);

/** A trend bucket's axis label: its first day, `Oct 26` (a week is named by its Monday). */
export const bucketLabel = (start) => bucketFormat.format(new Date(start));

/** `2026-10-26T00:00:00.000Z` → `2026-10-26`, the value of a date input. */
export const dateInput = (iso) => (iso ? iso.slice(0, 10) : '');

export function scoreLabel(comment) {
  if (comment.score === null || comment.score === undefined) return '–';
  const kind = { nps: 'NPS', ces: 'CES', emotion: 'Feeling' }[comment.scoreKind] ?? '';
  return `${kind} ${comment.score}`.trim();
}

/** Words and classes for a before/after verdict; colour only where the interval excludes zero. */
export function verdictView(c) {
  switch (c?.verdict) {
    case 'better':
      return { cls: 'delta better', mark: '▲', word: 'better' };
    case 'worse':
      return { cls: 'delta worse', mark: '▼', word: 'worse' };
    case 'no clear change':
      return { cls: 'delta unclear', mark: '◆', word: 'no clear change' };
    default:
      return { cls: 'delta unclear', mark: '·', word: 'not enough answers' };
  }
}
