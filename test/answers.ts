import type { Answer } from '../src/answer';

/**
 * The one factory of test answers, for unit, node and browser tests: a valid NPS answer with
 * every optional field a real one carries. `overrides` may set a field to `undefined` to leave it
 * out, or to a value the schema refuses (the collector's tests post those on purpose).
 */
export function makeAnswer(overrides: Partial<Record<keyof Answer, unknown>> & Record<string, unknown> = {}): Answer {
  const a: Record<string, unknown> = {
    id: crypto.randomUUID(),
    responseId: crypto.randomUUID(),
    touchpoint: 'checkout_complete',
    stage: 'purchase',
    kind: 'nps',
    score: 9,
    emotions: [],
    site: 'shop-eu',
    locale: 'en',
    url: 'https://shop.example.com/thanks',
    answeredAt: new Date().toISOString(),
    v: 1,
    ...overrides,
  };
  for (const key of Object.keys(a)) if (a[key] === undefined) delete a[key];
  return a as Answer;
}
