/**
 * moodpoint for bundlers: the same operations as the script tag's `moodpoint(...)` commands, and
 * the metric functions shared with the collector.
 */
export { init, trigger, show, identify, consent, flush, on, destroy } from './api';
export { nps, ces, csat, nev, compare, responseRate, wordRates, trend, trendUnit, MIN_ANSWERS } from './metrics';
export { answerSchema, batchSchema, impressionSchema, type Answer, type Impression } from './answer';
export { configSchema, type Config, type Touchpoint, type PromptConfig, type Kind } from './config';
export { EMOTIONS, EMOTION_GROUPS, type Emotion } from './emotions';
export type { EventMap, EventName, Handler } from './emitter';
