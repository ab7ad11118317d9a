import type { Config } from './config';
import type { Kv, LazyKv } from './storage';
import { VERSION } from './version';

/** Where the cached config is kept. */
export const CONFIG_KEY = 'c:config';

/** The exact JSON text of a config: only the same text, validated by the same version, counts as validated. */
const textOf = (input: unknown): string | undefined => {
  try {
    return JSON.stringify(input);
  } catch {
    return undefined;
  }
};

/**
 * The config, if this very text was validated earlier in this browser by this version of the
 * widget; validating it again would cost the page the prompt file and zod. It lives in the
 * widget's IndexedDB store, which an `init` opens anyway: sessionStorage would cost every page
 * view a synchronous first access (about a millisecond in Chromium) before anything else runs.
 */
export async function cachedConfig(kv: Kv, input: unknown): Promise<Config | undefined> {
  const text = textOf(input);
  if (text === undefined) return undefined;
  const saved = await kv.get<{ v?: string; text?: string }>(CONFIG_KEY);
  return saved?.v === VERSION && saved.text === text ? (JSON.parse(text) as Config) : undefined;
}

/** Remembers that this config text is valid. */
export async function rememberConfig(kv: Kv, input: unknown): Promise<void> {
  const text = textOf(input);
  if (text !== undefined) await kv.set(CONFIG_KEY, { v: VERSION, text });
}

/** Forgets the cached config (consent withdrawn: nothing of the widget's stays in storage). */
export async function forgetConfig(store: LazyKv): Promise<void> {
  if (store.opened) await store.get().del([CONFIG_KEY]);
}
