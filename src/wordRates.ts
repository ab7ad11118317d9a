import { EMOTIONS, type Emotion } from './emotions';
import { MIN_ANSWERS, wilson, type Interval } from './intervals';

/** The part of an emotion answer {@link wordRates} reads: the words chosen and the words offered. */
export interface WordRateAnswer {
  emotions?: readonly string[];
  offered?: readonly string[];
}

/** One word's choice rate: chosen ÷ offered, a share 0..1 with its Wilson interval. */
export interface WordRate {
  word: Emotion;
  chosen: number;
  offered: number;
  rate: number;
  ci95: Interval;
  /** Offered at least {@link MIN_ANSWERS} times. */
  enough: boolean;
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function checkWords(fn: string, where: string, words: unknown): readonly Emotion[] {
  if (!Array.isArray(words)) throw new RangeError(`${fn}: ${where} is ${show(words)}, expected a list of NEV word keys`);
  words.forEach((word: unknown, j) => {
    const at = `${fn}: ${where}[${j}] is ${show(word)}`;
    if (!(EMOTIONS as readonly unknown[]).includes(word))
      throw new RangeError(`${at}, expected one of the ${EMOTIONS.length} NEV word keys`);
    if (words.indexOf(word) !== j) throw new RangeError(`${at} again, expected each word at most once`);
  });
  return words as Emotion[];
}

/** {@link wordRates}, with errors named after the metric that asked (`nev` passes its own name). */
export function choiceRates(fn: string, answers: readonly WordRateAnswer[]): WordRate[] {
  const counts = new Map<Emotion, { chosen: number; offered: number }>();
  answers.forEach((answer, i) => {
    if (answer.offered === undefined) return;
    const offered = checkWords(fn, `answers[${i}].offered`, answer.offered);
    const chosen = checkWords(fn, `answers[${i}].emotions`, answer.emotions ?? []);
    chosen.forEach((word, j) => {
      if (!offered.includes(word)) {
        throw new RangeError(
          `${fn}: answers[${i}].emotions[${j}] is ${show(word)}, which answers[${i}].offered does not list; record every word shown (all of them once "More words" was opened)`,
        );
      }
    });
    for (const word of offered) {
      const c = counts.get(word) ?? { chosen: 0, offered: 0 };
      c.offered += 1;
      if (chosen.includes(word)) c.chosen += 1;
      counts.set(word, c);
    }
  });
  return [...counts]
    .map(([word, c]) => ({ word, ...c, rate: c.chosen / c.offered, ci95: wilson(c.chosen, c.offered)!, enough: c.offered >= MIN_ANSWERS }))
    .sort((a, b) => b.rate - a.rate || b.offered - a.offered || (a.word < b.word ? -1 : 1));
}

/**
 * Choice rate of every word offered at least once: of the answers that offered it, the share
 * that chose it, with a Wilson interval. Only answers that record `offered` count; an answer
 * without it (recorded before the widget sent `offered`, or by another client) is left out, since
 * which words its person saw is unknown. Sorted by rate, then by times offered, then by key.
 * Each word must be a known key at most once, and every chosen word must be among the offered.
 */
export function wordRates(answers: readonly WordRateAnswer[]): WordRate[] {
  return choiceRates('wordRates', answers);
}
