// Showings for the report's response rates: each showing of a touchpoint put together from its
// impressions (SPEC §5) and its answers (SPEC §4), which share its responseId.
import { responseRate, type Interval, type ResponseRate } from '../src/metrics';
import type { StoredAnswer, StoredImpression } from './store';

/** One showing of one touchpoint. */
export interface Showing {
  touchpoint: string;
  stage: string | undefined;
  /** The earliest time any of its records carries, in ms: the side of a comparison it falls on. */
  start: number;
  /** A 'shown' impression of it was stored. */
  shown: boolean;
  dismissed: boolean;
  /** It has at least one scored answer (NPS, CES or feeling). */
  answered: boolean;
}

/** What the report says about some showings. */
export interface ShowingCounts {
  /** Showings: those with a 'shown' impression, plus those known only from an answer or a dismissal. */
  shown: number;
  /** Showings with at least one scored answer. */
  answered: number;
  /** Showings dismissed before any answer. */
  dismissed: number;
  /** Showings without a 'shown' impression (sent by an older widget, or with impressions off). */
  withoutImpression: number;
  responseRate: ResponseRate;
}

/** A response rate before and after a date, and whether it changed (see {@link rateChange}). */
export interface RateChange {
  before: ShowingCounts;
  after: ShowingCounts;
  /** after − before, as a share 0..1. */
  delta: number | null;
  ci95: Interval | null;
  excludesZero: boolean;
  /** Both sides have enough showings. */
  enough: boolean;
  /** Enough showings on both sides and an interval that excludes zero. */
  changed: boolean;
  warning: string | null;
}

const SCORED = new Set(['nps', 'ces', 'emotion']);

/**
 * The showings behind some answers and impressions. A responseId names one showing of one
 * touchpoint; a follow-up comment record says nothing its scored answer does not, so it is not read.
 */
export function showingsOf(answers: readonly StoredAnswer[], impressions: readonly StoredImpression[]): Showing[] {
  const byKey = new Map<string, Showing>();
  const showing = (touchpoint: string, responseId: string, stage: string | undefined, time: number) => {
    const key = `${touchpoint}\u0000${responseId}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { touchpoint, stage, start: time, shown: false, dismissed: false, answered: false }));
    s.start = Math.min(s.start, time);
    s.stage ??= stage;
    return s;
  };
  for (const i of impressions) {
    const s = showing(i.touchpoint, i.responseId, i.stage, Date.parse(i.at));
    if (i.event === 'shown') s.shown = true;
    else s.dismissed = true;
  }
  for (const a of answers) {
    if (SCORED.has(a.kind)) showing(a.touchpoint, a.responseId, a.stage, Date.parse(a.answeredAt)).answered = true;
  }
  return [...byKey.values()];
}

/** Counts and the response rate (Wilson interval) of some showings. */
export function countShowings(showings: readonly Showing[]): ShowingCounts {
  const answered = showings.filter((s) => s.answered).length;
  return {
    shown: showings.length,
    answered,
    dismissed: showings.filter((s) => s.dismissed && !s.answered).length,
    withoutImpression: showings.filter((s) => !s.shown).length,
    responseRate: responseRate({ shown: showings.length, answered }),
  };
}

const percent = (share: number | null) => `${Math.round(100 * (share ?? 0))}%`;

/**
 * The change of the response rate between two sets of showings. Its interval is Newcombe's
 * hybrid score interval for a difference of two proportions (Newcombe 1998, method 10), built
 * from the two Wilson intervals: with p₁ ∈ [l₁, u₁] before and p₂ ∈ [l₂, u₂] after,
 * p₂ − p₁ − √((p₂ − l₂)² + (u₁ − p₁)²) to p₂ − p₁ + √((u₂ − p₂)² + (p₁ − l₁)²). It is `changed`
 * when both sides have enough showings and the interval excludes zero: then the answers after
 * may come from a different mix of people than those before, whatever the scores say.
 */
export function rateChange(before: ShowingCounts, after: ShowingCounts): RateChange {
  const [b, a] = [before.responseRate, after.responseRate];
  let delta: number | null = null;
  let ci95: Interval | null = null;
  if (b.rate !== null && a.rate !== null && b.ci95 && a.ci95) {
    delta = a.rate - b.rate;
    ci95 = [delta - Math.hypot(a.rate - a.ci95[0], b.ci95[1] - b.rate), delta + Math.hypot(a.ci95[1] - a.rate, b.rate - b.ci95[0])];
  }
  const excludesZero = ci95 !== null && (ci95[0] > 0 || ci95[1] < 0);
  const enough = b.enough && a.enough;
  const changed = enough && excludesZero;
  return {
    before,
    after,
    delta,
    ci95,
    excludesZero,
    enough,
    changed,
    warning: changed
      ? `The response rate changed from ${percent(b.rate)} to ${percent(a.rate)}: the after figures may come from different people.`
      : null,
  };
}
