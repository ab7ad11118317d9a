import { describe, expect, it } from 'vitest';
import { ineligible, newVisitorState } from '../../src/eligibility';
import type { Config, Touchpoint } from '../../src/config';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23);
const tp = (over: Partial<Touchpoint> = {}): Touchpoint => ({ id: 't', prompts: ['nps'], ...over });
const config = (throttle?: Config['throttle']): Config => ({ touchpoints: [], throttle: { maxPerSession: 5, ...throttle } });

describe('eligibility', () => {
  it('is eligible by default, once per session', () => {
    expect(ineligible(tp(), { touchpoints: [] }, newVisitorState(), 0, NOW)).toBeUndefined();
    expect(ineligible(tp(), { touchpoints: [] }, newVisitorState(), 1, NOW)).toMatch(/maxPerSession/);
  });

  it('samples by the stored roll, so the same visitor gets the same answer every time', () => {
    const s = newVisitorState();
    s.roll.t = 0.3;
    expect(ineligible(tp({ sample: 0.25 }), config(), s, 0, NOW)).toBe('not in the 0.25 sample');
    expect(ineligible(tp({ sample: 0.5 }), config(), s, 0, NOW)).toBeUndefined();
    expect(ineligible(tp({ sample: 0 }), config(), { ...s, roll: { t: 0 } }, 0, NOW)).toMatch(/sample/);
  });

  it('applies cooldownDays after a showing, dismissCooldownDays after a dismissal, and once', () => {
    const s = newVisitorState();
    s.shown.t = NOW - 10 * DAY;
    expect(ineligible(tp({ cooldownDays: 30 }), config(), s, 0, NOW)).toMatch(/cooldownDays/);
    expect(ineligible(tp({ cooldownDays: 7 }), config(), s, 0, NOW)).toBeUndefined();
    expect(ineligible(tp({ once: true }), config(), s, 0, NOW)).toMatch(/once/);
    s.dismissed.t = NOW - DAY;
    expect(ineligible(tp({ dismissCooldownDays: 2 }), config(), s, 0, NOW)).toMatch(/dismissCooldownDays/);
    expect(ineligible(tp({ dismissCooldownDays: 1 }), config(), s, 0, NOW)).toBeUndefined();
  });

  it('guards against fatigue across touchpoints', () => {
    const s = newVisitorState();
    s.lastShown = NOW - 3 * DAY;
    expect(ineligible(tp({ id: 'other' }), config({ minDaysBetweenSurveys: 7 }), s, 0, NOW)).toMatch(/minDaysBetweenSurveys/);
    expect(ineligible(tp({ id: 'other' }), config({ minDaysBetweenSurveys: 2 }), s, 0, NOW)).toBeUndefined();
    expect(ineligible(tp(), config({ maxPerSession: 2 }), s, 2, NOW)).toMatch(/maxPerSession/);
  });

  it('does not let a clock moved back lock a touchpoint out', () => {
    const s = newVisitorState();
    s.shown.t = NOW + 365 * DAY;
    expect(ineligible(tp({ cooldownDays: 30 }), config(), s, 0, NOW)).toBeUndefined();
  });
});
