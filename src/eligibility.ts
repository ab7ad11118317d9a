import type { Config, Touchpoint } from './config';

/** What the widget remembers about this browser (no identifier, no cookies). */
export interface VisitorState {
  /** Page views, counted at each load and single-page-app navigation. */
  views: number;
  /** A random number per touchpoint drawn once: shown when it is below `sample`, so reloads do not re-roll. */
  roll: Record<string, number>;
  shown: Record<string, number>;
  dismissed: Record<string, number>;
  lastShown?: number;
}

const DAY = 86_400_000;

/** A fresh state. */
export const newVisitorState = (): VisitorState => ({ views: 0, roll: {}, shown: {}, dismissed: {} });

/** Default fatigue guard: one survey per browsing session. */
export const DEFAULT_MAX_PER_SESSION = 1;

/** True while `since` is within `days` before `now`; a time in the future (clock moved back) does not count. */
function within(since: number | undefined, days: number | undefined, now: number): boolean {
  return !!days && since !== undefined && since <= now && now - since < days * DAY;
}

/**
 * Why a touchpoint may not be shown now, or `undefined` when it may. Pure: the roll for `sample`
 * must already be in `state`.
 */
export function ineligible(t: Touchpoint, config: Config, state: VisitorState, shownThisSession: number, now: number): string | undefined {
  const throttle = config.throttle ?? {};
  if ((state.roll[t.id] ?? 0) >= (t.sample ?? 1)) return `not in the ${t.sample} sample`;
  if (t.once && state.shown[t.id] !== undefined) return 'shown once already ("once")';
  if (within(state.shown[t.id], t.cooldownDays, now)) return `shown less than ${t.cooldownDays} days ago ("cooldownDays")`;
  if (within(state.dismissed[t.id], t.dismissCooldownDays, now))
    return `dismissed less than ${t.dismissCooldownDays} days ago ("dismissCooldownDays")`;
  if (within(state.lastShown, throttle.minDaysBetweenSurveys, now))
    return `a survey was shown less than ${throttle.minDaysBetweenSurveys} days ago ("throttle.minDaysBetweenSurveys")`;
  if (shownThisSession >= (throttle.maxPerSession ?? DEFAULT_MAX_PER_SESSION))
    return `${shownThisSession} survey(s) shown this session ("throttle.maxPerSession")`;
  return undefined;
}
