/**
 * The 20 words of Net Emotional Value (Shaw, "The DNA of Customer Experience"), by key, in
 * Shaw's four groups: three positive clusters (attention, recommendation, advocacy) and the
 * destroying emotions. A key is the English word in lower case with `_` for a space; answers
 * store keys in every locale.
 */
export const EMOTION_GROUPS = {
  attention: ['interested', 'energetic', 'stimulated', 'exploratory', 'indulgent'],
  recommendation: ['trusting', 'valued', 'cared_for', 'safe', 'focused'],
  advocacy: ['happy', 'pleased'],
  destroying: ['irritated', 'hurried', 'neglected', 'unhappy', 'unsatisfied', 'stressed', 'disappointed', 'frustrated'],
} as const;

/** Shaw's positive clusters, in the order he lists them. */
export const POSITIVE_GROUPS = ['attention', 'recommendation', 'advocacy'] as const;

/** The destroying emotions. */
export const NEGATIVE_EMOTIONS = EMOTION_GROUPS.destroying;

/** Positive NEV words: attention, recommendation and advocacy clusters, in that order. */
export const POSITIVE_EMOTIONS = [...EMOTION_GROUPS.attention, ...EMOTION_GROUPS.recommendation, ...EMOTION_GROUPS.advocacy] as const;

/** Every NEV word key, negative first. */
export const EMOTIONS = [...NEGATIVE_EMOTIONS, ...POSITIVE_EMOTIONS] as const;

/** One NEV word key, such as `"cared_for"`. */
export type Emotion = (typeof EMOTIONS)[number];

/** +1 for a positive word, -1 for a negative one. */
export function emotionValence(key: Emotion): 1 | -1 {
  return (NEGATIVE_EMOTIONS as readonly string[]).includes(key) ? -1 : 1;
}
