import type { Config } from './config';
import { VERSION } from './version';

const KEY = 'moodpoint:config';

/** The exact JSON text of a config: only the same text, validated by the same version, counts as validated. */
const textOf = (input: unknown): string | undefined => {
  try {
    return JSON.stringify(input);
  } catch {
    return undefined;
  }
};

/**
 * The config, if this very text was validated earlier in this browsing session by this version of
 * the widget; validating it again would cost the page tens of milliseconds of main thread.
 * sessionStorage can throw (sandboxed frames, privacy modes): then nothing is cached.
 */
export function cachedConfig(input: unknown): Config | undefined {
  try {
    const text = textOf(input);
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { v?: string; text?: string } | null;
    return text !== undefined && saved?.v === VERSION && saved.text === text ? (JSON.parse(text) as Config) : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers that this config text is valid, for the rest of the browsing session. */
export function rememberConfig(input: unknown): void {
  try {
    const text = textOf(input);
    if (text !== undefined) sessionStorage.setItem(KEY, JSON.stringify({ v: VERSION, text }));
  } catch {
    /* validated again on the next page */
  }
}

/** Forgets the cached config (consent withdrawn: nothing of the widget's stays in storage). */
export function forgetConfig(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing was stored */
  }
}
