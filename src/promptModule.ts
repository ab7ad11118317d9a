import type { Answer, Detail } from './answer';
import type { Config, Kind, Touchpoint } from './config';
import type { Context } from './context';
import type { Problem } from './log';
import type { Reporter } from './reporter';
import type { Validated } from './validate';

/** One showing of a touchpoint, as the orchestrator asks the prompt file for it. */
export interface Showing {
  config: Config;
  touchpoint: Touchpoint;
  responseId: string;
  /** The element the prompt goes into: the body, or `theme.target`. */
  target: Element;
  context?: Context;
  user?: string;
  /** Where `locales/` is when config has no `localeUrl` (next to the script tag's file). */
  localeBase?: string;
  /** True once the showing is no longer wanted (destroyed, or another took its place meanwhile). */
  cancelled(): boolean;
  report(problem: Problem): void;
  safe: Reporter['safe'];
  debug(...args: unknown[]): void;
  /** A scored answer, already validated. */
  onAnswer(answer: Answer): void;
  onDetail(scored: Answer, detail: Detail): void;
  /** Closed early; `answered` of `steps` were scored. */
  onDismiss(answered: number, steps: number): void;
  onComplete(): void;
  /** The prompt has gone, either way. */
  onClose(): void;
}

/** A prompt on screen. */
export interface OpenPrompt {
  kinds: Kind[];
  close(): void;
}

/**
 * What the prompt file gives the loader: everything a page needs only once a prompt is about to
 * show (preact, the prompts, styles, strings, the answer schema), and config validation with zod.
 */
export interface PromptModule {
  /** Validates a config, building its schema a part at a time so no long task holds the page. */
  validateConfig(input: unknown): Promise<Validated<Config>>;
  /** Renders the showing; `undefined` when it was cancelled while strings loaded. */
  openPrompt(showing: Showing): Promise<OpenPrompt | undefined>;
}

/** The `Symbol.for` key under which the prompt file hands the loader the function that makes its module. */
export const PROMPT_KEY = 'moodpoint.prompt';
