import type { Answer } from '../../src/answer';

/** A valid NPS answer; override any field. */
export function makeAnswer(over: Partial<Answer> = {}): Answer {
  return {
    id: crypto.randomUUID(),
    responseId: 'r1',
    touchpoint: 'checkout_complete',
    kind: 'nps',
    score: 9,
    emotions: [],
    answeredAt: new Date().toISOString(),
    v: 1,
    ...over,
  };
}
