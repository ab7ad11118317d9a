import type { Emotion } from '../emotions';

/**
 * The keys of the interface strings, apart from the 20 emotion words (whose keys are their NEV
 * keys). The config schema needs only these names, not the English texts, so the loader carries
 * a list of keys and the prompt file carries the words.
 */
export const UI_KEYS = [
  'nps',
  'npsLow',
  'npsHigh',
  'ces',
  'ces7',
  'ces5',
  'emotion',
  'emotionLow',
  'emotionHigh',
  'words',
  'more',
  'followUp',
  'send',
  'skip',
  'close',
  'thanks',
  'progress',
  'brand',
  'task',
] as const;

/** A key of a string that config `strings`, the touchpoint or the prompt may override. */
export type StringKey = (typeof UI_KEYS)[number] | Emotion;
