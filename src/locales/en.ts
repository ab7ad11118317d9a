import type { StringKey } from './keys';

/**
 * English strings, built into the script; other locales are JSON files with the same keys.
 * `{brand}` and `{task}` are filled in from config, `{n}` and `{total}` in `progress`.
 */
export const en: Record<StringKey, string> = {
  nps: 'How likely are you to recommend {brand} to a friend or colleague?',
  npsLow: 'Not at all likely',
  npsHigh: 'Extremely likely',
  ces: '{brand} made it easy for me to {task}.',
  ces7: 'Strongly disagree|Disagree|Somewhat disagree|Neither agree nor disagree|Somewhat agree|Agree|Strongly agree',
  ces5: 'Strongly disagree|Disagree|Neither agree nor disagree|Agree|Strongly agree',
  emotion: 'How did this make you feel?',
  emotionLow: 'Very bad',
  emotionHigh: 'Very good',
  words: 'Which words describe it best? Choose up to 3.',
  more: 'More words',
  followUp: 'What is the main reason for your score?',
  send: 'Send',
  skip: 'Skip',
  close: 'Close',
  thanks: 'Thank you for your feedback!',
  progress: '{n} of {total}',
  brand: 'this site',
  task: 'do what I came to do',
  irritated: 'irritated',
  hurried: 'hurried',
  neglected: 'neglected',
  unhappy: 'unhappy',
  unsatisfied: 'unsatisfied',
  stressed: 'stressed',
  disappointed: 'disappointed',
  frustrated: 'frustrated',
  interested: 'interested',
  energetic: 'energetic',
  stimulated: 'stimulated',
  exploratory: 'exploratory',
  indulgent: 'indulgent',
  trusting: 'trusting',
  valued: 'valued',
  cared_for: 'cared for',
  safe: 'safe',
  focused: 'focused',
  happy: 'happy',
  pleased: 'pleased',
};

/** The shape every locale has: one flat object of strings, so overrides and JSON files stay simple. */
export type Strings = Record<StringKey, string>;
