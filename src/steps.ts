import type { Config, Kind, PromptConfig, Touchpoint } from './config';
import { EMOTION_GROUPS, EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_GROUPS, type Emotion } from './emotions';
import type { Strings } from './locales/en';

/** One question of a showing, with every string resolved for the active locale. */
export interface Step {
  kind: Kind;
  question: string;
  min: number;
  max: number;
  /** The accessible name of each point, lowest first; the number comes first in each. */
  names: string[];
  /** The visible labels of the two ends. */
  ends: readonly [string, string];
  /** Emotion words to offer after the feeling score, or none. */
  words?: { question: string; more: string; labels: Record<Emotion, string>; offer(score: number): WordOffer };
  /** The follow-up wording for a score, or nothing when there is no follow-up. */
  followUp(score: number): string | undefined;
}

/** Score band of an NPS score, used for band-specific follow-up wording. */
export function npsBand(score: number): 'detractor' | 'passive' | 'promoter' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** How many words of each valence the short list shows before "More words". */
const SHORT_LIST = 4;

/** The emotion words of one showing. */
export interface WordOffer {
  /** The short list in the order to show it. */
  first: Emotion[];
  /** Every pool word, `first` first, for "More words". */
  all: Emotion[];
  /**
   * The keys of `first` in {@link EMOTIONS} order, for the answer's `offered`. Once "More words"
   * is opened every key of `all` was offered.
   */
  offered: Emotion[];
}

/** Fisher-Yates, on a copy; `random` returns [0, 1) as `Math.random` does. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The short list for one showing, drawn within `pool`: four positive words, at least one from
 * each of Shaw's positive groups the pool has (attention, recommendation, advocacy) and the rest
 * at random, and four of the destroying words at random; each side in a random order, the
 * feeling score's side first (6..10 positive), so neither a word's place nor its group steers
 * the choice. Over the full pool `happy` and `pleased` are each offered in 5/9 of showings, every
 * other positive word in 13/45 (29%) and every negative word in half: compare words by choice
 * rate (chosen ÷ offered), not by count. `random` is `Math.random` or a seeded stand-in.
 */
export function offerWords(score: number, pool: readonly Emotion[] = EMOTIONS, random: () => number = Math.random): WordOffer {
  const inPool = (words: readonly Emotion[]) => words.filter((w) => pool.includes(w));
  // One word of each positive group first, then the others at random: every group makes the list.
  const groups = POSITIVE_GROUPS.map((g) => shuffled(inPool(EMOTION_GROUPS[g]), random));
  const [heads, tails] = [groups.flatMap((g) => g.slice(0, 1)), groups.flatMap((g) => g.slice(1))];
  const ranked = [...heads, ...shuffled(tails, random)];
  const pos = [...shuffled(ranked.slice(0, SHORT_LIST), random), ...ranked.slice(SHORT_LIST)];
  const neg = shuffled(inPool(NEGATIVE_EMOTIONS), random);
  const [own, other] = score >= 6 ? [pos, neg] : [neg, pos];
  const first = [...own.slice(0, SHORT_LIST), ...other.slice(0, SHORT_LIST)];
  return {
    first,
    all: [...first, ...own.slice(SHORT_LIST), ...other.slice(SHORT_LIST)],
    offered: EMOTIONS.filter((w) => first.includes(w)),
  };
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);

/** A question starts with a capital even when it starts with the default brand ("This site made it easy…"). */
const sentence = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/**
 * Turns one configured prompt into a step. Strings layer: locale, then config `strings` at the
 * top level, the touchpoint, the prompt, then the prompt's own `question` and `labels`.
 */
export function resolveStep(prompt: PromptConfig, touchpoint: Touchpoint, locale: Strings, config: Config): Step {
  const p = typeof prompt === 'string' ? { kind: prompt } : prompt;
  const s: Strings = { ...locale, ...config.strings, ...touchpoint.strings, ...p.strings } as Strings;
  const values = { brand: config.brand ?? s.brand, task: p.task ?? s.task };
  const kind = p.kind;
  const scale = kind === 'ces' ? (p.scale ?? 7) : 10;
  const min = kind === 'nps' ? 0 : 1;
  const pointLabels = kind === 'ces' ? (scale === 5 ? s.ces5 : s.ces7).split('|') : [];
  const ends = (p.labels ??
    (kind === 'nps'
      ? [s.npsLow, s.npsHigh]
      : kind === 'ces'
        ? [pointLabels[0], pointLabels[scale - 1]]
        : [s.emotionLow, s.emotionHigh])) as [string, string];
  const names = Array.from({ length: scale - min + 1 }, (_, i) => {
    const label = kind === 'ces' ? pointLabels[i] : i === 0 ? ends[0] : i === scale - min ? ends[1] : '';
    return label ? `${min + i} ${label}` : String(min + i);
  });
  // nps asks why by default; ces and emotion only when configured.
  const followUp = p.followUp ?? kind === 'nps';
  const pool = kind === 'emotion' && p.emotions !== false ? (Array.isArray(p.emotions) ? p.emotions : EMOTIONS) : undefined;
  // A step lives for one showing: asking again (a re-render) gets the same words in the same order.
  const offers = new Map<number, WordOffer>();
  return {
    kind,
    question: sentence(fill(p.question ?? s[kind], values)),
    min,
    max: scale,
    names,
    ends,
    words: pool && {
      question: s.words,
      more: s.more,
      labels: s,
      offer: (score) => offers.get(score) ?? offers.set(score, offerWords(score, pool)).get(score)!,
    },
    followUp: (score) =>
      followUp === false
        ? undefined
        : fill(typeof followUp === 'string' ? followUp : followUp === true ? s.followUp : (followUp[npsBand(score)] ?? s.followUp), values),
  };
}
