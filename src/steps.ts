import type { Config, Kind, PromptConfig, Touchpoint } from './config';
import { EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS, type Emotion } from './emotions';
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
  words?: { question: string; more: string; labels: Record<Emotion, string>; offer(score: number): { first: Emotion[]; all: Emotion[] } };
  /** The follow-up wording for a score, or nothing when there is no follow-up. */
  followUp(score: number): string | undefined;
}

/** Score band of an NPS score, used for band-specific follow-up wording. */
export function npsBand(score: number): 'detractor' | 'passive' | 'promoter' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** How many words of each valence the short list shows before "More words". */
const SHORT_LIST = 4;

/**
 * The balanced short list: four words of the feeling score's side first, then four of the other
 * side, so nobody is steered; the rest come with "More words".
 */
export function offerWords(score: number, pool: readonly Emotion[] = EMOTIONS): { first: Emotion[]; all: Emotion[] } {
  const pos = POSITIVE_EMOTIONS.filter((w) => pool.includes(w));
  const neg = NEGATIVE_EMOTIONS.filter((w) => pool.includes(w));
  const [own, other] = score >= 6 ? [pos, neg] : [neg, pos];
  const first = [...own.slice(0, SHORT_LIST), ...other.slice(0, SHORT_LIST)];
  return { first, all: [...first, ...own.slice(SHORT_LIST), ...other.slice(SHORT_LIST)] };
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
  // nps asks why by default (issue 2); ces and emotion only when configured.
  const followUp = p.followUp ?? kind === 'nps';
  const pool = kind === 'emotion' && p.emotions !== false ? (Array.isArray(p.emotions) ? p.emotions : EMOTIONS) : undefined;
  return {
    kind,
    question: sentence(fill(p.question ?? s[kind], values)),
    min,
    max: scale,
    names,
    ends,
    words: pool && { question: s.words, more: s.more, labels: s, offer: (score) => offerWords(score, pool) },
    followUp: (score) =>
      followUp === false
        ? undefined
        : fill(typeof followUp === 'string' ? followUp : followUp === true ? s.followUp : (followUp[npsBand(score)] ?? s.followUp), values),
  };
}
